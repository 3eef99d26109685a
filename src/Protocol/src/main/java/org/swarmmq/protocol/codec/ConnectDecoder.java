package org.swarmmq.protocol.codec;

import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.Will;

/** CONNECT (3.1) and CONNACK (3.2). Rule ids are MQTT 3.1.1's, with MQTT 5's where they differ. */
final class ConnectDecoder {
    private ConnectDecoder() {}

    private static final int RESERVED = 0x01;
    private static final int CLEAN_START = 0x02;
    private static final int WILL_FLAG = 0x04;
    private static final int WILL_QOS_SHIFT = 3;
    private static final int WILL_RETAIN = 0x20;
    private static final int PASSWORD_FLAG = 0x40;
    private static final int USER_NAME_FLAG = 0x80;

    static Connect connect(Frame frame) {
        WireReader r = new WireReader(frame.body());
        ProtocolVersion version = protocolVersion(r);
        int flags = r.readByte("Connect Flags");
        if ((flags & RESERVED) != 0) {
            throw ProtocolException.malformed("[MQTT-3.1.2-3] the reserved flag in the CONNECT Connect Flags must be 0");
        }
        boolean willFlag = (flags & WILL_FLAG) != 0;
        int willQos = (flags >> WILL_QOS_SHIFT) & 0x03;
        boolean willRetain = (flags & WILL_RETAIN) != 0;
        if (!willFlag && willQos != 0) {
            throw ProtocolException.malformed("[MQTT-3.1.2-13] (MQTT 5: [MQTT-3.1.2-11]) Will QoS must be 0 when the Will Flag is 0");
        }
        if (!willFlag && willRetain) {
            throw ProtocolException.malformed("[MQTT-3.1.2-15] (MQTT 5: [MQTT-3.1.2-13]) Will Retain must be 0 when the Will Flag is 0");
        }
        if (willQos == 3) {
            throw ProtocolException.malformed("[MQTT-3.1.2-14] (MQTT 5: [MQTT-3.1.2-12]) Will QoS must not be 3");
        }
        boolean userNameFlag = (flags & USER_NAME_FLAG) != 0;
        boolean passwordFlag = (flags & PASSWORD_FLAG) != 0;
        if (passwordFlag && !userNameFlag && !version.isV5()) {
            // MQTT 5 allows a password without a user name (3.1.2.9); 3.1 and 3.1.1 do not.
            throw ProtocolException.malformed("[MQTT-3.1.2-22] the Password Flag must be 0 when the User Name Flag is 0");
        }
        int keepAlive = r.readTwoByteInt("Keep Alive");
        Properties properties = version.isV5() ? PropertiesReader.read(r, PacketType.CONNECT) : Properties.EMPTY;

        // Payload, in this order [MQTT-3.1.3-1]. Whether an empty or long ClientID is acceptable
        // is the broker's decision ([MQTT-3.1.3-6], [MQTT-3.1.3-8]); here it is only a string.
        String clientId = r.readUtf8("Client Identifier"); // [MQTT-3.1.3-4]
        Will will = null;
        if (willFlag) {
            Properties willProperties = version.isV5() ? PropertiesReader.readWill(r) : Properties.EMPTY;
            String willTopic = r.readUtf8("Will Topic"); // [MQTT-3.1.3-11]
            Topics.checkTopicName(willTopic, version, "Will Topic", "[MQTT-3.3.2-2]");
            Bytes willPayload = r.readBinary("Will Payload");
            will = new Will(willTopic, willPayload, willQos, willRetain, willProperties);
        }
        String userName = userNameFlag ? r.readUtf8("User Name") : null; // [MQTT-3.1.3-12]
        Bytes password = passwordFlag ? r.readBinary("Password") : null;
        r.expectEnd("CONNECT");
        return new Connect(version, clientId, (flags & CLEAN_START) != 0, keepAlive, will, userName, password, properties);
    }

    /**
     * Protocol Name and Protocol Level: "MQIsdp" with 3, "MQTT" with 4 or 5. A level we do not
     * speak is 0x84 Unsupported Protocol Version [MQTT-3.1.2-2] (a 3.x server answers it with
     * return code 0x01); a name that does not go with the level is not this protocol at all
     * [MQTT-3.1.2-1], which MQTT 5 also allows to answer with 0x84.
     */
    private static ProtocolVersion protocolVersion(WireReader r) {
        String name = r.readUtf8("Protocol Name");
        int level = r.readByte("Protocol Level");
        ProtocolVersion version = ProtocolVersion.ofLevel(level);
        if (version == null) {
            throw new ProtocolException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
                    "[MQTT-3.1.2-2] unsupported Protocol Level " + level + " (protocol name '" + name + "')");
        }
        if (!version.protocolName().equals(name)) {
            throw new ProtocolException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, "[MQTT-3.1.2-1] Protocol Name '" + name
                    + "' is not '" + version.protocolName() + "' as Protocol Level " + level + " requires");
        }
        return version;
    }

    static ConnAck connAck(Frame frame, ProtocolVersion version) {
        WireReader r = new WireReader(frame.body());
        int ackFlags = r.readByte("Connect Acknowledge Flags");
        if ((ackFlags & 0xFE) != 0) {
            throw ProtocolException.malformed("[MQTT-3.2.2-1] bits 7-1 of the Connect Acknowledge Flags are reserved and must be 0");
        }
        boolean sessionPresent = (ackFlags & 0x01) != 0;
        int rawCode = r.readByte("Connect Reason Code");
        ReasonCode code;
        Properties properties = Properties.EMPTY;
        if (version.isV5()) {
            code = ReasonCodes.v5(PacketType.CONNACK, rawCode);
            properties = PropertiesReader.read(r, PacketType.CONNACK);
        } else {
            code = ReasonCodes.connectReturnCode(rawCode);
        }
        r.expectEnd("CONNACK");
        if (sessionPresent && code != ReasonCode.SUCCESS) {
            throw ProtocolException.protocolError(
                    "[MQTT-3.2.2-4] (MQTT 5: [MQTT-3.2.2-6]) Session Present must be 0 with a non-zero " + code);
        }
        return new ConnAck(sessionPresent, code, properties);
    }
}
