package org.swarmmq.protocol.codec;

import static org.swarmmq.protocol.packets.ReasonCode.*;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * Which reason codes each MQTT 5 packet may carry (Table 2-6 and the per-packet tables 3-1, 3-4
 * .. 3-11), and the MQTT 3.1/3.1.1 return codes mapped onto the model's reason codes. A byte the
 * packet's table does not list is a Malformed Packet: the sender broke "MUST use one of the ...
 * Reason Codes" ([MQTT-3.2.2-8], [MQTT-3.4.2-1], ...), and the byte cannot be given a meaning.
 */
final class ReasonCodes {
    private ReasonCodes() {}

    private static final Map<PacketType, Set<ReasonCode>> ALLOWED = new EnumMap<>(PacketType.class);
    private static final Map<PacketType, String> RULE = new EnumMap<>(PacketType.class);

    static {
        ALLOWED.put(PacketType.CONNACK, EnumSet.of(SUCCESS, UNSPECIFIED_ERROR, MALFORMED_PACKET, PROTOCOL_ERROR,
                IMPLEMENTATION_SPECIFIC_ERROR, UNSUPPORTED_PROTOCOL_VERSION, CLIENT_IDENTIFIER_NOT_VALID,
                BAD_USER_NAME_OR_PASSWORD, NOT_AUTHORIZED, SERVER_UNAVAILABLE, SERVER_BUSY, BANNED,
                BAD_AUTHENTICATION_METHOD, TOPIC_NAME_INVALID, PACKET_TOO_LARGE, QUOTA_EXCEEDED,
                PAYLOAD_FORMAT_INVALID, RETAIN_NOT_SUPPORTED, QOS_NOT_SUPPORTED, USE_ANOTHER_SERVER, SERVER_MOVED,
                CONNECTION_RATE_EXCEEDED));
        Set<ReasonCode> pubAck = EnumSet.of(SUCCESS, NO_MATCHING_SUBSCRIBERS, UNSPECIFIED_ERROR,
                IMPLEMENTATION_SPECIFIC_ERROR, NOT_AUTHORIZED, TOPIC_NAME_INVALID, PACKET_IDENTIFIER_IN_USE,
                QUOTA_EXCEEDED, PAYLOAD_FORMAT_INVALID);
        ALLOWED.put(PacketType.PUBACK, pubAck);
        ALLOWED.put(PacketType.PUBREC, pubAck);
        Set<ReasonCode> pubRel = EnumSet.of(SUCCESS, PACKET_IDENTIFIER_NOT_FOUND);
        ALLOWED.put(PacketType.PUBREL, pubRel);
        ALLOWED.put(PacketType.PUBCOMP, pubRel);
        ALLOWED.put(PacketType.SUBACK, EnumSet.of(SUCCESS, GRANTED_QOS_1, GRANTED_QOS_2, UNSPECIFIED_ERROR,
                IMPLEMENTATION_SPECIFIC_ERROR, NOT_AUTHORIZED, TOPIC_FILTER_INVALID, PACKET_IDENTIFIER_IN_USE,
                QUOTA_EXCEEDED, SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
                WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED));
        ALLOWED.put(PacketType.UNSUBACK, EnumSet.of(SUCCESS, NO_SUBSCRIPTION_EXISTED, UNSPECIFIED_ERROR,
                IMPLEMENTATION_SPECIFIC_ERROR, NOT_AUTHORIZED, TOPIC_FILTER_INVALID, PACKET_IDENTIFIER_IN_USE));
        // Table 3-10, plus 0x8C which Table 2-6 also lists for DISCONNECT: accept what either table allows.
        ALLOWED.put(PacketType.DISCONNECT, EnumSet.of(SUCCESS, DISCONNECT_WITH_WILL_MESSAGE, UNSPECIFIED_ERROR,
                MALFORMED_PACKET, PROTOCOL_ERROR, IMPLEMENTATION_SPECIFIC_ERROR, NOT_AUTHORIZED, SERVER_BUSY,
                SERVER_SHUTTING_DOWN, BAD_AUTHENTICATION_METHOD, KEEP_ALIVE_TIMEOUT, SESSION_TAKEN_OVER,
                TOPIC_FILTER_INVALID, TOPIC_NAME_INVALID, RECEIVE_MAXIMUM_EXCEEDED, TOPIC_ALIAS_INVALID,
                PACKET_TOO_LARGE, MESSAGE_RATE_TOO_HIGH, QUOTA_EXCEEDED, ADMINISTRATIVE_ACTION,
                PAYLOAD_FORMAT_INVALID, RETAIN_NOT_SUPPORTED, QOS_NOT_SUPPORTED, USE_ANOTHER_SERVER, SERVER_MOVED,
                SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, CONNECTION_RATE_EXCEEDED, MAXIMUM_CONNECT_TIME,
                SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED, WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED));
        ALLOWED.put(PacketType.AUTH, EnumSet.of(SUCCESS, CONTINUE_AUTHENTICATION, RE_AUTHENTICATE));

        RULE.put(PacketType.CONNACK, "[MQTT-3.2.2-8]");
        RULE.put(PacketType.PUBACK, "[MQTT-3.4.2-1]");
        RULE.put(PacketType.PUBREC, "[MQTT-3.5.2-1]");
        RULE.put(PacketType.PUBREL, "[MQTT-3.6.2-1]");
        RULE.put(PacketType.PUBCOMP, "[MQTT-3.7.2-1]");
        RULE.put(PacketType.SUBACK, "[MQTT-3.9.3-2]");
        RULE.put(PacketType.UNSUBACK, "[MQTT-3.11.3-2]");
        RULE.put(PacketType.DISCONNECT, "[MQTT-3.14.2-1]");
        RULE.put(PacketType.AUTH, "[MQTT-3.15.2-1]");
    }

    /** Whether {@code packet}'s table lists {@code code}; the encoder's side of {@link #v5}. */
    static boolean allowed(PacketType packet, ReasonCode code) {
        Set<ReasonCode> codes = ALLOWED.get(packet);
        return codes != null && codes.contains(code);
    }

    /** The rule id naming {@code packet}'s reason code table, for messages. */
    static String rule(PacketType packet) {
        return RULE.get(packet);
    }

    /** The MQTT 5 reason code in {@code packet} for the byte {@code value}. */
    static ReasonCode v5(PacketType packet, int value) {
        ReasonCode code = ReasonCode.of(value);
        if (code == null || !ALLOWED.get(packet).contains(code)) {
            throw ProtocolException.malformed(RULE.get(packet) + String.format(" 0x%02X", value)
                    + " is not a " + packet + " Reason Code");
        }
        return code;
    }

    /** MQTT 3.1/3.1.1 Connect Return Code (Table 3.1): 0 accepted, 1..5 refused, 6..255 reserved. */
    static ReasonCode connectReturnCode(int value) {
        return switch (value) {
            case 0 -> SUCCESS;
            case 1 -> UNSUPPORTED_PROTOCOL_VERSION;
            case 2 -> CLIENT_IDENTIFIER_NOT_VALID;
            case 3 -> SERVER_UNAVAILABLE;
            case 4 -> BAD_USER_NAME_OR_PASSWORD;
            case 5 -> NOT_AUTHORIZED;
            default -> throw ProtocolException.malformed(String.format(
                    "3.2.2.3 Connect Return Code 0x%02X is reserved (only 0..5 are defined)", value));
        };
    }

    /** MQTT 3.1/3.1.1 SUBACK return code: 0x00, 0x01, 0x02 or 0x80 (failure) [MQTT-3.9.3-2]. */
    static ReasonCode subAckReturnCode(int value) {
        return switch (value) {
            case 0x00 -> SUCCESS;
            case 0x01 -> GRANTED_QOS_1;
            case 0x02 -> GRANTED_QOS_2;
            case 0x80 -> UNSPECIFIED_ERROR;
            default -> throw ProtocolException.malformed(String.format(
                    "[MQTT-3.9.3-2] SUBACK return code 0x%02X is reserved (only 0x00, 0x01, 0x02, 0x80)", value));
        };
    }
}
