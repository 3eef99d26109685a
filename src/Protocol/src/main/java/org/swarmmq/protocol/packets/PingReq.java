package org.swarmmq.protocol.packets;

/** PINGREQ (3.12): no fields; use {@link #INSTANCE}. */
public record PingReq() implements Packet {
    public static final PingReq INSTANCE = new PingReq();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
