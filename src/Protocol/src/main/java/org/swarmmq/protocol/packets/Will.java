package org.swarmmq.protocol.packets;

import java.util.Objects;
import org.swarmmq.protocol.Bytes;

/** The Will Message of a CONNECT: published by the server when the connection is lost abnormally. */
public record Will(String topic, Bytes payload, int qos, boolean retain, Properties properties) {
    public Will {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
        Publish.checkQos(qos);
    }
}
