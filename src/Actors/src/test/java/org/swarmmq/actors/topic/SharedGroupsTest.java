package org.swarmmq.actors.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmmq.actors.topic.TopicStateTest.message;
import static org.swarmmq.actors.topic.TopicStateTest.qos;

import java.util.ArrayList;
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

/** MQTT 5 Shared Subscriptions (4.8.2) in a topic entity's state, without actors. */
class SharedGroupsTest {
    private static final String G = "$share/g/a/+";

    private static Map<String, Delivery> match(TopicState s, Message m) {
        Map<String, Delivery> into = new HashMap<>();
        s.match(m, into);
        return into;
    }

    /** Who of {@code members} got each of {@code n} messages to a/x; fails unless exactly one each time. */
    private static List<String> route(TopicState s, int n, Set<String> members) {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Set<String> to = new HashSet<>(match(s, message("a/x", 1, "p")).keySet());
            to.retainAll(members);
            assertEquals(1, to.size(), "message " + i + " to exactly one member of the group: " + to);
            got.add(to.iterator().next());
        }
        return got;
    }

    private static Map<String, Integer> counts(List<String> got) {
        Map<String, Integer> c = new HashMap<>();
        for (String m : got) c.merge(m, 1, Integer::sum);
        return c;
    }

    @Test
    @DisplayName("4.8.2 each message to exactly one member; round robin: 3 members, 30 messages, 10 each, in turn")
    void oneMemberPerMessageRoundRobin() {
        TopicState s = new TopicState();
        for (String c : List.of("m1", "m2", "m3")) s.subscribe(c, G, qos(1), false);
        s.subscribe("plain", "a/+", qos(1), false);
        List<String> got = route(s, 30, Set.of("m1", "m2", "m3"));
        assertEquals(Map.of("m1", 10, "m2", 10, "m3", 10), counts(got));
        for (int i = 3; i < got.size(); i++) assertEquals(got.get(i - 3), got.get(i), "strict rotation at " + i);
        assertTrue(match(s, message("a/x", 1, "p")).containsKey("plain"), "an ordinary subscriber gets every one");
        assertTrue(match(s, message("b/x", 1, "p")).isEmpty(), "the inner filter decides what matches");
    }

    @Test
    @DisplayName("4.8.2 two ShareNames on one filter are two groups: each gets its own copy")
    void groupsAreIndependent() {
        TopicState s = new TopicState();
        s.subscribe("g1", "$share/one/a/+", qos(1), false);
        s.subscribe("g2", "$share/two/a/+", qos(1), false);
        s.subscribe("g3", "$share/one/a/#", qos(1), false); // another filter: another group
        Map<String, Delivery> d = match(s, message("a/x", 1, "p"));
        assertEquals(Set.of("g1", "g2", "g3"), d.keySet());
        assertEquals(List.of("$share/one/a/+"), d.get("g1").shared());
        assertEquals(List.of("$share/two/a/+"), d.get("g2").shared());
    }

    @Test
    @DisplayName("[MQTT-4.8.2-3] each member's own granted QoS (capped by the message's) and subscription id")
    void memberQosAndIds() {
        TopicState s = new TopicState();
        s.subscribe("low", G, new Options(0, false, false, 0, 5), false);
        s.subscribe("high", G, new Options(2, false, false, 0, 0), false);
        Map<String, Integer> qosOf = new HashMap<>();
        Map<String, List<Integer>> idsOf = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            match(s, message("a/x", 1, "p")).forEach((c, d) -> {
                qosOf.put(c, d.qos());
                idsOf.put(c, d.subscriptionIds());
            });
        }
        assertEquals(Map.of("low", 0, "high", 1), qosOf);
        assertEquals(Map.of("low", List.of(5), "high", List.of()), idsOf);
    }

    @Test
    @DisplayName("a member leaving: the others share every message; the last one leaving removes the group")
    void unsubscribeMembers() {
        TopicState s = new TopicState();
        for (String c : List.of("m1", "m2", "m3")) s.subscribe(c, G, qos(1), false);
        route(s, 1, Set.of("m1", "m2", "m3")); // m1 had its turn, m2 is next
        s.unsubscribe("m2", G);
        assertFalse(s.hasSubscriber("m2"));
        assertEquals(List.of("m3", "m1", "m3", "m1"), route(s, 4, Set.of("m1", "m3")),
                "the member after the one that left keeps its turn");
        assertFalse(s.unsubscribe("m2", G), "not a member any more");
        s.unsubscribe("m1", G);
        assertEquals(List.of("m3", "m3"), route(s, 2, Set.of("m3")));
        s.unsubscribe("m3", G);
        assertFalse(s.hasSubscriptions(), "the last member leaving removes the group");
        assertEquals(List.of(), s.sharedMembers(G));
        assertTrue(match(s, message("a/x", 1, "p")).isEmpty());
    }

    @Test
    @DisplayName("a member with an ordinary subscription that also matches: one merged delivery naming the group; the turn still moves")
    void mergedWithOrdinary() {
        TopicState s = new TopicState();
        s.subscribe("both", G, qos(2), false);
        s.subscribe("both", "a/x", new Options(0, false, false, 0, 9), false);
        s.subscribe("other", G, qos(1), false);
        Map<String, Delivery> first = match(s, message("a/x", 2, "p"));
        assertEquals(Set.of("both"), first.keySet(), "the group chose 'both', who also has a/x");
        assertEquals(2, first.get("both").qos(), "highest of its matching subscriptions [MQTT-3.3.4-2]");
        assertEquals(List.of(G), first.get("both").shared());
        assertEquals(List.of(9), first.get("both").subscriptionIds());
        Map<String, Delivery> second = match(s, message("a/x", 2, "p"));
        assertEquals(Set.of("both", "other"), second.keySet(), "'other' has its turn; 'both' still has a/x");
        assertEquals(List.of(), second.get("both").shared(), "this copy is the ordinary subscription's");
        assertEquals(0, second.get("both").qos());
        assertEquals(List.of(G), second.get("other").shared());
    }

    @Test
    @DisplayName("4.8.2 a message given back by a member whose session ended goes to another member, never to it")
    void redeliverToAnother() {
        TopicState s = new TopicState();
        s.subscribe("leaver", G, qos(1), false);
        s.subscribe("stays", G, qos(1), true);
        for (int i = 0; i < 4; i++) {
            Map<String, Delivery> into = new HashMap<>();
            assertTrue(s.redeliver(G, "leaver", message("a/x", 1, "p"), into));
            assertEquals(Set.of("stays"), into.keySet());
            assertEquals(new Delivery(1, false, List.of(), true, List.of(G)), into.get("stays"));
        }
        s.unsubscribe("stays", G);
        Map<String, Delivery> none = new HashMap<>();
        assertFalse(s.redeliver(G, "leaver", message("a/x", 1, "p"), none), "nobody else in the group");
        assertFalse(s.redeliver("$share/nosuch/a/+", "leaver", message("a/x", 1, "p"), none));
        assertTrue(none.isEmpty());
    }

    @Test
    @DisplayName("wildcard-first shared filters ($share/g/#) match as their inner filter, $ topics excepted [MQTT-4.7.2-1]")
    void wildcardInner() {
        TopicState s = new TopicState();
        s.subscribe("w", "$share/g/#", qos(1), false);
        assertTrue(s.hasSubscriptions());
        assertEquals(Set.of("w"), match(s, message("any/thing", 1, "p")).keySet());
        assertTrue(match(s, message("$SYS/x", 1, "p")).isEmpty());
    }

    @Test
    @DisplayName("durable shared subscriptions are in the snapshot form (the ordinary record, full $share filter) and come back working")
    void durableSurvivesSnapshot() {
        TopicState s = new TopicState();
        s.subscribe("d1", G, qos(2), true);
        s.subscribe("d2", G, qos(1), true);
        s.subscribe("t", G, qos(1), false);
        assertTrue(s.isDurable("d1", G));
        assertEquals(Set.of(new TopicState.SubscriptionRecord("d1", G, qos(2)),
                new TopicState.SubscriptionRecord("d2", G, qos(1))), new HashSet<>(s.durable()));

        TopicState back = new TopicState(s.durable(), s.retainedMessages(), List.copyOf(s.retainedRoots()));
        assertEquals(Set.of("d1", "d2"), new HashSet<>(back.sharedMembers(G)));
        assertTrue(back.isDurable("d2", G));
        assertEquals(Map.of("d1", 5, "d2", 5), counts(route(back, 10, Set.of("d1", "d2"))));
        assertTrue(back.unsubscribe("d1", G), "reported durable, so the removal is journaled");
    }

    @Test
    @DisplayName("members whose clients are away are skipped while another is there; all away: plain round robin")
    void prefersPresent() {
        TopicState s = new TopicState();
        for (String c : List.of("m1", "m2", "m3")) s.subscribe(c, G, qos(1), false);
        s.sharedPresence(G, "m2", false);
        assertEquals(Map.of("m1", 3, "m3", 3), counts(route(s, 6, Set.of("m1", "m2", "m3"))));
        s.sharedPresence(G, "m1", false);
        s.sharedPresence(G, "m3", false);
        assertEquals(Map.of("m1", 2, "m2", 2, "m3", 2), counts(route(s, 6, Set.of("m1", "m2", "m3"))),
                "nobody there: every member in turn, their sessions queue");
        s.sharedPresence(G, "m2", true);
        assertEquals(Map.of("m2", 3), counts(route(s, 3, Set.of("m1", "m2", "m3"))));
        s.subscribe("m1", G, qos(1), false); // subscribing again: its client is here
        assertEquals(Map.of("m1", 2, "m2", 2), counts(route(s, 4, Set.of("m1", "m2", "m3"))));
        s.sharedPresence("$share/none/a/+", "m1", false); // unknown group: ignored
        s.sharedPresence(G, "stranger", false);
        Map<String, Delivery> into = new HashMap<>();
        assertTrue(s.redeliver(G, "m2", message("a/x", 1, "p"), into));
        assertEquals(Set.of("m1"), into.keySet(), "a redelivery prefers a present member too");
    }
}
