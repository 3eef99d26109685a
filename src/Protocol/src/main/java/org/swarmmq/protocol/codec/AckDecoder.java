package org.swarmmq.protocol.codec;

import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.Auth;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.PubComp;
import org.swarmmq.protocol.packets.PubRec;
import org.swarmmq.protocol.packets.PubRel;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * The packets made of little more than a reason code: PUBACK, PUBREC, PUBREL, PUBCOMP (3.4-3.7),
 * DISCONNECT (3.14) and AUTH (3.15). MQTT 5 lets their senders omit trailing fields; the
 * RemainingLength says which are present.
 */
final class AckDecoder {
    private AckDecoder() {}

    static Packet publishAck(PacketType type, Frame frame, ProtocolVersion version) {
        WireReader r = new WireReader(frame.body());
        int packetId = PublishDecoder.readPacketId(r, type.toString());
        ReasonCode code = ReasonCode.SUCCESS;
        Properties properties = Properties.EMPTY;
        if (version.isV5()) {
            // 3.4.2.1: RemainingLength 2 means Success and no properties; 3.4.2.2.1: below 4 there
            // is no Property Length. The same holds for PUBREC, PUBREL and PUBCOMP.
            if (r.hasRemaining()) code = ReasonCodes.v5(type, r.readByte(type.name(), " Reason Code"));
            if (r.hasRemaining()) properties = PropertiesReader.read(r, type);
        }
        // 3.1.1: the Variable Header is the Packet Identifier alone and RemainingLength is 2.
        r.expectEnd(type.toString());
        return switch (type) {
            case PUBACK -> new PubAck(packetId, code, properties);
            case PUBREC -> new PubRec(packetId, code, properties);
            case PUBREL -> new PubRel(packetId, code, properties);
            case PUBCOMP -> new PubComp(packetId, code, properties);
            default -> throw new IllegalStateException(type.toString());
        };
    }

    static Disconnect disconnect(Frame frame, ProtocolVersion version) {
        if (!version.isV5()) {
            PacketDecoder.expectEmpty(frame, "3.14 DISCONNECT (MQTT " + version + ")");
            return Disconnect.NORMAL;
        }
        WireReader r = new WireReader(frame.body());
        if (!r.hasRemaining()) return Disconnect.NORMAL; // 3.14.2.1: RemainingLength 0 is Normal disconnection
        ReasonCode code = ReasonCodes.v5(PacketType.DISCONNECT, r.readByte("DISCONNECT Reason Code"));
        // 3.14.2.2.1: "If the Remaining Length is less than 2, a value of 0 is used."
        Properties properties = r.hasRemaining() ? PropertiesReader.read(r, PacketType.DISCONNECT) : Properties.EMPTY;
        r.expectEnd("DISCONNECT");
        return code == ReasonCode.SUCCESS && properties.isEmpty() ? Disconnect.NORMAL : new Disconnect(code, properties);
    }

    /** AUTH, which only MQTT 5 has (the caller rejects it for 3.1 and 3.1.1). */
    static Auth auth(Frame frame) {
        WireReader r = new WireReader(frame.body());
        // 3.15.2.1: Reason Code and Property Length may be omitted for Success without properties.
        if (!r.hasRemaining()) return new Auth(ReasonCode.SUCCESS, Properties.EMPTY);
        ReasonCode code = ReasonCodes.v5(PacketType.AUTH, r.readByte("AUTH Reason Code"));
        Properties properties = r.hasRemaining() ? PropertiesReader.read(r, PacketType.AUTH) : Properties.EMPTY;
        r.expectEnd("AUTH");
        if (!properties.has(PropertyId.AUTHENTICATION_METHOD)) {
            // 3.15.2.2.2: "It is a Protocol Error to omit the Authentication Method"; only the
            // fully omitted form (RemainingLength 0) above is exempt.
            throw ProtocolException.protocolError("3.15.2.2.2 AUTH with Reason Code " + code
                    + " must carry an Authentication Method");
        }
        return new Auth(code, properties);
    }
}
