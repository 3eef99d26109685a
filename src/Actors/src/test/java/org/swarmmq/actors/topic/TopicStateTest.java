package org.swarmmq.actors.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.topic.TopicProtocol.Delivery;
import org.swarmmq.actors.topic.TopicProtocol.Options;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Properties;

/** A topic entity's state, without actors: subscriptions, matching, retained messages. */
class TopicStateTest {
    static Options qos(int qos) {
        return new Options(qos, false, false, 0, 0);
    }

    static Message message(String topic, int qos, String publisher) {
        return new Message(topic, Bytes.utf8("payload of " + topic), qos, false, Properties.EMPTY, publisher, 1L);
    }

    static Message retained(String topic, String payload) {
        return new Message(topic, Bytes.utf8(payload), 1, true, Properties.EMPTY, "pub", 1L);
    }

    private static Map<String, Delivery> match(TopicState s, Message m) {
        Map<String, Delivery> into = new HashMap<>();
        s.match(m, into);
        return into;
    }

    @Test
    @DisplayName("[MQTT-3.8.4-3] a second SUBSCRIBE to the same filter replaces the options: one delivery, new QoS")
    void subscribeReplaces() {
        TopicState s = new TopicState();
        s.subscribe("c1", "a/b", qos(2), false);
        s.subscribe("c1", "a/b", qos(1), false);
        Map<String, Delivery> d = match(s, message("a/b", 2, "p"));
        assertEquals(Set.of("c1"), d.keySet());
        assertEquals(1, d.get("c1").qos(), "replaced options apply, not the higher old ones");
        s.unsubscribe("c1", "a/b");
        assertTrue(match(s, message("a/b", 2, "p")).isEmpty(), "one unsubscribe removes the replaced subscription");
        assertFalse(s.hasSubscriptions());
    }

    @Test
    @DisplayName("unsubscribe removes only that client's filter; unknown ones are a no-op")
    void unsubscribe() {
        TopicState s = new TopicState();
        s.subscribe("c1", "a/+", qos(0), false);
        s.subscribe("c2", "a/+", qos(0), false);
        assertFalse(s.unsubscribe("c3", "a/+"));
        assertFalse(s.unsubscribe("c1", "a/#"));
        s.unsubscribe("c1", "a/+");
        assertEquals(Set.of("c2"), match(s, message("a/x", 0, "p")).keySet());
        assertTrue(s.hasSubscriptions());
    }

    @Test
    @DisplayName("durable vs transient: durable() lists only durable ones; a transient re-subscribe clears durability")
    void durableTracking() {
        TopicState s = new TopicState();
        s.subscribe("d", "a/b", qos(1), true);
        s.subscribe("t", "a/b", qos(1), false);
        assertTrue(s.isDurable("d", "a/b"));
        assertFalse(s.isDurable("t", "a/b"));
        assertEquals(List.of(new TopicState.SubscriptionRecord("d", "a/b", qos(1))), s.durable());

        s.subscribe("d", "a/b", qos(2), false);
        assertFalse(s.isDurable("d", "a/b"));
        assertTrue(s.durable().isEmpty());

        s.subscribe("t", "a/b", qos(0), true);
        assertTrue(s.unsubscribe("t", "a/b"), "unsubscribe reports a durable subscription");
        assertFalse(s.unsubscribe("d", "a/b"), "and a transient one as not durable");
        assertFalse(s.isDurable("t", "a/b"));
    }

    @Test
    @DisplayName("[MQTT-3.3.5-1] overlapping filters give one delivery at the highest QoS, capped by the message QoS")
    void overlappingHighestQos() {
        TopicState s = new TopicState();
        s.subscribe("c", "a/#", qos(0), false);
        s.subscribe("c", "a/+", qos(2), false);
        s.subscribe("c", "a/b", qos(1), false);
        s.subscribe("other", "a/b", qos(0), false);
        Map<String, Delivery> d = match(s, message("a/b", 1, "p"));
        assertEquals(Set.of("c", "other"), d.keySet());
        assertEquals(1, d.get("c").qos(), "max(0,2,1)=2 capped by message QoS 1");
        assertEquals(0, d.get("other").qos());
        assertEquals(2, match(s, message("a/b", 2, "p")).get("c").qos());
        assertEquals(0, match(s, message("a/b", 0, "p")).get("c").qos());
    }

    @Test
    @DisplayName("match merges into deliveries found earlier (the wildcard entity's), keeping the highest QoS")
    void mergesPrior() {
        TopicState s = new TopicState();
        s.subscribe("c", "a/b", new Options(1, false, false, 0, 7), false);
        Map<String, Delivery> into = new HashMap<>();
        into.put("c", new Delivery(2, false, List.of(3), false));
        s.match(message("a/b", 2, "p"), into);
        assertEquals(2, into.get("c").qos());
        assertEquals(Set.of(3, 7), new HashSet<>(into.get("c").subscriptionIds()));
    }

    @Test
    @DisplayName("[MQTT-3.8.3-3] No Local: the publisher's own subscription is skipped, others still match")
    void noLocal() {
        TopicState s = new TopicState();
        s.subscribe("me", "a/b", new Options(1, true, false, 0, 0), false);
        s.subscribe("me", "a/#", qos(0), false); // without No Local: still delivered via this one
        s.subscribe("you", "a/b", new Options(1, true, false, 0, 0), false);
        Map<String, Delivery> d = match(s, message("a/b", 1, "me"));
        assertEquals(Set.of("me", "you"), d.keySet());
        assertEquals(0, d.get("me").qos(), "only the filter without No Local matched for the publisher");

        s.unsubscribe("me", "a/#");
        assertEquals(Set.of("you"), match(s, message("a/b", 1, "me")).keySet());
    }

    @Test
    @DisplayName("[MQTT-3.3.4-3] every matching subscription id is collected; Retain As Published carried")
    void subscriptionIdsAndRetainAsPublished() {
        TopicState s = new TopicState();
        s.subscribe("c", "a/#", new Options(1, false, false, 0, 11), false);
        s.subscribe("c", "a/+", new Options(1, false, true, 0, 12), false);
        s.subscribe("c", "a/b", new Options(1, false, false, 0, 0), false); // no id
        Delivery d = match(s, message("a/b", 1, "p")).get("c");
        assertEquals(Set.of(11, 12), new HashSet<>(d.subscriptionIds()));
        assertEquals(2, d.subscriptionIds().size());
        assertTrue(d.retainAsPublished());

        TopicState plain = new TopicState();
        plain.subscribe("c", "a/b", qos(1), false);
        Delivery p = match(plain, message("a/b", 1, "p")).get("c");
        assertEquals(List.of(), p.subscriptionIds());
        assertFalse(p.retainAsPublished());
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] retain() stores the last message per topic; [MQTT-3.3.1-10] an empty payload removes it")
    void retain() {
        TopicState s = new TopicState();
        s.retain(retained("a/b", "one"));
        s.retain(retained("a/b", "two"));
        assertEquals(List.of(retained("a/b", "two")), s.retainedMatching("a/b"));
        assertTrue(s.hasRetained("a/b"));
        s.retain(new Message("a/b", Bytes.EMPTY, 0, true, Properties.EMPTY, "pub", 2L));
        assertFalse(s.hasRetained("a/b"));
        assertTrue(s.retainedMatching("a/#").isEmpty());
        assertTrue(s.retainedMessages().isEmpty());
    }

    @Test
    @DisplayName("retainedMatching applies wildcards: + one level, # the rest and the parent (4.7.1.2)")
    void retainedMatchingWildcards() {
        TopicState s = new TopicState();
        for (String t : List.of("a", "a/b", "a/c", "a/b/c", "b/x")) s.retain(retained(t, t));
        assertEquals(Set.of("a", "a/b", "a/c", "a/b/c", "b/x"), topics(s.retainedMatching("#")));
        assertEquals(Set.of("a", "a/b", "a/c", "a/b/c"), topics(s.retainedMatching("a/#")));
        assertEquals(Set.of("a/b", "a/c"), topics(s.retainedMatching("a/+")));
        assertEquals(Set.of("a/b/c"), topics(s.retainedMatching("+/+/c")));
        assertEquals(Set.of(), topics(s.retainedMatching("a/b/c/d")));
    }

    @Test
    @DisplayName("[MQTT-4.7.2-1] wildcard-first filters do not match retained $ topics")
    void dollarTopics() {
        TopicState s = new TopicState();
        s.retain(retained("$SYS/uptime", "1"));
        assertTrue(s.retainedMatching("#").isEmpty());
        assertTrue(s.retainedMatching("+/uptime").isEmpty());
        assertEquals(1, s.retainedMatching("$SYS/#").size());
    }

    @Test
    @DisplayName("the Jackson-facing constructor rebuilds what durable(), retainedMessages() and retainedRoots() give")
    void snapshotFormRoundTrip() {
        TopicState s = new TopicState();
        s.subscribe("d1", "a/#", new Options(2, true, true, 1, 5), true);
        s.subscribe("d2", "a/b", qos(1), true);
        s.subscribe("t", "a/b", qos(2), false);
        s.retain(retained("a/b", "x"));
        s.retain(retained("a/c", "y"));
        s.addRetainedRoot("r:a");
        s.addRetainedRoot("r:b");

        TopicState back = new TopicState(s.durable(), s.retainedMessages(), List.copyOf(s.retainedRoots()));
        assertEquals(new HashSet<>(s.durable()), new HashSet<>(back.durable()));
        assertEquals(2, back.durable().size(), "the transient subscription is not part of the snapshot");
        assertEquals(s.retainedMessages(), back.retainedMessages());
        assertEquals(Set.of("r:a", "r:b"), back.retainedRoots());
        assertTrue(back.isDurable("d1", "a/#"));
        Map<String, Delivery> d = match(back, message("a/b", 2, "other"));
        assertEquals(Set.of("d1", "d2"), d.keySet());
        assertEquals(2, d.get("d1").qos());
        assertEquals(List.of(5), d.get("d1").subscriptionIds());
        assertTrue(match(back, message("a/b", 2, "d1")).containsKey("d2"));
        assertFalse(match(back, message("a/b", 2, "d1")).containsKey("d1"), "No Local survived the round trip");

        TopicState fromNullRoots = new TopicState(List.of(), List.of(), null);
        assertTrue(fromNullRoots.retainedRoots().isEmpty(), "snapshots older than retainedRoots still load");
    }

    private static Set<String> topics(List<Message> messages) {
        Set<String> out = new HashSet<>();
        for (Message m : messages) out.add(m.topic());
        return out;
    }
}
