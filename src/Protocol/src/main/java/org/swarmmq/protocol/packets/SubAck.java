package org.swarmmq.protocol.packets;

import java.util.List;
import java.util.Objects;

/** SUBACK (3.9): one reason code per subscription, in order [MQTT-3.8.4-6]. */
public record SubAck(int packetId, List<ReasonCode> reasonCodes, Properties properties) implements Packet {
    public SubAck {
        reasonCodes = List.copyOf(reasonCodes);
        Objects.requireNonNull(properties, "properties");
        if (packetId < 1 || packetId > 0xFFFF) throw new IllegalArgumentException("packetId " + packetId);
    }

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}
