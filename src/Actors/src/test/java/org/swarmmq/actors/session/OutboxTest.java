package org.swarmmq.actors.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.PubRel;
import org.swarmmq.protocol.packets.Publish;

/** The outbound half of a session, without actors: window, queue, packet identifiers, resume. */
class OutboxTest {
    /** A message as the session offers it: delivery QoS decided, packet id 0 (not assigned yet). */
    private static Publish msg(String topic, int qos) {
        return Publish.of(topic, qos, 0, Bytes.utf8(topic));
    }

    private static Publish only(List<Packet> out) {
        assertEquals(1, out.size(), () -> "expected one packet, got " + out);
        return assertInstanceOf(Publish.class, out.get(0));
    }

    private static List<String> topics(List<? extends Packet> out) {
        List<String> t = new ArrayList<>();
        for (Packet p : out) t.add(((Publish) p).topic());
        return t;
    }

    @Test
    @DisplayName("QoS 0 online goes straight out with no packet id and takes no window slot")
    void qos0Online() {
        Outbox o = new Outbox(1, 10);
        Publish p = only(o.offer(msg("a", 0), true));
        assertEquals(0, p.packetId());
        assertEquals("a", p.topic());
        assertEquals(0, o.inflight());
        assertEquals(0, o.queued());
        assertEquals(0, o.dropped());
    }

    @Test
    @DisplayName("QoS 0 for an offline client is dropped and counted, never queued")
    void qos0OfflineDropped() {
        Outbox o = new Outbox(1, 10);
        assertTrue(o.offer(msg("a", 0), false).isEmpty());
        assertTrue(o.offer(msg("b", 0), false).isEmpty());
        assertEquals(2, o.dropped());
        assertEquals(0, o.queued());
        assertTrue(o.resume().isEmpty());
    }

    @Test
    @DisplayName("QoS 1/2 fill the window up to maxInflight, then queue [MQTT-2.3.1-2] distinct ids")
    void windowThenQueue() {
        Outbox o = new Outbox(2, 10);
        Publish first = only(o.offer(msg("m1", 1), true));
        Publish second = only(o.offer(msg("m2", 2), true));
        assertTrue(first.packetId() > 0);
        assertTrue(second.packetId() > 0);
        assertTrue(first.packetId() != second.packetId(), "ids in flight must differ [MQTT-2.3.1-2]");
        assertTrue(o.offer(msg("m3", 1), true).isEmpty(), "window full: queued");
        assertTrue(o.offer(msg("m4", 1), true).isEmpty());
        assertEquals(2, o.inflight());
        assertEquals(2, o.queued());
        assertEquals(List.of(first, second), o.inflightMessages());
    }

    @Test
    @DisplayName("PUBACK frees a slot: the queue is released in order")
    void pubAckReleasesInOrder() {
        Outbox o = new Outbox(1, 10);
        Publish m1 = only(o.offer(msg("m1", 1), true));
        o.offer(msg("m2", 1), true);
        o.offer(msg("m3", 1), true);
        Publish m2 = only(o.onPubAck(m1.packetId()));
        assertEquals("m2", m2.topic());
        Publish m3 = only(o.onPubAck(m2.packetId()));
        assertEquals("m3", m3.topic());
        assertTrue(o.onPubAck(m3.packetId()).isEmpty());
        assertEquals(0, o.inflight());
        assertEquals(0, o.queued());
    }

    @Test
    @DisplayName("an online offer waits behind an existing queue even when the window has room (order kept)")
    void offerKeepsOrderBehindQueue() {
        Outbox o = new Outbox(1, 10);
        o.offer(msg("q1", 1), false); // queued while offline
        assertTrue(o.offer(msg("q2", 1), true).isEmpty(), "must not overtake q1");
        assertEquals(List.of("q1"), topics(o.resume()));
        assertEquals(List.of("q1", "q2"), topics(concat(o.inflightMessages(), queuedPublishes(o))));
    }

    @Test
    @DisplayName("QoS 2: PUBREC answers PUBREL (4.3.3); the id stays in use until PUBCOMP")
    void qos2Flow() {
        Outbox o = new Outbox(1, 10);
        Publish m1 = only(o.offer(msg("m1", 2), true));
        o.offer(msg("m2", 2), true);
        List<Packet> rel = o.onPubRec(m1.packetId());
        assertEquals(List.of(new PubRel(m1.packetId())), rel);
        assertEquals(1, o.inflight(), "PUBREL awaiting PUBCOMP still counts against the window");
        assertEquals(List.of(m1.packetId()), o.releasing());
        assertTrue(o.inflightMessages().isEmpty());
        assertEquals(1, o.queued(), "no release on PUBREC");
        Publish m2 = only(o.onPubComp(m1.packetId()));
        assertEquals("m2", m2.topic());
        assertTrue(o.releasing().isEmpty());
    }

    @Test
    @DisplayName("a repeated PUBREC for a released id answers PUBREL again; other unknown acks are ignored")
    void duplicateAndUnknownAcks() {
        Outbox o = new Outbox(5, 10);
        Publish q1 = only(o.offer(msg("q1", 1), true));
        Publish q2 = only(o.offer(msg("q2", 2), true));
        assertTrue(o.onPubAck(999).isEmpty());
        assertTrue(o.onPubRec(999).isEmpty());
        assertTrue(o.onPubComp(999).isEmpty());
        assertTrue(o.onPubRec(q1.packetId()).isEmpty(), "PUBREC for a QoS 1 message is ignored");
        assertTrue(o.onPubAck(q2.packetId()).isEmpty(), "PUBACK for a QoS 2 message is ignored");
        assertTrue(o.onPubComp(q2.packetId()).isEmpty(), "PUBCOMP before PUBREC is ignored");
        assertEquals(List.of(q1, q2), o.inflightMessages());

        assertEquals(List.of(new PubRel(q2.packetId())), o.onPubRec(q2.packetId()));
        assertEquals(List.of(new PubRel(q2.packetId())), o.onPubRec(q2.packetId()), "PUBREL again");
        o.onPubComp(q2.packetId());
        assertTrue(o.onPubComp(q2.packetId()).isEmpty(), "second PUBCOMP ignored");
        assertTrue(o.onPubRec(q2.packetId()).isEmpty(), "PUBREC after PUBCOMP ignored");
        o.onPubAck(q1.packetId());
        assertTrue(o.onPubAck(q1.packetId()).isEmpty(), "second PUBACK ignored");
        assertEquals(0, o.inflight());
    }

    @Test
    @DisplayName("[MQTT-2.3.1-2] packet ids are never reused while in flight, also across the 65535 wrap-around")
    void idsUniqueAcrossWrap() {
        Outbox o = new Outbox(100, 0);
        // Keep ids 1..50 in flight (as PUBLISH or PUBREL) the whole time, and cycle the rest past 65535.
        Set<Integer> held = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Publish p = only(o.offer(msg("held" + i, i % 2 == 0 ? 1 : 2), true));
            held.add(p.packetId());
            if (p.qos() == 2) o.onPubRec(p.packetId()); // id now awaits PUBCOMP
        }
        Set<Integer> expectedHeld = new HashSet<>();
        for (int i = 1; i <= 50; i++) expectedHeld.add(i);
        assertEquals(expectedHeld, held);

        int last = 0;
        boolean wrapped = false;
        for (int i = 0; i < 70_000; i++) {
            Publish p = only(o.offer(msg("cycle", 1), true));
            int id = p.packetId();
            assertTrue(id >= 1 && id <= 0xFFFF, "id in range: " + id);
            assertFalse(held.contains(id), "id " + id + " reused while in flight [MQTT-2.3.1-2]");
            if (id < last) wrapped = true;
            last = id;
            o.onPubAck(id);
        }
        assertTrue(wrapped, "the counter wrapped past 65535");
        assertEquals(50, o.inflight());
    }

    @Test
    @DisplayName("with a full window across the wrap, every new id is distinct from all in flight")
    void fullWindowAcrossWrap() {
        Outbox o = new Outbox(20, 0);
        List<Integer> inflight = new ArrayList<>();
        for (int i = 0; i < 20; i++) inflight.add(only(o.offer(msg("x", 1), true)).packetId());
        for (int round = 0; round < 8_000; round++) {
            // Ack every other one (out of order), then refill the window.
            for (int k = 0; k < inflight.size(); k += 2) o.onPubAck(inflight.get(k));
            List<Integer> kept = new ArrayList<>();
            for (int k = 1; k < inflight.size(); k += 2) kept.add(inflight.get(k));
            while (kept.size() < 20) {
                int id = only(o.offer(msg("x", 1), true)).packetId();
                assertFalse(kept.contains(id), "id " + id + " collides with one in flight [MQTT-2.3.1-2]");
                kept.add(id);
            }
            inflight = kept;
        }
        assertEquals(20, new HashSet<>(inflight).size());
    }

    @Test
    @DisplayName("the queue is bounded by maxQueued: the excess is dropped and counted")
    void queueBound() {
        Outbox o = new Outbox(1, 2);
        o.offer(msg("inflight", 1), true);
        o.offer(msg("q1", 1), true);
        o.offer(msg("q2", 2), false);
        assertTrue(o.offer(msg("q3", 1), true).isEmpty());
        assertTrue(o.offer(msg("q4", 2), false).isEmpty());
        assertEquals(2, o.queued());
        assertEquals(2, o.dropped());
        assertEquals(List.of("q1", "q2"), topics(queuedPublishes(o)));
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] resume re-sends in-flight PUBLISHes with DUP=1 and original ids, then PUBRELs, in order")
    void resumeResends() {
        Outbox o = new Outbox(5, 10);
        Properties props = Properties.EMPTY.with(PropertyId.CONTENT_TYPE, "text/plain");
        Publish withProps = new Publish(false, 1, false, "p1", 0, Bytes.utf8("x"), props);
        Publish p1 = only(o.offer(withProps, true));
        Publish p2 = only(o.offer(msg("p2", 2), true));
        Publish p3 = only(o.offer(msg("p3", 2), true));
        Publish p4 = only(o.offer(msg("p4", 1), true));
        o.onPubRec(p3.packetId());
        o.onPubRec(p2.packetId());
        o.offer(msg("queued", 1), false); // offline: waits although the window has room
        o.offer(msg("later", 1), false);

        List<Packet> out = o.resume(); // the window lets one queued message out after the re-sends
        assertEquals(5, out.size(), out::toString);
        assertEquals(new Publish(true, 1, false, "p1", p1.packetId(), Bytes.utf8("x"), props), out.get(0));
        assertEquals(new Publish(true, 1, false, "p4", p4.packetId(), Bytes.utf8("p4"), Properties.EMPTY), out.get(1));
        // PUBRELs in the order they were sent
        assertEquals(new PubRel(p3.packetId()), out.get(2));
        assertEquals(new PubRel(p2.packetId()), out.get(3));
        Publish queued = assertInstanceOf(Publish.class, out.get(4));
        assertEquals("queued", queued.topic());
        assertFalse(queued.dup(), "a first delivery is not a duplicate");
        assertEquals(1, o.queued());
    }

    @Test
    @DisplayName("restore(inflightMessages, releasing, queuedMessages) round trip; restored ids are not reused")
    void restoreRoundTrip() {
        Outbox o = new Outbox(3, 10);
        Publish a = only(o.offer(msg("a", 1), true));
        Publish b = only(o.offer(msg("b", 2), true));
        only(o.offer(msg("c", 2), true));
        o.offer(msg("d", 1), true);
        o.offer(msg("e", 2), true);
        o.onPubRec(b.packetId());

        Outbox copy = new Outbox(3, 10);
        copy.restore(o.inflightMessages(), o.releasing(), o.queuedMessages());
        assertEquals(o.inflightMessages(), copy.inflightMessages());
        assertEquals(o.releasing(), copy.releasing());
        assertEquals(o.queuedMessages(), copy.queuedMessages());
        assertEquals(o.inflight(), copy.inflight());
        assertEquals(o.resume(), copy.resume());

        // A fresh id counter must still skip the ids the restored state holds [MQTT-2.3.1-2].
        Outbox fresh = new Outbox(10, 10);
        fresh.restore(o.inflightMessages(), o.releasing(), List.of());
        Set<Integer> inUse = new HashSet<>(o.releasing());
        for (Publish p : o.inflightMessages()) inUse.add(p.packetId());
        for (int i = 0; i < 5; i++) {
            int id = only(fresh.offer(msg("n" + i, 1), true)).packetId();
            assertFalse(inUse.contains(id), "restored id " + id + " reused");
            inUse.add(id);
        }
        // and the restored ids complete normally
        assertTrue(fresh.onPubAck(a.packetId()).isEmpty());
        assertTrue(fresh.onPubComp(b.packetId()).isEmpty());
        assertFalse(fresh.inflightMessages().stream().anyMatch(p -> p.packetId() == a.packetId()));
    }

    @Test
    @DisplayName("clear forgets window and queue (clean start)")
    void clear() {
        Outbox o = new Outbox(1, 10);
        o.offer(msg("a", 1), true);
        o.offer(msg("b", 1), true);
        o.clear();
        assertEquals(0, o.inflight());
        assertEquals(0, o.queued());
        assertTrue(o.resume().isEmpty());
    }

    @Test
    @DisplayName("a smaller Receive Maximum limits the window; a larger one drains the queue on resume")
    void setMaxInflight() {
        Outbox o = new Outbox(1, 10);
        o.offer(msg("a", 1), false);
        o.offer(msg("b", 1), false);
        o.offer(msg("c", 1), false);
        o.setMaxInflight(2);
        assertEquals(List.of("a", "b"), topics(o.resume()));
        assertEquals(1, o.queued());
    }

    private static List<Packet> concat(List<Publish> a, List<Publish> b) {
        List<Packet> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<Publish> queuedPublishes(Outbox o) {
        return o.queuedMessages().stream().map(Outbox.Queued::publish).toList();
    }

    // -- MQTT 5 Message Expiry --

    private static Publish expiring(String topic, int qos, long seconds) {
        return new Publish(false, qos, false, topic, 0, org.swarmmq.protocol.Bytes.utf8("x"),
                org.swarmmq.protocol.packets.Properties.EMPTY.with(
                        org.swarmmq.protocol.packets.PropertyId.MESSAGE_EXPIRY_INTERVAL, seconds));
    }

    private static long expiryOf(org.swarmmq.protocol.packets.Packet p) {
        return ((Publish) p).properties().longValue(org.swarmmq.protocol.packets.PropertyId.MESSAGE_EXPIRY_INTERVAL, -1);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-6] a message sent after waiting carries the expiry interval left; [MQTT-3.3.2-5] an expired one is never sent")
    void messageExpiry() {
        long[] now = {1_000_000};
        Outbox o = new Outbox(1, 10, () -> now[0]);
        assertEquals(10, expiryOf(o.offer(expiring("a", 1, 10), true, now[0] + 10_000).get(0)), "sent at once: all 10 s left");
        o.offer(expiring("b", 1, 10), true, now[0] + 10_000); // waits for the window
        o.offer(expiring("c", 1, 5), true, now[0] + 5_000);
        now[0] += 3_500;
        List<org.swarmmq.protocol.packets.Packet> next = o.onPubAck(1);
        assertEquals(List.of("b"), topics(next));
        assertEquals(7, expiryOf(next.get(0)), "10 s - 3.5 s = 6.5 s, sent as 7");
        now[0] += 2_000; // c expired at +5 s
        assertEquals(List.of(), o.onPubAck(2));
        assertEquals(1, o.expired());
        assertEquals(List.of(), o.offer(expiring("d", 0, 1), true, now[0] - 1), "expired before it was offered");
        assertEquals(2, o.expired());
    }
}
