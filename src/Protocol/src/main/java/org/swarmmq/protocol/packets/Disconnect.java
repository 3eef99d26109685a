package org.swarmmq.protocol.packets;

import java.util.Objects;

/** DISCONNECT (3.14). 3.1/3.1.1 carry no fields: that is {@link #NORMAL}. */
public record Disconnect(ReasonCode reasonCode, Properties properties) implements Packet {
    public static final Disconnect NORMAL = new Disconnect(ReasonCode.SUCCESS, Properties.EMPTY);

    public Disconnect {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    public static Disconnect of(ReasonCode reasonCode) {
        return new Disconnect(reasonCode, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
