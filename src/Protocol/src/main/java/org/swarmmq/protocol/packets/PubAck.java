package org.swarmmq.protocol.packets;

import java.util.Objects;

/** PUBACK (3.4): the answer to a QoS 1 PUBLISH. */
public record PubAck(int packetId, ReasonCode reasonCode, Properties properties) implements Packet {
    public PubAck {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
        if (packetId < 1 || packetId > 0xFFFF) throw new IllegalArgumentException("packetId " + packetId);
    }

    public PubAck(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBACK;
    }
}
