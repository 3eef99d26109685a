package org.swarmmq.protocol.packets;

import java.util.List;
import java.util.Objects;

/** SUBSCRIBE (3.8). */
public record Subscribe(int packetId, List<Subscription> subscriptions, Properties properties) implements Packet {
    public Subscribe {
        subscriptions = List.copyOf(subscriptions);
        Objects.requireNonNull(properties, "properties");
        if (packetId < 1 || packetId > 0xFFFF) throw new IllegalArgumentException("packetId " + packetId);
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }
}
