package org.swarmmq.actors.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.codec.PacketEncoder;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Publish;

/** [MQTT-3.1.2-24][MQTT-3.1.2-25] the Outbox never sends a PUBLISH above the client's Maximum Packet Size. */
class OutboxPacketSizeTest {
    private static Publish msg(String topic, int qos, int payloadBytes) {
        return Publish.of(topic, qos, 0, Bytes.utf8("x".repeat(payloadBytes)));
    }

    /** The size as sent: a QoS 1/2 PUBLISH has a two-byte packet id on the wire. */
    private static int wireSize(Publish p) {
        return PacketEncoder.encodedSize(p.qos() > 0 ? p.withPacketId(1) : p, ProtocolVersion.V5);
    }

    @Test
    @DisplayName("QoS 0 and 1 at exactly the limit are sent; one byte over: discarded, counted, no packet id used")
    void atAndOverTheLimit() {
        Publish small = msg("t", 1, 100);
        Outbox o = new Outbox(10, 10);
        o.setMaxPacketSize(wireSize(small));
        assertEquals(1, o.offer(small, true).size());
        assertEquals(1, o.inflight());
        assertTrue(o.offer(msg("t", 1, 101), true).isEmpty(), "one byte more than allowed");
        assertEquals(1, o.tooLarge());
        assertEquals(1, o.inflight(), "not in flight: nothing waits for a PUBACK");
        assertEquals(0, o.queued());
        Publish next = (Publish) o.offer(msg("t", 1, 10), true).get(0);
        assertEquals(2, next.packetId(), "the discarded message took no packet identifier");
        Publish qos0 = msg("t", 0, 100);
        Outbox zero = new Outbox(10, 10);
        zero.setMaxPacketSize(wireSize(qos0));
        assertEquals(1, zero.offer(qos0, true).size());
        assertTrue(zero.offer(msg("t", 0, 101), true).isEmpty());
        assertEquals(1, zero.tooLarge());
    }

    @Test
    @DisplayName("the size counts what is added on the way out: the remaining Message Expiry and the Subscription Identifiers")
    void propertiesCount() {
        Publish bare = msg("t", 1, 50);
        Publish withIds = new Publish(false, 1, false, "t", 0, bare.payload(), Properties.EMPTY
                .with(PropertyId.SUBSCRIPTION_IDENTIFIER, 1000).with(PropertyId.SUBSCRIPTION_IDENTIFIER, 2000));
        Outbox o = new Outbox(10, 10, () -> 0L);
        o.setMaxPacketSize(wireSize(bare));
        assertTrue(o.offer(withIds, true).isEmpty(), "subscription ids make it larger than the limit");
        assertTrue(o.offer(bare, true, 60_000).isEmpty(), "so does the Message Expiry Interval it is sent with");
        assertEquals(2, o.tooLarge());
        assertEquals(1, o.offer(bare, true).size());
    }

    @Test
    @DisplayName("a queued message too large when the window lets it out is skipped; the next goes")
    void queuedThenTooLarge() {
        Outbox o = new Outbox(1, 10);
        o.setMaxPacketSize(wireSize(msg("t", 1, 20)));
        Publish first = (Publish) o.offer(msg("t", 1, 10), true).get(0);
        assertTrue(o.offer(msg("big", 1, 500), true).isEmpty(), "waits for the window");
        assertTrue(o.offer(msg("ok", 1, 5), true).isEmpty());
        assertEquals(2, o.queued());
        List<Packet> out = o.onPubAck(first.packetId());
        assertEquals(1, out.size());
        assertEquals("ok", ((Publish) out.get(0)).topic());
        assertEquals(1, o.tooLarge());
    }

    @Test
    @DisplayName("in flight when the client left, too large for its new connection: not re-sent, done with")
    void resumeWithSmallerLimit() {
        Outbox o = new Outbox(10, 10);
        o.offer(msg("big", 1, 500), true);
        o.offer(msg("small", 1, 5), true);
        o.setMaxPacketSize(100);
        List<Packet> again = o.resume();
        assertEquals(1, again.size());
        Publish p = (Publish) again.get(0);
        assertEquals("small", p.topic());
        assertTrue(p.dup());
        assertEquals(1, o.inflight());
        assertEquals(1, o.tooLarge());
    }

    @Test
    @DisplayName("0 (an Attach from a node that did not know the field) and NO_LIMIT mean no limit")
    void noLimit() {
        Outbox o = new Outbox(10, 10);
        o.setMaxPacketSize(0);
        assertEquals(1, o.offer(msg("t", 1, 100_000), true).size());
        assertEquals(0, o.tooLarge());
    }
}
