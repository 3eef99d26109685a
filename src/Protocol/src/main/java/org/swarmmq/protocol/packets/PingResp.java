package org.swarmmq.protocol.packets;

/** PINGRESP (3.13): no fields; use {@link #INSTANCE}. */
public record PingResp() implements Packet {
    public static final PingResp INSTANCE = new PingResp();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
