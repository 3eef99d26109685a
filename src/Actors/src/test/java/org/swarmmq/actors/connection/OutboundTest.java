package org.swarmmq.actors.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.channel.ClientLimits;
import org.swarmmq.protocol.channel.OutboundPackets;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PingResp;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Publish;

class OutboundTest {
    private static Publish publish(int qos, int payloadBytes) {
        return new Publish(false, qos, false, "t", qos == 0 ? 0 : 1, Bytes.wrap(new byte[payloadBytes]), Properties.EMPTY);
    }

    @Test
    void aFullQueueDropsLiveQos0OnlyAndCountsIt() {
        Outbound o = new Outbound(2);
        assertTrue(o.offer(publish(0, 1)));
        assertTrue(o.offer(publish(0, 1)));
        assertFalse(o.offer(publish(0, 1)), "QoS 0 beyond the bound is dropped");
        assertTrue(o.offer(publish(1, 1)), "QoS 1 is the session's to bound (its queue and window)");
        assertTrue(o.offer(PingResp.INSTANCE));
        assertEquals(1, o.droppedQos0());
        o.offerAll(List.of(publish(0, 1), publish(0, 1)));
        assertEquals(6, o.nextBatch(Long.MAX_VALUE, p -> { }).size(), "a subscription's retained messages all stay");
        assertTrue(o.isEmpty());
    }

    @Test
    void aBatchStopsOnceItsPayloadsReachTheLimitButTakesAtLeastOne() {
        Outbound o = new Outbound(100);
        o.offer(publish(1, 600));
        o.offer(publish(1, 600));
        o.offer(publish(1, 600));
        assertEquals(2, o.nextBatch(1000, p -> { }).size(), "600, then 1200 >= 1000: stop");
        assertEquals(1, o.nextBatch(100, p -> { }).size(), "one even when larger than the limit");
        assertTrue(o.nextBatch(100, p -> { }).isEmpty());
    }

    @Test
    void aPacketTheClientsLimitsRefuseIsHandedToTheCaller() {
        Outbound o = new Outbound(100);
        o.rules(new OutboundPackets(ProtocolVersion.V5, new ClientLimits(64, 0, true)));
        o.offer(publish(1, 500)); // larger than the client's Maximum Packet Size of 64
        o.offer(PingResp.INSTANCE);
        List<Packet> refused = new ArrayList<>();
        List<Packet> batch = o.nextBatch(Long.MAX_VALUE, refused::add);
        assertEquals(List.of(PingResp.INSTANCE), batch);
        assertEquals(1, refused.size());
    }
}
