package org.swarmmq.protocol.packets;

import java.util.Objects;

/**
 * CONNACK (3.2). For 3.1/3.1.1 the reason code maps to a Connect Return Code (0..5); the codec
 * does the mapping both ways.
 */
public record ConnAck(boolean sessionPresent, ReasonCode reasonCode, Properties properties) implements Packet {
    public ConnAck {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    public static ConnAck accepted(boolean sessionPresent) {
        return new ConnAck(sessionPresent, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    public static ConnAck refused(ReasonCode reasonCode) {
        return new ConnAck(false, reasonCode, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }
}
