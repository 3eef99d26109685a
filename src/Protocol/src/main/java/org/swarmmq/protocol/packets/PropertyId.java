package org.swarmmq.protocol.packets;

import java.util.EnumSet;
import java.util.Set;

import static org.swarmmq.protocol.packets.PacketType.*;

/**
 * Every MQTT 5 property (section 2.2.2.2): its identifier, data type, the packets it may appear
 * in, and whether it may appear more than once. {@link #inWill} says whether it belongs in the
 * Will Properties of a CONNECT payload.
 */
public enum PropertyId {
    PAYLOAD_FORMAT_INDICATOR(0x01, Type.BYTE, true, false, PUBLISH),
    MESSAGE_EXPIRY_INTERVAL(0x02, Type.FOUR_BYTE_INTEGER, true, false, PUBLISH),
    CONTENT_TYPE(0x03, Type.UTF8_STRING, true, false, PUBLISH),
    RESPONSE_TOPIC(0x08, Type.UTF8_STRING, true, false, PUBLISH),
    CORRELATION_DATA(0x09, Type.BINARY_DATA, true, false, PUBLISH),
    // Repeatable only in PUBLISH [MQTT-3.3.4-4]; SUBSCRIBE may carry one [MQTT-3.8.2.1.2].
    SUBSCRIPTION_IDENTIFIER(0x0B, Type.VARIABLE_BYTE_INTEGER, false, true, PUBLISH, SUBSCRIBE),
    SESSION_EXPIRY_INTERVAL(0x11, Type.FOUR_BYTE_INTEGER, false, false, CONNECT, CONNACK, DISCONNECT),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, Type.UTF8_STRING, false, false, CONNACK),
    SERVER_KEEP_ALIVE(0x13, Type.TWO_BYTE_INTEGER, false, false, CONNACK),
    AUTHENTICATION_METHOD(0x15, Type.UTF8_STRING, false, false, CONNECT, CONNACK, AUTH),
    AUTHENTICATION_DATA(0x16, Type.BINARY_DATA, false, false, CONNECT, CONNACK, AUTH),
    REQUEST_PROBLEM_INFORMATION(0x17, Type.BYTE, false, false, CONNECT),
    WILL_DELAY_INTERVAL(0x18, Type.FOUR_BYTE_INTEGER, true, false),
    REQUEST_RESPONSE_INFORMATION(0x19, Type.BYTE, false, false, CONNECT),
    RESPONSE_INFORMATION(0x1A, Type.UTF8_STRING, false, false, CONNACK),
    SERVER_REFERENCE(0x1C, Type.UTF8_STRING, false, false, CONNACK, DISCONNECT),
    REASON_STRING(0x1F, Type.UTF8_STRING, false, false,
            CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH),
    RECEIVE_MAXIMUM(0x21, Type.TWO_BYTE_INTEGER, false, false, CONNECT, CONNACK),
    TOPIC_ALIAS_MAXIMUM(0x22, Type.TWO_BYTE_INTEGER, false, false, CONNECT, CONNACK),
    TOPIC_ALIAS(0x23, Type.TWO_BYTE_INTEGER, false, false, PUBLISH),
    MAXIMUM_QOS(0x24, Type.BYTE, false, false, CONNACK),
    RETAIN_AVAILABLE(0x25, Type.BYTE, false, false, CONNACK),
    USER_PROPERTY(0x26, Type.UTF8_STRING_PAIR, true, true,
            CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP,
            SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH),
    MAXIMUM_PACKET_SIZE(0x27, Type.FOUR_BYTE_INTEGER, false, false, CONNECT, CONNACK),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, Type.BYTE, false, false, CONNACK),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, Type.BYTE, false, false, CONNACK),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, Type.BYTE, false, false, CONNACK);

    /** The data types of section 1.5. */
    public enum Type {
        BYTE, TWO_BYTE_INTEGER, FOUR_BYTE_INTEGER, VARIABLE_BYTE_INTEGER, UTF8_STRING, UTF8_STRING_PAIR, BINARY_DATA
    }

    private static final PropertyId[] BY_ID = new PropertyId[128];

    static {
        for (PropertyId p : values()) BY_ID[p.id] = p;
    }

    private final int id;
    private final Type type;
    private final boolean inWill;
    private final boolean repeatable;
    private final Set<PacketType> packets;

    PropertyId(int id, Type type, boolean inWill, boolean repeatable, PacketType... packets) {
        this.id = id;
        this.type = type;
        this.inWill = inWill;
        this.repeatable = repeatable;
        this.packets = packets.length == 0 ? EnumSet.noneOf(PacketType.class) : EnumSet.of(packets[0], packets);
    }

    public int id() {
        return id;
    }

    public Type type() {
        return type;
    }

    /** Whether the property may stand in the Will Properties of a CONNECT. */
    public boolean inWill() {
        return inWill;
    }

    public boolean allowedIn(PacketType packet) {
        return packets.contains(packet);
    }

    /**
     * Whether the property may appear more than once in one property list. User Property may;
     * Subscription Identifier may only in a PUBLISH (the codec checks that pairing).
     */
    public boolean repeatable() {
        return repeatable;
    }

    /** The property with this identifier, or null for an identifier the spec does not define. */
    public static PropertyId of(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
