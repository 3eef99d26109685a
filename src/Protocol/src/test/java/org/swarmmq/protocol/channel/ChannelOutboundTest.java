package org.swarmmq.protocol.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.channel.ChannelEffect.*;
import org.swarmmq.protocol.packets.*;

/** What the Channel learns from CONNECT about what we may send, and the acks and DISCONNECTs it builds. */
class ChannelOutboundTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Channel.Settings SETTINGS = Channel.Settings.of(1024 * 1024, 20);

    private static Attach attach(Channel c, ProtocolVersion v, Properties props) {
        List<ChannelEffect> e = c.handle(new Connect(v, "c1", true, 10, null, null, null, props), 0);
        return (Attach) e.stream().filter(x -> x instanceof Attach).findFirst().orElseThrow(() -> new AssertionError(e));
    }

    private static Channel connected(ProtocolVersion v) {
        Channel c = new Channel(SETTINGS, 0);
        attach(c, v, Properties.EMPTY);
        c.attached(false, List.of());
        return c;
    }

    private static Publish publish(int qos, int id) {
        return new Publish(false, qos, false, "t", id, Bytes.utf8("p"), Properties.EMPTY);
    }

    private static Packet sent(List<ChannelEffect> e) {
        assertEquals(1, e.size(), e::toString);
        return ((Send) e.get(0)).packet();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] the client's Maximum Packet Size, Topic Alias Maximum and Request Problem Information are kept; the size goes to the session")
    void clientLimitsFromConnect() {
        Channel c = new Channel(SETTINGS, 0);
        Attach a = attach(c, ProtocolVersion.V5, Properties.EMPTY.with(PropertyId.MAXIMUM_PACKET_SIZE, 512L)
                .with(PropertyId.TOPIC_ALIAS_MAXIMUM, 7).with(PropertyId.REQUEST_PROBLEM_INFORMATION, 0));
        assertEquals(512, a.maxPacketSize());
        assertEquals(new ClientLimits(512, 7, false), c.clientLimits());
    }

    @Test
    @DisplayName("absent properties: no size limit, no topic aliases [MQTT-3.3.2-11], problem information wanted; MQTT 3: the same")
    void clientLimitsAbsent() {
        Channel v5 = new Channel(SETTINGS, 0);
        assertEquals(ClientLimits.NO_LIMIT, attach(v5, ProtocolVersion.V5, Properties.EMPTY).maxPacketSize());
        assertEquals(ClientLimits.NONE, v5.clientLimits());
        Channel v3 = new Channel(SETTINGS, 0);
        assertEquals(ClientLimits.NO_LIMIT, attach(v3, ProtocolVersion.V3_1_1, Properties.EMPTY).maxPacketSize());
        assertEquals(ClientLimits.NONE, v3.clientLimits());
        assertEquals(ClientLimits.NO_LIMIT, new ClientLimits(ClientLimits.NO_LIMIT, 0, true).maxPacketSize());
        Channel huge = new Channel(SETTINGS, 0);
        assertEquals(ClientLimits.NO_LIMIT, attach(huge, ProtocolVersion.V5,
                Properties.EMPTY.with(PropertyId.MAXIMUM_PACKET_SIZE, 0xFFFF_FFFFL)).maxPacketSize(), "capped to an int");
    }

    @Test
    @DisplayName("(3.4.2.1) a QoS 1 PUBLISH no subscription matched: MQTT 5 PUBACK 0x10 No matching subscribers")
    void pubAckNoMatchingSubscribers() {
        Channel c = connected(ProtocolVersion.V5);
        long t1 = ((Route) c.handle(publish(1, 1), 1).get(0)).token();
        long t2 = ((Route) c.handle(publish(1, 2), 1).get(0)).token();
        assertEquals(List.of(), c.routed(t2, false));
        assertEquals(List.of(new Send(new PubAck(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY)),
                new Send(new PubAck(2))), c.routed(t1, true), "in PUBLISH order, each with its own code");
    }

    @Test
    @DisplayName("(3.5.2.1) a QoS 2 PUBLISH no subscription matched: PUBREC 0x10, which is no error: PUBREL, PUBCOMP follow")
    void pubRecNoMatchingSubscribers() {
        Channel c = connected(ProtocolVersion.V5);
        long t = ((Route) c.handle(publish(2, 9), 1).get(0)).token();
        PubRec rec = (PubRec) sent(c.routed(t, true));
        assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS, rec.reasonCode());
        assertFalse(rec.reasonCode().isError());
        assertEquals(new PubComp(9), sent(c.handle(new PubRel(9), 2)));
    }

    @Test
    @DisplayName("MQTT 3.1.1 acks are unchanged when no subscription matched: a plain PUBACK / PUBREC")
    void v311AcksUnchanged() {
        Channel c = connected(ProtocolVersion.V3_1_1);
        long t1 = ((Route) c.handle(publish(1, 1), 1).get(0)).token();
        assertEquals(new PubAck(1), sent(c.routed(t1, true)));
        long t2 = ((Route) c.handle(publish(2, 2), 1).get(0)).token();
        assertEquals(new PubRec(2), sent(c.routed(t2, true)));
    }

    @Test
    @DisplayName("(3.14.2.2.3) a server DISCONNECT says why in its Reason String: keep alive expired, 0x8D")
    void disconnectSaysWhy() {
        Channel c = connected(ProtocolVersion.V5);
        List<ChannelEffect> e = c.keepAliveCheck(16 * SECOND);
        Disconnect d = (Disconnect) ((Send) e.get(0)).packet();
        assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, d.reasonCode());
        assertEquals("keep alive expired", d.properties().string(PropertyId.REASON_STRING));
        assertTrue(e.get(e.size() - 1) instanceof Close);
    }

    @Test
    @DisplayName("a Reason String is readable text: control characters replaced, at most 256 characters")
    void reasonStringSanitized() {
        assertEquals("bad ?topic?", OutboundPackets.reasonString("bad \u0000topic\n"));
        assertEquals(256, OutboundPackets.reasonString("x".repeat(1000)).length());
        assertEquals("a??b", OutboundPackets.reasonString("a\uD83D\uDE00b"), "no surrogates: never an unpaired one");
    }
}
