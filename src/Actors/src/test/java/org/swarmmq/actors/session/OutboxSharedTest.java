package org.swarmmq.actors.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.actors.Message;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.Publish;

/** What an ending session gives back to its Shared Subscriptions (4.8.2), without actors. */
class OutboxSharedTest {
    private static final SharedOrigin G = new SharedOrigin(List.of("$share/g/t/+"), 2, Outbox.NEVER);

    private static Publish msg(String topic, int qos) {
        return Publish.of(topic, qos, 0, Bytes.utf8(topic));
    }

    private static int id(List<Packet> sent) {
        return ((Publish) sent.get(0)).packetId();
    }

    private static List<String> givenBack(Outbox o) {
        List<String> out = new ArrayList<>();
        for (Outbox.GivenBack g : o.sharedToGiveBack()) out.add(g.publish().topic());
        return out;
    }

    @Test
    @DisplayName("QoS 1 in flight unacknowledged and queued messages go back; acknowledged ones and ordinary ones do not")
    void whatGoesBack() {
        Outbox o = new Outbox(3, 10);
        int acked = id(o.offer(msg("t/acked", 1), true, Outbox.NEVER, G));
        o.offer(msg("t/inflight", 1), true, Outbox.NEVER, G);
        o.offer(msg("t/ordinary", 1), true, Outbox.NEVER, null);
        o.offer(msg("t/queued1", 1), true, Outbox.NEVER, G); // window full: queued
        o.offer(msg("t/queued2", 2), true, Outbox.NEVER, G);
        o.onPubAck(acked); // t/queued1 moves into the window, still the group's
        assertEquals(List.of("t/inflight", "t/queued1", "t/queued2"), givenBack(o));
        o.clear();
        assertEquals(List.of(), givenBack(o));
    }

    @Test
    @DisplayName("[MQTT-4.8.2-5] a QoS 2 message in flight never goes to another member, before PUBREC or after")
    void qos2InFlightStays() {
        Outbox o = new Outbox(5, 10);
        int a = id(o.offer(msg("t/q2a", 2), true, Outbox.NEVER, G));
        o.offer(msg("t/q2b", 2), true, Outbox.NEVER, G);
        o.onPubRec(a);
        assertEquals(List.of(), givenBack(o));
        assertEquals(1, o.inflightShared().size(), "t/q2b awaiting PUBREC still knows its group");
    }

    @Test
    @DisplayName("offline: what was queued for the group goes back; the record form restores it (inflightShared by packet id)")
    void restoreKeepsOrigins() {
        Outbox o = new Outbox(1, 10);
        o.offer(msg("t/sent", 1), true, Outbox.NEVER, G);
        o.offer(msg("t/waiting", 1), false, Outbox.NEVER, G);
        Outbox back = new Outbox(1, 10);
        back.restore(o.inflightMessages(), o.releasing(), o.queuedMessages(), o.inflightShared());
        assertEquals(List.of("t/sent", "t/waiting"), givenBack(back));
    }

    @Test
    @DisplayName("the message given back is as published: its QoS, no Subscription Identifiers, the expiry left [MQTT-3.3.2-6]")
    void messageAsPublished() {
        long now = 1_000_000L;
        Publish p = new Publish(false, 1, false, "t/x", 9, Bytes.utf8("v"), Properties.EMPTY
                .with(PropertyId.SUBSCRIPTION_IDENTIFIER, 4).with(PropertyId.CONTENT_TYPE, "c")
                .with(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60L));
        SharedOrigin origin = new SharedOrigin(List.of("$share/a/t/+", "$share/b/t/#"), 2, now + 10_500);
        List<org.swarmmq.actors.topic.TopicProtocol.Redeliver> r = SharedMember.of("me",
                List.of(new Outbox.GivenBack(p, origin)), now);
        assertEquals(List.of("$share/a/t/+", "$share/b/t/#"), r.stream().map(x -> x.sharedFilter()).toList());
        Message m = r.get(0).message();
        assertEquals("me", r.get(0).leaver());
        assertEquals(2, m.qos(), "the published QoS, not the leaver's");
        assertEquals(Properties.EMPTY.with(PropertyId.CONTENT_TYPE, "c").with(PropertyId.MESSAGE_EXPIRY_INTERVAL, 11L),
                m.properties());
        assertEquals(List.of(), SharedMember.of("me", List.of(new Outbox.GivenBack(p, origin)), now + 10_500),
                "expired: not given back [MQTT-3.3.2-5]");
    }
}
