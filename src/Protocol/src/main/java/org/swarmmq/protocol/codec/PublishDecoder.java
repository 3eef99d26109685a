package org.swarmmq.protocol.codec;

import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Publish;

/**
 * PUBLISH (3.3). The payload is a slice of the frame body: the one copy a payload gets on its
 * way in is the one {@link FrameReader} made.
 */
final class PublishDecoder {
    private PublishDecoder() {}

    static Publish publish(Frame frame, ProtocolVersion version) {
        int flags = frame.flags();
        boolean dup = (flags & 0x08) != 0;
        int qos = (flags >> 1) & 0x03;
        boolean retain = (flags & 0x01) != 0;
        if (qos == 3) {
            throw ProtocolException.malformed("[MQTT-3.3.1-4] a PUBLISH packet must not have both QoS bits set to 1");
        }
        if (dup && qos == 0) {
            throw ProtocolException.malformed("[MQTT-3.3.1-2] the DUP flag must be 0 for a QoS 0 PUBLISH");
        }
        WireReader r = new WireReader(frame.body());
        String topic = r.readUtf8("Topic Name"); // [MQTT-3.3.2-1]
        int packetId = 0;
        if (qos > 0) {
            packetId = readPacketId(r, qos == 1 ? "PUBLISH (QoS 1)" : "PUBLISH (QoS 2)");
        }
        Properties properties = version.isV5() ? PropertiesReader.read(r, PacketType.PUBLISH) : Properties.EMPTY;
        if (topic.isEmpty() && version.isV5()) {
            // 3.3.2.1: "It is a Protocol Error if the Topic Name is zero length and there is no Topic Alias."
            // Whether the alias is mapped yet is connection state (3.3.4), not ours to check.
            if (!properties.has(PropertyId.TOPIC_ALIAS)) {
                throw ProtocolException.protocolError("3.3.2.1 a zero length Topic Name needs a Topic Alias");
            }
        } else {
            Topics.checkTopicName(topic, version, "PUBLISH Topic Name", "[MQTT-3.3.2-2]");
        }
        Bytes payload = r.readRest(); // 3.3.3: zero length is valid
        return new Publish(dup, qos, retain, topic, packetId, payload, properties);
    }

    /**
     * A Packet Identifier, which must be non-zero ([MQTT-2.3.1-1]; MQTT 5: [MQTT-2.2.1-3]). The
     * spec names no reason code; like its other "value 0 is not allowed" cases (Topic Alias,
     * Receive Maximum, Subscription Identifier) we call it a Protocol Error: the field parses,
     * its value is forbidden.
     */
    static int readPacketId(WireReader r, String packet) {
        int id = r.readTwoByteInt(packet, " Packet Identifier");
        if (id == 0) {
            throw ProtocolException.protocolError("[MQTT-2.3.1-1] (MQTT 5: [MQTT-2.2.1-3]) " + packet
                    + " Packet Identifier must be non-zero");
        }
        return id;
    }
}
