package org.swarmmq.protocol.codec;

import static org.swarmmq.protocol.codec.WireWriter.*;

import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Will;

/**
 * CONNECT (3.1), written in the packet's own {@link Connect#version()}: the protocol name and level
 * come from it ("MQIsdp" 3, "MQTT" 4, "MQTT" 5), and with it whether properties are on the wire.
 */
final class ConnectEncoder {
    private ConnectEncoder() {}

    static int remainingLength(Connect c) {
        ProtocolVersion v = c.version();
        boolean v5 = v.isV5();
        if (!v5 && c.password() != null && c.userName() == null) {
            // [MQTT-3.1.2-22] (3.1.1) no Password without a User Name; MQTT 5 allows it (3.1.2.9)
            throw new IllegalArgumentException("a Password without a User Name cannot be sent in " + v + " [MQTT-3.1.2-22]");
        }
        // Variable header: Protocol Name, Protocol Level, Connect Flags, Keep Alive, (5) Properties
        int length = stringSize(v.protocolName()) + 1 + 1 + 2;
        if (v5) length += propertiesSize(c.properties(), PacketType.CONNECT, false);
        // Payload, in this order (3.1.3): Client Identifier, Will Properties (5), Will Topic,
        // Will Payload, User Name, Password
        length += stringSize(c.clientId());
        Will will = c.will();
        if (will != null) {
            checkTopicName(will.topic(), "Will Topic"); // [MQTT-3.1.3-11] a Topic Name, as in PUBLISH
            if (v5) length += propertiesSize(will.properties(), PacketType.CONNECT, true);
            length += stringSize(will.topic()) + binarySize(will.payload());
        }
        if (c.userName() != null) length += stringSize(c.userName());
        if (c.password() != null) length += binarySize(c.password());
        return length;
    }

    static int write(Connect c, byte[] out, int pos) {
        ProtocolVersion v = c.version();
        pos = writeString(out, pos, v.protocolName());
        out[pos++] = (byte) v.level();
        out[pos++] = (byte) connectFlags(c);
        pos = writeTwoByteInteger(out, pos, c.keepAlive());
        if (v.isV5()) pos = PacketEncoder.writePropertiesBlock(out, pos, c.properties(), PacketType.CONNECT);
        pos = writeString(out, pos, c.clientId());
        Will will = c.will();
        if (will != null) {
            if (v.isV5()) {
                pos = writeProperties(out, pos, will.properties(), propertiesLength(will.properties(), PacketType.CONNECT, true));
            }
            pos = writeString(out, pos, will.topic());
            pos = writeBinary(out, pos, will.payload());
        }
        if (c.userName() != null) pos = writeString(out, pos, c.userName());
        if (c.password() != null) pos = writeBinary(out, pos, c.password());
        return pos;
    }

    /**
     * Connect Flags (3.1.2.3): 7 User Name, 6 Password, 5 Will Retain, 4-3 Will QoS, 2 Will Flag,
     * 1 Clean Start (Clean Session), 0 reserved and 0 [MQTT-3.1.2-3]. Will QoS and Will Retain are 0
     * without a will [MQTT-3.1.2-11] [MQTT-3.1.2-13] (3.1.1: [MQTT-3.1.2-13] [MQTT-3.1.2-15]), which
     * a null will gives for free.
     */
    static int connectFlags(Connect c) {
        Will will = c.will();
        int flags = 0;
        if (c.userName() != null) flags |= 0b1000_0000;
        if (c.password() != null) flags |= 0b0100_0000;
        if (will != null) {
            if (will.retain()) flags |= 0b0010_0000;
            flags |= will.qos() << 3;
            flags |= 0b0000_0100;
        }
        if (c.cleanStart()) flags |= 0b0000_0010;
        return flags;
    }
}
