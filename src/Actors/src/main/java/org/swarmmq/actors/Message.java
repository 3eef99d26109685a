package org.swarmmq.actors;

import java.util.Objects;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.Publish;

/**
 * An application message inside the broker: what a PUBLISH carried, once, shared by every
 * subscriber it goes to. {@code publisher} is the client id it came from (for No Local), and
 * {@code receivedAtMillis} when the broker took it (for Message Expiry).
 */
public record Message(String topic, Bytes payload, int qos, boolean retain, Properties properties,
                      String publisher, long receivedAtMillis) implements CborSerializable {
    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
    }

    public static Message of(Publish p, String publisher, long now) {
        return new Message(p.topic(), p.payload(), p.qos(), p.retain(), p.properties(), publisher, now);
    }
}
