package org.swarmmq.actors.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.swarmmq.actors.HotPathSerializer;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.TestNode;
import org.swarmmq.actors.connection.ConnectionProtocol;
import org.swarmmq.actors.connection.ConnectionProtocol.Attached;
import org.swarmmq.actors.topic.TopicEntity;
import org.swarmmq.actors.topic.TopicProtocol;
import org.swarmmq.actors.topic.TopicRoots;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.channel.Channel;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.SubAck;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Subscription;

/**
 * Where a session runs (Relocation), on two real nodes in one JVM (one cluster, one H2 database):
 * the session a connection talks to is on the connection's node whichever node sharding put its
 * entity on; a publish crosses to the subscribers' node once, however many subscribers are there;
 * the session's state moves with its client.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelocationTest {
    private static final SessionEntity.Limits LIMITS = new SessionEntity.Limits(20, 1000);

    @TempDir
    static Path dir;
    private static TestNode a;
    private static TestNode b;

    @BeforeAll
    static void start() throws Exception {
        a = TestNode.start(dir.resolve("db")).withTopics().withSessions(LIMITS);
        b = TestNode.start(dir.resolve("db"), a).withTopics().withSessions(LIMITS);
    }

    @AfterAll
    static void stop() {
        if (b != null) b.close();
        if (a != null) a.close();
    }

    private static TestProbe<ConnectionProtocol.Command> connection(TestNode n) {
        return n.kit.createTestProbe(ConnectionProtocol.Command.class);
    }

    private static Attached attach(TestNode n, String clientId, TestProbe<ConnectionProtocol.Command> conn,
                                   boolean persistent) {
        n.session(clientId).tell(new SessionProtocol.Attach(conn.getRef(), ProtocolVersion.V3_1_1, false,
                persistent ? Channel.NEVER_EXPIRES : 0, 65_535));
        return conn.expectMessageClass(Attached.class, TestNode.TIMEOUT);
    }

    private static void subscribe(TestNode n, String clientId, TestProbe<ConnectionProtocol.Command> conn,
                                  String filter) {
        n.session(clientId).tell(new SessionProtocol.SubscribeRequest(conn.getRef(),
                new Subscribe(1, List.of(new Subscription(filter, 1)), Properties.EMPTY)));
        List<Packet> packets = conn.expectMessageClass(ConnectionProtocol.Send.class, TestNode.TIMEOUT).packets();
        assertEquals(new SubAck(1, List.of(ReasonCode.grantedQos(1)), Properties.EMPTY), packets.get(0));
    }

    /** Publishes at QoS 1 from node {@code n} as a connection would, and waits until it may be acknowledged. */
    private static void publish(TestNode n, String topic, String payload) {
        TestProbe<TopicProtocol.RouteReply> replies = n.kit.createTestProbe(TopicProtocol.RouteReply.class);
        Message m = new Message(topic, Bytes.utf8(payload), 1, false, Properties.EMPTY, "publisher", 1L);
        n.topic(TopicRoots.entityIdOf(topic)).tell(new TopicProtocol.Route(m, Map.of(), replies.getRef(), 7));
        TestNode.awaitRouted(replies, 7);
    }

    /**
     * Publishes as a connection does when a node has just gone: routed again under a new
     * correlation id while not confirmed within 5 s (a delivery to a session on the node that
     * went is lost until the topic entity sees it stopped: ConnectionStage's route retry).
     */
    private static void publishRetrying(TestNode n, String topic, String payload) {
        Message m = new Message(topic, Bytes.utf8(payload), 1, false, Properties.EMPTY, "publisher", 1L);
        for (long attempt = 1; attempt <= 5; attempt++) {
            TestProbe<TopicProtocol.RouteReply> replies = n.kit.createTestProbe(TopicProtocol.RouteReply.class);
            n.topic(TopicRoots.entityIdOf(topic)).tell(new TopicProtocol.Route(m, Map.of(), replies.getRef(), attempt));
            try {
                int expected = -1;
                int confirmed = 0;
                while (expected < 0 || confirmed < expected) {
                    TopicProtocol.RouteReply r = replies.receiveMessage(Duration.ofSeconds(5));
                    if (r instanceof TopicProtocol.Routed routed) expected = routed.confirmations();
                    else confirmed++;
                }
                return;
            } catch (AssertionError notYet) {
                // route again
            }
        }
        throw new AssertionError("never confirmed: " + topic);
    }

    private static Publish expectPublish(TestProbe<ConnectionProtocol.Command> conn) {
        List<Packet> packets = conn.expectMessageClass(ConnectionProtocol.Send.class, TestNode.TIMEOUT).packets();
        assertEquals(1, packets.size(), packets::toString);
        return assertInstanceOf(Publish.class, packets.get(0));
    }

    private static boolean onItsNode(Attached attached) {
        return !attached.session().path().address().hasGlobalScope();
    }

    /** The client ids whose sharded session entities run on {@code n}. */
    private static Set<String> entitiesOn(TestNode n) {
        return entitiesOn(n, SessionEntity.TYPE_KEY);
    }

    /** The ids of the entities of {@code type} running on {@code n}. */
    private static Set<String> entitiesOn(TestNode n, EntityTypeKey<?> type) {
        TestProbe<ShardRegion.CurrentShardRegionState> probe =
                n.kit.createTestProbe(ShardRegion.CurrentShardRegionState.class);
        n.sharding.shardState().tell(new GetShardRegionState(type, probe.getRef()));
        Set<String> ids = new HashSet<>();
        for (ShardRegion.ShardState s : probe.receiveMessage(TestNode.TIMEOUT).getShards()) ids.addAll(s.getEntityIds());
        return ids;
    }

    /** A client attached from {@code connectedTo} whose entity sharding put on {@code entityOn}. */
    private record Placed(String id, Attached attached) {
    }

    /**
     * Attaches {@code prefix}0, {@code prefix}1, ... on {@code conn} (of node {@code connectedTo})
     * until one's session entity runs on {@code entityOn}; the others are detached again.
     */
    private static Placed placed(String prefix, TestNode connectedTo, TestProbe<ConnectionProtocol.Command> conn,
                                 boolean persistent, TestNode entityOn) {
        for (int i = 0; ; i++) {
            String id = prefix + i;
            Attached attached = attach(connectedTo, id, conn, persistent);
            if (entitiesOn(entityOn).contains(id)) return new Placed(id, attached);
            attached.session().tell(new SessionProtocol.Detach(conn.getRef(), List.of(), 0));
            conn.expectMessageClass(ConnectionProtocol.Detached.class, TestNode.TIMEOUT);
        }
    }

    private static long crossings() throws Exception {
        long n = 0;
        for (TestNode node : List.of(a, b)) {
            n += ((HotPathSerializer) SerializationExtension.get(node.kit.system())
                    .serializerFor(SessionProtocol.Deliver.class)).payloadsOut();
        }
        return n;
    }

    @Test
    @Order(1)
    @DisplayName("a connection's session runs on the connection's node, wherever sharding put the client's entity")
    void sessionRunsOnItsConnectionsNode() {
        List<String> handedOver = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            TestNode n = i < 8 ? a : b;
            String id = "loc-" + i;
            Attached attached = attach(n, id, connection(n), i % 4 < 2);
            assertTrue(onItsNode(attached), id + " attached to " + attached.session());
            if (!entitiesOn(n).contains(id)) handedOver.add(id);
        }
        assertFalse(handedOver.isEmpty(), "some entities are on the other node, so some sessions were handed over");
    }

    /**
     * {@code count} subscribers to {@code filter}, the first half connected to node a, the rest to
     * node b; sharding spreads their entities, so some are on the other node than their client.
     */
    private static List<TestProbe<ConnectionProtocol.Command>> subscribersOnBoth(String prefix, int count,
                                                                                 String filter) {
        List<TestProbe<ConnectionProtocol.Command>> subscribers = new ArrayList<>();
        int handedOver = 0;
        for (int i = 0; i < count; i++) {
            TestNode n = i < count / 2 ? a : b;
            TestProbe<ConnectionProtocol.Command> conn = connection(n);
            String id = prefix + i;
            attach(n, id, conn, i % 3 == 0);
            subscribe(n, id, conn, filter);
            subscribers.add(conn);
            if (!entitiesOn(n).contains(id)) handedOver++;
        }
        assertTrue(handedOver > 0, "some subscribers' entities are on the other node than their connection");
        return subscribers;
    }

    /**
     * Publishes {@code topic} from each node through topic entity {@code entityId}: every
     * subscriber gets it, and it crosses between the nodes once (the entity is on one node, the
     * other node's subscribers cost one crossing together).
     */
    private static void assertCrossesOnce(List<TestProbe<ConnectionProtocol.Command>> subscribers, String entityId,
                                          String topic) throws Exception {
        for (TestNode publisherNode : List.of(a, b)) {
            long before = crossings();
            TestProbe<TopicProtocol.RouteReply> replies = publisherNode.kit.createTestProbe(TopicProtocol.RouteReply.class);
            Message m = new Message(topic, Bytes.utf8("once"), 1, false, Properties.EMPTY, "publisher", 1L);
            publisherNode.topic(entityId).tell(new TopicProtocol.Route(m, Map.of(), replies.getRef(), 8));
            TestNode.awaitRouted(replies, 8);
            for (TestProbe<ConnectionProtocol.Command> conn : subscribers) {
                assertEquals(topic, expectPublish(conn).topic());
            }
            assertEquals(1, crossings() - before, "messages carrying the publish from one node to the other");
        }
    }

    @Test
    @Order(2)
    @DisplayName("a publish crosses to the subscribers' node once, not once per subscriber")
    void publishCrossesOncePerNode() throws Exception {
        assertCrossesOnce(subscribersOnBoth("fan-", 12, "fan/t"), TopicRoots.entityIdOf("fan/t"), "fan/t");
    }

    @Test
    @Order(2)
    @DisplayName("so does a publish to wildcard-first subscribers, routed through the wildcard entity to the root")
    void wildcardPublishCrossesOncePerNode() throws Exception {
        assertCrossesOnce(subscribersOnBoth("wild-", 8, "+/wild"), TopicRoots.WILDCARD, "x/wild");
    }

    @Test
    @Order(3)
    @DisplayName("a persistent session's subscriptions and queue move with its client from node to node")
    void persistentSessionMoves() {
        TestProbe<ConnectionProtocol.Command> onA = connection(a);
        Attached first = attach(a, "mover", onA, true);
        subscribe(a, "mover", onA, "mv/t");
        first.session().tell(new SessionProtocol.Detach(onA.getRef(), List.of(), Channel.NEVER_EXPIRES));
        onA.expectMessageClass(ConnectionProtocol.Detached.class, TestNode.TIMEOUT);
        publish(b, "mv/t", "queued");

        TestProbe<ConnectionProtocol.Command> onB = connection(b);
        Attached second = attach(b, "mover", onB, true);
        assertTrue(second.sessionPresent(), "[MQTT-3.2.2-2] the session is found on the other node");
        assertTrue(onItsNode(second));
        assertEquals("queued", expectPublish(onB).payload().utf8String());
        publish(a, "mv/t", "live");
        assertEquals("live", expectPublish(onB).payload().utf8String());
        second.session().tell(new SessionProtocol.Detach(onB.getRef(), List.of(), Channel.NEVER_EXPIRES));
        onB.expectMessageClass(ConnectionProtocol.Detached.class, TestNode.TIMEOUT);

        TestProbe<ConnectionProtocol.Command> backOnA = connection(a);
        Attached third = attach(a, "mover", backOnA, true);
        assertTrue(third.sessionPresent());
        assertTrue(onItsNode(third));
        publish(b, "mv/t", "back");
        List<Packet> resent = backOnA.expectMessageClass(ConnectionProtocol.Send.class, TestNode.TIMEOUT).packets();
        assertEquals(List.of("queued", "live"), resent.stream() // [MQTT-4.4.0-1] not acknowledged: sent again
                .map(p -> ((Publish) p).payload().utf8String()).toList());
        assertEquals("back", expectPublish(backOnA).payload().utf8String());
    }

    @Test
    @Order(4)
    @DisplayName("[MQTT-3.1.4-2] a connection on another node takes the session over: the old one is closed")
    void takeoverAcrossNodes() {
        TestProbe<ConnectionProtocol.Command> onA = connection(a);
        attach(a, "taker", onA, true);
        subscribe(a, "taker", onA, "tk/t");
        TestProbe<ConnectionProtocol.Command> onB = connection(b);
        Attached second = attach(b, "taker", onB, true);
        assertEquals(new ConnectionProtocol.Close(ReasonCode.SESSION_TAKEN_OVER),
                onA.expectMessageClass(ConnectionProtocol.Close.class, TestNode.TIMEOUT));
        assertTrue(second.sessionPresent());
        assertTrue(onItsNode(second));
        publish(a, "tk/t", "to the new one");
        assertEquals("to the new one", expectPublish(onB).payload().utf8String());
        onA.expectNoMessage(Duration.ofMillis(300));
    }

    @Test
    @Order(5)
    @DisplayName("sharding stops an entity whose client is connected to its node (a rebalance): the client stays"
            + " connected to a live session there, and the entity started next knows of it")
    void rebalanceKeepsTheClient() {
        TestProbe<ConnectionProtocol.Command> conn = connection(a);
        Placed placed = placed("rebalanced-", a, conn, false, a); // a clean session, its entity on its client's node
        String id = placed.id();
        Attached attached = placed.attached();
        subscribe(a, id, conn, "rb/t");
        attached.session().tell(new SessionEntity.Stop()); // what sharding sends to move the entity

        Attached moved = conn.expectMessageClass(Attached.class, TestNode.TIMEOUT);
        assertTrue(onItsNode(moved));
        assertFalse(moved.session().equals(attached.session()), "a live session, not the stopped entity");
        publish(b, "rb/t", "still here");
        assertEquals("still here", expectPublish(conn).payload().utf8String());
        // Sharding sends nothing to an entity it is moving (the region holds messages back until
        // the shard's next home has it); this test's Stop bypassed sharding, so wait until the old
        // entity is gone before the next message through sharding.
        TestProbe<SessionProtocol.Command> watcher = a.kit.createTestProbe(SessionProtocol.Command.class);
        watcher.expectTerminated(attached.session(), TestNode.TIMEOUT);
        TestProbe<ConnectionProtocol.Command> second = connection(b);
        attach(b, id, second, false);
        assertEquals(new ConnectionProtocol.Close(ReasonCode.SESSION_TAKEN_OVER),
                conn.expectMessageClass(ConnectionProtocol.Close.class, TestNode.TIMEOUT)); // [MQTT-3.1.4-2]
    }

    @Test
    @Order(6)
    @DisplayName("the node of a live session stops: its entity restores the session from the stored record")
    void liveSessionsNodeStops() throws Exception {
        TestProbe<ConnectionProtocol.Command> conn = connection(b);
        Placed orphan = placed("orphan-", b, conn, true, a); // its entity on node a, connected to node b
        String id = orphan.id();
        assertTrue(onItsNode(orphan.attached()));
        subscribe(b, id, conn, "or/t");
        // And a clean session the other way round: its entity on node b, its client on node a.
        TestProbe<ConnectionProtocol.Command> adopteeConn = connection(a);
        String adoptee = placed("adoptee-", a, adopteeConn, false, b).id();
        // A clean subscriber on node a to a topic whose entity is on node b: its subscription is
        // not journaled, and must follow the entity when b leaves (TopicProtocol.HandOff).
        TestProbe<ConnectionProtocol.Command> cleanConn = connection(a);
        String movedTopic = null;
        for (int i = 0; movedTopic == null; i++) {
            String candidate = "handoff" + i + "/t";
            attach(a, "handoff-" + i, cleanConn, false);
            subscribe(a, "handoff-" + i, cleanConn, candidate);
            if (entitiesOn(b, TopicEntity.TYPE_KEY).contains(TopicRoots.entityIdOf(candidate))) movedTopic = candidate;
        }
        b.close();
        b = null;
        publishRetrying(a, movedTopic, "after the hand-off");
        assertEquals("after the hand-off", expectPublish(cleanConn).payload().utf8String());

        // [MQTT-3.1.4-2] The entity sharding starts on node a in place of the one that stopped
        // hears of the live session (Adopt): a second connection takes the session over, and the
        // first is closed.
        TestProbe<ConnectionProtocol.Command> second = connection(a);
        attach(a, adoptee, second, false);
        assertEquals(new ConnectionProtocol.Close(ReasonCode.SESSION_TAKEN_OVER),
                adopteeConn.expectMessageClass(ConnectionProtocol.Close.class, TestNode.TIMEOUT));

        publishRetrying(a, "or/t", "kept for it");
        TestProbe<ConnectionProtocol.Command> back = connection(a);
        Attached attached = attach(a, id, back, true);
        assertTrue(attached.sessionPresent(), "restored from the record its live session wrote");
        assertEquals("kept for it", expectPublish(back).payload().utf8String());
    }
}
