package org.swarmmq.protocol.packets;

/** The 15 control packet types and the fixed-header flags each one requires [MQTT-2.2.2-1]. */
public enum PacketType {
    CONNECT(1, 0),
    CONNACK(2, 0),
    PUBLISH(3, -1), // flags carry DUP, QoS and RETAIN
    PUBACK(4, 0),
    PUBREC(5, 0),
    PUBREL(6, 0b0010),
    PUBCOMP(7, 0),
    SUBSCRIBE(8, 0b0010),
    SUBACK(9, 0),
    UNSUBSCRIBE(10, 0b0010),
    UNSUBACK(11, 0),
    PINGREQ(12, 0),
    PINGRESP(13, 0),
    DISCONNECT(14, 0),
    AUTH(15, 0);

    private static final PacketType[] BY_VALUE = new PacketType[16];

    static {
        for (PacketType t : values()) BY_VALUE[t.value] = t;
    }

    private final int value;
    private final int requiredFlags;

    PacketType(int value, int requiredFlags) {
        this.value = value;
        this.requiredFlags = requiredFlags;
    }

    public int value() {
        return value;
    }

    /** The fixed-header flags this type must carry, or -1 for PUBLISH whose flags are fields. */
    public int requiredFlags() {
        return requiredFlags;
    }

    /** The type for the high nibble of a fixed header, or null for 0 (reserved). */
    public static PacketType of(int value) {
        return value > 0 && value < 16 ? BY_VALUE[value] : null;
    }
}
