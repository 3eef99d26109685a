package org.swarmmq.protocol.packets;

import java.util.Objects;
import org.swarmmq.protocol.Bytes;

/**
 * PUBLISH (3.3). {@code packetId} is 0 for QoS 0 and 1..65535 on the wire otherwise. With MQTT 5 the topic
 * may be empty when a Topic Alias property stands for it.
 */
public record Publish(
        boolean dup,
        int qos,
        boolean retain,
        String topic,
        int packetId,
        Bytes payload,
        Properties properties) implements Packet {

    public Publish {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
        checkQos(qos);
        // At QoS 1/2 an id of 0 means "not assigned yet" (a session assigns it when it sends);
        // the encoder refuses to write it [MQTT-2.3.1-1].
        if (qos == 0 ? packetId != 0 : packetId < 0 || packetId > 0xFFFF) {
            throw new IllegalArgumentException("packetId " + packetId + " at QoS " + qos);
        }
        if (dup && qos == 0) throw new IllegalArgumentException("DUP at QoS 0"); // [MQTT-3.3.1-2]
    }

    public static Publish of(String topic, int qos, int packetId, Bytes payload) {
        return new Publish(false, qos, false, topic, packetId, payload, Properties.EMPTY);
    }

    public Publish withPacketId(int id) {
        return new Publish(dup, qos, retain, topic, id, payload, properties);
    }

    static void checkQos(int qos) {
        if (qos < 0 || qos > 2) throw new IllegalArgumentException("QoS " + qos);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBLISH;
    }
}
