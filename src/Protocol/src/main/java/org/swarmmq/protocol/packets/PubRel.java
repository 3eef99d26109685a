package org.swarmmq.protocol.packets;

import java.util.Objects;

/** PUBREL (3.6): the release that follows PUBREC. */
public record PubRel(int packetId, ReasonCode reasonCode, Properties properties) implements Packet {
    public PubRel {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
        if (packetId < 1 || packetId > 0xFFFF) throw new IllegalArgumentException("packetId " + packetId);
    }

    public PubRel(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREL;
    }
}
