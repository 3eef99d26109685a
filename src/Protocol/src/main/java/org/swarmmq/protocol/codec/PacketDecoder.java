package org.swarmmq.protocol.codec;

import java.util.Objects;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.PingReq;
import org.swarmmq.protocol.packets.PingResp;
import org.swarmmq.protocol.packets.ProtocolVersion;

/**
 * Turns a {@link Frame} into a {@link Packet}, enforcing every rule a receiver can check on one
 * packet alone (state rules such as "a second CONNECT" or "Topic Alias above the maximum" belong
 * to the connection). Decodes all 15 types, client and server packets alike. Bad input only ever
 * raises {@link ProtocolException} with the reason code the spec names.
 *
 * <p>Binary fields (PUBLISH payload, Will payload, password, binary properties) are slices of
 * the frame's body, not copies: keep the frame's body untouched while the packet lives.
 */
public final class PacketDecoder {
    private PacketDecoder() {}

    /**
     * @param version the connection's negotiated version; for CONNECT it is read from the packet
     *     and this may be null, for every other type it is required
     */
    public static Packet decode(Frame frame, ProtocolVersion version) {
        PacketType type = frame.type();
        if (type == null) throw ProtocolException.malformed("[MQTT-2.1.2] packet type 0 is reserved");
        if (type != PacketType.CONNECT) Objects.requireNonNull(version, "version of the connection");
        if (type == PacketType.AUTH && !version.isV5()) {
            // 3.1.1 Table 2.1: 15 is "Reserved"; AUTH exists only from MQTT 5
            throw ProtocolException.malformed("2.2.1 packet type 15 is reserved in MQTT " + version);
        }
        checkFlags(type, frame.flags());
        return switch (type) {
            case CONNECT -> ConnectDecoder.connect(frame);
            case CONNACK -> ConnectDecoder.connAck(frame, version);
            case PUBLISH -> PublishDecoder.publish(frame, version);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> AckDecoder.publishAck(type, frame, version);
            case SUBSCRIBE -> SubscribeDecoder.subscribe(frame, version);
            case SUBACK -> SubscribeDecoder.subAck(frame, version);
            case UNSUBSCRIBE -> SubscribeDecoder.unsubscribe(frame, version);
            case UNSUBACK -> SubscribeDecoder.unsubAck(frame, version);
            case PINGREQ -> {
                expectEmpty(frame, "3.12 PINGREQ");
                yield PingReq.INSTANCE;
            }
            case PINGRESP -> {
                expectEmpty(frame, "3.13 PINGRESP");
                yield PingResp.INSTANCE;
            }
            case DISCONNECT -> AckDecoder.disconnect(frame, version);
            case AUTH -> AckDecoder.auth(frame);
        };
    }

    /**
     * Reserved fixed-header flags must hold the values of Table 2-2 [MQTT-2.2.2-1] and anything
     * else is malformed [MQTT-2.2.2-2] (MQTT 5: [MQTT-2.1.3-1]). PUBLISH flags are fields and are
     * checked by the PUBLISH decoder.
     */
    private static void checkFlags(PacketType type, int flags) {
        int required = type.requiredFlags();
        if (required < 0 || flags == required) return;
        String rule = switch (type) {
            case PUBREL -> "[MQTT-3.6.1-1]";
            case SUBSCRIBE -> "[MQTT-3.8.1-1]";
            case UNSUBSCRIBE -> "[MQTT-3.10.1-1]";
            case DISCONNECT -> "[MQTT-3.14.1-1]";
            case AUTH -> "[MQTT-3.15.1-1]";
            default -> "[MQTT-2.2.2-2] (MQTT 5: [MQTT-2.1.3-1])";
        };
        throw ProtocolException.malformed(rule + " " + type + " fixed header flags must be "
                + bits(required) + ", got " + bits(flags));
    }

    static String bits(int flags) {
        return String.format("%4s", Integer.toBinaryString(flags)).replace(' ', '0');
    }

    static void expectEmpty(Frame frame, String what) {
        if (frame.remainingLength() != 0) {
            throw ProtocolException.malformed(what + " has no Variable Header and no Payload, but RemainingLength is "
                    + frame.remainingLength());
        }
    }
}
