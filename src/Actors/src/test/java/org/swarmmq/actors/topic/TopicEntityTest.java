package org.swarmmq.actors.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.TestNode;
import org.swarmmq.actors.session.SessionProtocol;
import org.swarmmq.actors.topic.TopicProtocol.Delivery;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Properties;

/**
 * The real topic entities, sharded and journaled on H2. The session entity type is a stand-in
 * that hands each Deliver to the probe registered for its client id: wiring, the topic side is real.
 */
class TopicEntityTest {
    record Delivered(String clientId, Message message, Delivery delivery) {
    }

    private static final Map<String, ActorRef<Delivered>> INBOXES = new ConcurrentHashMap<>();

    private static Behavior<SessionProtocol.Command> standInSession(String clientId) {
        return Behaviors.receive(SessionProtocol.Command.class)
                .onMessage(SessionProtocol.Deliver.class, d -> {
                    ActorRef<Delivered> inbox = INBOXES.get(clientId);
                    if (inbox != null) inbox.tell(new Delivered(clientId, d.message(), d.delivery()));
                    // as a persistent session does once the message is stored
                    if (d.confirmTo() != null) d.confirmTo().tell(new TopicProtocol.Confirmed(d.correlationId()));
                    return Behaviors.same();
                })
                .build();
    }

    @TempDir
    static Path dir;
    private static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(dir.resolve("shared")).withTopics().withSessions(TopicEntityTest::standInSession);
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    // -- helpers --

    private static TestProbe<Delivered> inbox(TestNode n, String clientId) {
        TestProbe<Delivered> probe = n.kit.createTestProbe(Delivered.class);
        INBOXES.put(clientId, probe.getRef());
        return probe;
    }

    static TopicProtocol.Options qos(int qos, int subscriptionId) {
        return new TopicProtocol.Options(qos, false, false, 0, subscriptionId);
    }

    static Message message(String topic, String payload, int qos, boolean retain) {
        return new Message(topic, Bytes.utf8(payload), qos, retain, Properties.EMPTY, "publisher", 1L);
    }

    private static List<Message> subscribe(TestNode n, String clientId, String filter, TopicProtocol.Options o,
                                           boolean durable) {
        TestProbe<TopicProtocol.Subscribed> reply = n.kit.createTestProbe(TopicProtocol.Subscribed.class);
        n.topic(TopicRoots.entityIdOfFilter(filter)).tell(new TopicProtocol.Subscribe(clientId, filter, o, durable,
                null, reply.getRef())); // no direct session ref: deliveries take the EntityRef path
        TopicProtocol.Subscribed s = reply.expectMessageClass(TopicProtocol.Subscribed.class, TestNode.TIMEOUT);
        assertEquals(filter, s.filter());
        return s.retained();
    }

    /** To the topic's root entity, as a node routes while no wildcard-first filter exists. */
    private static void routeToRoot(TestNode n, Message m) {
        TestProbe<TopicProtocol.RouteReply> replies = n.kit.createTestProbe(TopicProtocol.RouteReply.class);
        n.topic(TopicRoots.entityIdOf(m.topic())).tell(new TopicProtocol.Route(m, Map.of(), replies.getRef(), 5));
        TestNode.awaitRouted(replies, 5);
    }

    /** Through the Router with wildcard routing on: the wildcard entity first, then the root. */
    private static void routeViaWildcard(TestNode n, Message m) {
        TestProbe<TopicProtocol.RouteReply> replies = n.kit.createTestProbe(TopicProtocol.RouteReply.class);
        new Router(n.sharding, new NodeRoutes.Flags()).route(m, replies.getRef(), 6);
        TestNode.awaitRouted(replies, 6);
    }

    private static Set<String> topicsUnder(List<Message> retained, String... roots) {
        Set<String> out = new HashSet<>();
        for (Message m : retained) {
            for (String r : roots) if (m.topic().startsWith(r + "/")) out.add(m.topic() + "=" + m.payload().utf8String());
        }
        return out;
    }

    // -- tests --

    @Test
    @DisplayName("subscribe, then route: the matching message reaches the session at min(granted, message) QoS [MQTT-3.8.4-8]")
    void subscribeThenRoute() {
        TestProbe<Delivered> c1 = inbox(node, "c1");
        assertEquals(List.of(), subscribe(node, "c1", "ta/b", qos(1, 0), false));
        routeToRoot(node, message("ta/c", "not for c1", 2, false));
        routeToRoot(node, message("ta/b", "for c1", 2, false));
        Delivered d = c1.expectMessageClass(Delivered.class, TestNode.TIMEOUT);
        assertEquals("ta/b", d.message().topic(), "the first delivery is the matching one: ta/c went nowhere");
        assertEquals(new Delivery(1, false, List.of(), false), d.delivery());
    }

    @Test
    @DisplayName("read-your-write: a retained message routed before a SUBSCRIBE is in its reply; empty payload removes it [MQTT-3.3.1-10]")
    void retainedReadYourWrite() {
        Message kept = message("tr/x", "kept", 1, true);
        routeToRoot(node, kept);
        assertEquals(List.of(kept), subscribe(node, "r1", "tr/#", qos(1, 0), false));
        routeToRoot(node, new Message("tr/x", Bytes.EMPTY, 0, true, Properties.EMPTY, "publisher", 2L));
        assertEquals(List.of(), subscribe(node, "r2", "tr/+", qos(1, 0), false));
    }

    @Test
    @DisplayName("the wildcard entity gathers retained messages from every root for # and +/x, never $ topics [MQTT-4.7.2-1]")
    void wildcardGathersRetained() {
        routeViaWildcard(node, message("wa/1", "one", 1, true));
        routeViaWildcard(node, message("wb/2", "two", 1, true));
        routeViaWildcard(node, message("$SYS/wc", "sys", 1, true));
        List<Message> all = subscribe(node, "wild", "#", qos(1, 0), false);
        assertEquals(Set.of("wa/1=one", "wb/2=two"), topicsUnder(all, "wa", "wb", "$SYS"));
        List<Message> two = subscribe(node, "wild2", "+/2", qos(1, 0), false);
        assertEquals(Set.of("wb/2=two"), topicsUnder(two, "wa", "wb", "$SYS"));
        node.topic(TopicRoots.WILDCARD).tell(new TopicProtocol.Unsubscribe("wild", "#"));
        node.topic(TopicRoots.WILDCARD).tell(new TopicProtocol.Unsubscribe("wild2", "+/2"));
    }

    @Test
    @DisplayName("[MQTT-3.3.5-1] overlapping filters in the wildcard and root entities: one delivery at the highest QoS, every subscription id")
    void overlappingFiltersOneDelivery() {
        TestProbe<Delivered> ov = inbox(node, "ov");
        subscribe(node, "ov", "ov/#", qos(0, 1), false);
        subscribe(node, "ov", "+/x", qos(2, 2), false); // lives in the wildcard entity
        subscribe(node, "ov", "ov/x", qos(1, 0), false);
        routeViaWildcard(node, message("ov/x", "once", 2, false));
        routeViaWildcard(node, message("ov/y", "marker", 1, false));
        Delivered first = ov.expectMessageClass(Delivered.class, TestNode.TIMEOUT);
        assertEquals("ov/x", first.message().topic());
        assertEquals(2, first.delivery().qos());
        assertEquals(Set.of(1, 2), new HashSet<>(first.delivery().subscriptionIds()));
        assertEquals(2, first.delivery().subscriptionIds().size());
        Delivered second = ov.expectMessageClass(Delivered.class, TestNode.TIMEOUT);
        assertEquals("ov/y", second.message().topic(), "no second copy of ov/x");
        assertEquals(0, second.delivery().qos());
        node.topic(TopicRoots.WILDCARD).tell(new TopicProtocol.Unsubscribe("ov", "+/x"));
    }

    @Test
    @DisplayName("retained messages, retained roots and durable subscriptions survive a restart, also from a snapshot")
    void survivesRestart() throws Exception {
        Path data = dir.resolve("restart");
        try (TestNode n1 = TestNode.start(data).withTopics().withSessions(TopicEntityTest::standInSession)) {
            subscribe(n1, "durable", "k/#", qos(1, 0), true);
            subscribe(n1, "transient", "k/#", qos(1, 0), false);
            routeViaWildcard(n1, message("k/1", "one", 1, true));
            routeToRoot(n1, message("k/2", "two", 1, true));
            routeToRoot(n1, new Message("k/2", Bytes.EMPTY, 1, true, Properties.EMPTY, "p", 2L));
            // Enough events for the entity to snapshot (every 1000), so recovery starts from one.
            TestProbe<TopicProtocol.RouteReply> routed = n1.kit.createTestProbe(TopicProtocol.RouteReply.class);
            for (int i = 0; i < 1000; i++) {
                n1.topic("r:s").tell(new TopicProtocol.Route(message("s/" + (i % 10), "v" + i, 0, true), Map.of(),
                        routed.getRef(), i));
            }
            routed.receiveSeveralMessages(1000, TestNode.TIMEOUT);
            n1.kit.createTestProbe().awaitAssert(TestNode.TIMEOUT, () -> {
                assertTrue(snapshots(data, "topic|r:s") > 0, "a snapshot of topic r:s was stored");
                return null;
            });
        }
        try (TestNode n2 = TestNode.start(data).withTopics().withSessions(TopicEntityTest::standInSession)) {
            assertEquals(List.of(message("k/1", "one", 1, true)), subscribe(n2, "late", "k/+", qos(1, 0), false));
            Map<String, String> all = new HashMap<>();
            for (Message m : subscribe(n2, "late", "#", qos(1, 0), false)) all.put(m.topic(), m.payload().utf8String());
            assertEquals("one", all.get("k/1"), "the wildcard entity still knows root r:k holds retained messages");
            assertFalse(all.containsKey("k/2"), "the removal was journaled too");
            for (int j = 0; j < 10; j++) assertEquals("v" + (990 + j), all.get("s/" + j), "last value of s/" + j);

            TestProbe<Delivered> durable = inbox(n2, "durable");
            TestProbe<Delivered> late = inbox(n2, "late");
            inbox(n2, "transient");
            routeToRoot(n2, message("k/3", "after", 1, false));
            Delivered d = durable.expectMessageClass(Delivered.class, TestNode.TIMEOUT);
            assertEquals("k/3", d.message().topic(), "the durable subscription came back from the journal");
            assertEquals("k/3", late.expectMessageClass(Delivered.class, TestNode.TIMEOUT).message().topic());
        }
    }

    @Test
    @DisplayName("4.8.2 a wildcard-first Shared Subscription lives in the wildcard entity: one member per message; no retained ones (3.8.4)")
    void sharedWildcardFirst() {
        routeViaWildcard(node, message("shw/r", "retained", 1, true));
        TestProbe<Delivered> a = inbox(node, "shw-a");
        TestProbe<Delivered> b = inbox(node, "shw-b");
        assertEquals(List.of(), subscribe(node, "shw-a", "$share/g/+/x", qos(1, 3), false));
        assertEquals(List.of(), subscribe(node, "shw-b", "$share/g/+/x", qos(1, 0), false));
        for (int i = 0; i < 4; i++) routeViaWildcard(node, message("shw/x", "m" + i, 1, false));
        List<String> got = new java.util.ArrayList<>();
        for (TestProbe<Delivered> p : List.of(a, b)) {
            for (int i = 0; i < 2; i++) {
                Delivered d = p.expectMessageClass(Delivered.class, TestNode.TIMEOUT);
                assertEquals(List.of("$share/g/+/x"), d.delivery().shared());
                got.add(d.message().payload().utf8String());
            }
            p.expectNoMessage(java.time.Duration.ofMillis(300));
        }
        assertEquals(Set.of("m0", "m1", "m2", "m3"), new HashSet<>(got), "each once, two each");
        node.topic(TopicRoots.WILDCARD).tell(new TopicProtocol.Unsubscribe("shw-a", "$share/g/+/x"));
        node.topic(TopicRoots.WILDCARD).tell(new TopicProtocol.Unsubscribe("shw-b", "$share/g/+/x"));
    }

    @Test
    @DisplayName("durable Shared Subscriptions survive a restart (journal); Redeliver picks another member, not the leaver")
    void sharedSurvivesRestart() throws Exception {
        Path data = dir.resolve("shared-restart");
        try (TestNode n1 = TestNode.start(data).withTopics().withSessions(TopicEntityTest::standInSession)) {
            subscribe(n1, "shd-1", "$share/g/shd/t", qos(1, 0), true);
            subscribe(n1, "shd-2", "$share/g/shd/t", qos(2, 0), true);
            subscribe(n1, "shd-t", "$share/g/shd/t", qos(1, 0), false);
        }
        try (TestNode n2 = TestNode.start(data).withTopics().withSessions(TopicEntityTest::standInSession)) {
            TestProbe<Delivered> one = inbox(n2, "shd-1");
            TestProbe<Delivered> two = inbox(n2, "shd-2");
            TestProbe<Delivered> gone = inbox(n2, "shd-t");
            for (int i = 0; i < 4; i++) routeToRoot(n2, message("shd/t", "r" + i, 2, false));
            for (TestProbe<Delivered> p : List.of(one, two)) {
                for (int i = 0; i < 2; i++) p.expectMessageClass(Delivered.class, TestNode.TIMEOUT);
            }
            gone.expectNoMessage(java.time.Duration.ofMillis(300));
            for (int i = 0; i < 3; i++) {
                n2.topic("r:shd").tell(new TopicProtocol.Redeliver(message("shd/t", "back", 2, false), "$share/g/shd/t",
                        "shd-1"));
                Delivered d = two.expectMessageClass(Delivered.class, TestNode.TIMEOUT);
                assertEquals(2, d.delivery().qos(), "[MQTT-4.8.2-3] shd-2's granted QoS");
                assertEquals(List.of("$share/g/shd/t"), d.delivery().shared());
            }
            one.expectNoMessage(java.time.Duration.ofMillis(300));
        }
    }

    /** Snapshots stored for a persistence id, read straight from the H2 file the node uses. */
    private static int snapshots(Path data, String persistenceId) throws Exception {
        String url = TestNode.config(data).getString("swarmmq-slick.db.url");
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM snapshot WHERE persistence_id = ?")) {
            s.setString(1, persistenceId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static TopicProtocol.Routed routedReply(TestNode n, Message m, boolean viaWildcard) {
        TestProbe<TopicProtocol.RouteReply> replies = n.kit.createTestProbe(TopicProtocol.RouteReply.class);
        if (viaWildcard) new Router(n.sharding, new NodeRoutes.Flags()).route(m, replies.getRef(), 8);
        else n.topic(TopicRoots.entityIdOf(m.topic())).tell(new TopicProtocol.Route(m, Map.of(), replies.getRef(), 8));
        while (true) {
            if (replies.receiveMessage(TestNode.TIMEOUT) instanceof TopicProtocol.Routed r) return r;
        }
    }

    @Test
    @DisplayName("Routed says how many clients matched (MQTT 5 PUBACK 0x10 when none): at the root, and with the wildcard entity's matches")
    void routedCountsMatchedClients() {
        TopicProtocol.Routed none = routedReply(node, message("matched-none/t", "x", 1, false), false);
        assertEquals(0, none.matched());
        assertTrue(none.noMatchingSubscribers());
        subscribe(node, "mc-exact", "matched/t", qos(1, 0), false);
        subscribe(node, "mc-exact", "matched/#", qos(0, 0), false); // the same client twice: one delivery
        subscribe(node, "mc-wild", "+/t", qos(1, 0), false); // wildcard-first: lives in the wildcard entity
        assertEquals(1, routedReply(node, message("matched/t", "x", 1, false), false).matched(),
                "the root alone knows its own subscriber");
        TopicProtocol.Routed both = routedReply(node, message("matched/t", "x", 1, false), true);
        assertEquals(2, both.matched(), "the wildcard entity's match is counted by the root");
        assertFalse(both.noMatchingSubscribers());
        assertEquals(0, routedReply(node, message("matched-none/u", "x", 1, false), true).matched());
    }
}
