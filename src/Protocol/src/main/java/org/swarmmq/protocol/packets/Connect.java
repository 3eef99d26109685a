package org.swarmmq.protocol.packets;

import java.util.Objects;
import org.swarmmq.protocol.Bytes;

/**
 * CONNECT (3.1). The protocol name follows from {@code version}. {@code cleanStart} is the Clean
 * Session flag of 3.1/3.1.1. {@code will}, {@code userName} and {@code password} are null when
 * their flags are 0.
 */
public record Connect(
        ProtocolVersion version,
        String clientId,
        boolean cleanStart,
        int keepAlive,
        Will will,
        String userName,
        Bytes password,
        Properties properties) implements Packet {

    public Connect {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(properties, "properties");
        if (keepAlive < 0 || keepAlive > 0xFFFF) throw new IllegalArgumentException("keepAlive " + keepAlive);
    }

    /** A plain CONNECT: no will, no credentials, no properties. */
    public static Connect of(ProtocolVersion version, String clientId, boolean cleanStart, int keepAlive) {
        return new Connect(version, clientId, cleanStart, keepAlive, null, null, null, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }
}
