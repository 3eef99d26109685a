package org.swarmmq.protocol.packets;

/** The protocol levels a CONNECT may name: 3 ("MQIsdp", 3.1), 4 ("MQTT", 3.1.1) and 5 ("MQTT", 5.0). */
public enum ProtocolVersion {
    V3_1(3, "MQIsdp"),
    V3_1_1(4, "MQTT"),
    V5(5, "MQTT");

    private final int level;
    private final String protocolName;

    ProtocolVersion(int level, String protocolName) {
        this.level = level;
        this.protocolName = protocolName;
    }

    public int level() {
        return level;
    }

    public String protocolName() {
        return protocolName;
    }

    public boolean isV5() {
        return this == V5;
    }

    /** The version for a protocol level byte, or null when the level is not one we speak. */
    public static ProtocolVersion ofLevel(int level) {
        return switch (level) {
            case 3 -> V3_1;
            case 4 -> V3_1_1;
            case 5 -> V5;
            default -> null;
        };
    }
}
