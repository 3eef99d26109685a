package org.swarmmq.protocol.packets;

import java.util.List;
import java.util.Objects;

/** UNSUBACK (3.11). MQTT 3.1/3.1.1 has no payload: {@code reasonCodes} is empty there. */
public record UnsubAck(int packetId, List<ReasonCode> reasonCodes, Properties properties) implements Packet {
    public UnsubAck {
        reasonCodes = List.copyOf(reasonCodes);
        Objects.requireNonNull(properties, "properties");
        if (packetId < 1 || packetId > 0xFFFF) throw new IllegalArgumentException("packetId " + packetId);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
