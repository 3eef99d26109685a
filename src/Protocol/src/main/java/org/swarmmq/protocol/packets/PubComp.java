package org.swarmmq.protocol.packets;

import java.util.Objects;

/** PUBCOMP (3.7): the answer to PUBREL that ends a QoS 2 exchange. */
public record PubComp(int packetId, ReasonCode reasonCode, Properties properties) implements Packet {
    public PubComp {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
        if (packetId < 1 || packetId > 0xFFFF) throw new IllegalArgumentException("packetId " + packetId);
    }

    public PubComp(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
