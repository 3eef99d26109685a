package org.swarmmq.protocol.packets;

import java.util.Objects;

/** AUTH (3.15), MQTT 5 only: a step of enhanced authentication. */
public record Auth(ReasonCode reasonCode, Properties properties) implements Packet {
    public Auth {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}
