package org.swarmmq.protocol.packets;

import java.util.List;
import java.util.Objects;

/** UNSUBSCRIBE (3.10). */
public record Unsubscribe(int packetId, List<String> topicFilters, Properties properties) implements Packet {
    public Unsubscribe {
        topicFilters = List.copyOf(topicFilters);
        Objects.requireNonNull(properties, "properties");
        if (packetId < 1 || packetId > 0xFFFF) throw new IllegalArgumentException("packetId " + packetId);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
