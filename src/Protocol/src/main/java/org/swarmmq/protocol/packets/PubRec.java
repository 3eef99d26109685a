package org.swarmmq.protocol.packets;

import java.util.Objects;

/** PUBREC (3.5): the first answer to a QoS 2 PUBLISH. */
public record PubRec(int packetId, ReasonCode reasonCode, Properties properties) implements Packet {
    public PubRec {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
        if (packetId < 1 || packetId > 0xFFFF) throw new IllegalArgumentException("packetId " + packetId);
    }

    public PubRec(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREC;
    }
}
