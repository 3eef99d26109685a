package org.swarmmq.actors.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.state.javadsl.GetObjectResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.TestNode;
import org.swarmmq.actors.connection.ConnectionProtocol;
import org.swarmmq.actors.connection.ConnectionProtocol.Attached;
import org.swarmmq.actors.connection.ConnectionProtocol.Send;
import org.swarmmq.actors.topic.TopicProtocol;
import org.swarmmq.actors.topic.TopicRoots;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.channel.Channel;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.PubComp;
import org.swarmmq.protocol.packets.PubRec;
import org.swarmmq.protocol.packets.PubRel;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.SubAck;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Subscription;
import org.swarmmq.protocol.packets.UnsubAck;
import org.swarmmq.protocol.packets.Unsubscribe;

/**
 * The real session entity, sharded, with real topic entities and the H2 durable state store; a
 * TestProbe stands in for the connection (ConnectionStage's actor).
 */
class SessionEntityTest {
    private static final SessionEntity.Limits LIMITS = new SessionEntity.Limits(20, 1000, 8); // 8 filters a client

    @TempDir
    static Path dir;
    private static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(dir.resolve("shared")).withTopics().withSessions(LIMITS);
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    // -- helpers --

    private static TestProbe<ConnectionProtocol.Command> connection(TestNode n) {
        return n.kit.createTestProbe(ConnectionProtocol.Command.class);
    }

    private static Attached attach(TestNode n, String clientId, TestProbe<ConnectionProtocol.Command> conn,
                                   boolean cleanStart, boolean persistent, int receiveMaximum) {
        n.session(clientId).tell(new SessionProtocol.Attach(conn.getRef(), ProtocolVersion.V3_1_1, cleanStart,
                persistent ? Channel.NEVER_EXPIRES : 0, receiveMaximum));
        return conn.expectMessageClass(Attached.class, TestNode.TIMEOUT);
    }

    private static List<Packet> expectSend(TestProbe<ConnectionProtocol.Command> conn) {
        return conn.expectMessageClass(Send.class, TestNode.TIMEOUT).packets();
    }

    private static Publish expectPublish(TestProbe<ConnectionProtocol.Command> conn) {
        List<Packet> packets = expectSend(conn);
        assertEquals(1, packets.size(), packets::toString);
        return assertInstanceOf(Publish.class, packets.get(0));
    }

    private static void subscribe(TestNode n, String clientId, TestProbe<ConnectionProtocol.Command> conn,
                                  String filter, int qos) {
        n.session(clientId).tell(new SessionProtocol.SubscribeRequest(conn.getRef(),
                new Subscribe(1, List.of(new Subscription(filter, qos)), Properties.EMPTY)));
        List<Packet> packets = expectSend(conn);
        assertEquals(new SubAck(1, List.of(ReasonCode.grantedQos(qos)), Properties.EMPTY), packets.get(0));
    }

    static Message message(String topic, String payload, int qos, boolean retain) {
        return new Message(topic, Bytes.utf8(payload), qos, retain, Properties.EMPTY, "publisher", 1L);
    }

    /** Publishes as a connection would (to the topic's root entity) and waits for it to be routed. */
    private static void route(TestNode n, Message m) {
        TestProbe<TopicProtocol.RouteReply> replies = n.kit.createTestProbe(TopicProtocol.RouteReply.class);
        n.topic(TopicRoots.entityIdOf(m.topic())).tell(new TopicProtocol.Route(m, java.util.Map.of(), replies.getRef(), 3));
        TestNode.awaitRouted(replies, 3);
    }

    /**
     * A packet the session answers at once, sent after {@code route} returned: whatever the
     * session sends before its UNSUBACK was caused by what came before it.
     */
    private static void marker(TestNode n, String clientId, TestProbe<ConnectionProtocol.Command> conn, int id) {
        n.session(clientId).tell(new SessionProtocol.UnsubscribeRequest(conn.getRef(),
                new Unsubscribe(id, List.of("no/such/filter"), Properties.EMPTY)));
    }

    // -- tests --

    @Test
    @DisplayName("[MQTT-3.2.2-1] Attach of a new client: Attached with session present 0")
    void attachNew() {
        Attached a = attach(node, "new-client", connection(node), true, false, 65_535);
        assertFalse(a.sessionPresent());
        assertEquals(List.of(), a.inboundQos2());
    }

    @Test
    @DisplayName("an online persistent session confirms a QoS 1 message only once its stored record holds it;"
            + " a clean one confirms nothing")
    void confirmsAfterStoring() {
        TestProbe<ConnectionProtocol.Command> durable = connection(node);
        attach(node, "confirming", durable, true, true, 65_535);
        subscribe(node, "confirming", durable, "conf/#", 1);
        TestProbe<ConnectionProtocol.Command> clean = connection(node);
        attach(node, "not-confirming", clean, true, false, 65_535);
        subscribe(node, "not-confirming", clean, "conf/#", 1);

        TestProbe<TopicProtocol.RouteReply> replies = node.kit.createTestProbe(TopicProtocol.RouteReply.class);
        Message m = message("conf/a", "kept", 1, false);
        node.topic(TopicRoots.entityIdOf(m.topic())).tell(new TopicProtocol.Route(m, java.util.Map.of(), replies.getRef(), 11));
        TopicProtocol.RouteReply first = replies.receiveMessage(TestNode.TIMEOUT);
        TopicProtocol.RouteReply second = replies.receiveMessage(TestNode.TIMEOUT);
        java.util.Set<TopicProtocol.RouteReply> got = java.util.Set.of(first, second);
        assertEquals(java.util.Set.of(new TopicProtocol.Routed(11, 1, 2), new TopicProtocol.Confirmed(11)), got,
                "one persistent session among the two subscribers");
        replies.expectNoMessage(java.time.Duration.ofMillis(300));

        // Confirmed means stored: the record has it in flight now (the client has not acknowledged).
        SessionRecord r = join(node.sessionStore().getObject("session|confirming")).value().orElseThrow();
        assertEquals(List.of("kept"), r.inflight().stream().map(p -> p.payload().utf8String()).toList());
        assertEquals("conf/a", expectPublish(durable).topic());
        assertEquals("conf/a", expectPublish(clean).topic());
    }

    @Test
    @DisplayName("[MQTT-3.8.4-6] SUBSCRIBE: SUBACK with a code per filter in order, then the retained message [MQTT-3.3.1-6], not for $share (3.8.4)")
    void subscribeThenRetained() {
        route(node, message("sr/x", "kept", 2, true));
        var conn = connection(node);
        attach(node, "sub-client", conn, true, false, 65_535);
        node.session("sub-client").tell(new SessionProtocol.SubscribeRequest(conn.getRef(), new Subscribe(10, List.of(
                new Subscription("sr/#", 1),
                new Subscription("sr/a/#/b", 0), // [MQTT-4.7.1-2] # must be last
                new Subscription("$share/g/sr/x", 0)), Properties.EMPTY)));
        List<Packet> packets = expectSend(conn);
        assertEquals(new SubAck(10, List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.TOPIC_FILTER_INVALID,
                ReasonCode.grantedQos(0)), Properties.EMPTY), packets.get(0));
        assertEquals(2, packets.size(), "one retained message: none for the Shared Subscription (3.8.4) " + packets);
        Publish retained = assertInstanceOf(Publish.class, packets.get(1));
        assertEquals("sr/x", retained.topic());
        assertEquals(Bytes.utf8("kept"), retained.payload());
        assertTrue(retained.retain(), "[MQTT-3.3.1-8] RETAIN=1 for a retained message sent on subscribe");
        assertEquals(1, retained.qos(), "[MQTT-3.8.4-8] min(message QoS 2, granted QoS 1)");
        assertTrue(retained.packetId() > 0);
    }

    @Test
    @DisplayName("Deliver: PUBLISH with a packet id at QoS 1, none at QoS 0, RETAIN 0 on a live subscription [MQTT-3.3.1-9]")
    void deliverAssignsPacketId() {
        var conn = connection(node);
        attach(node, "deliver-client", conn, true, false, 65_535);
        subscribe(node, "deliver-client", conn, "sd/t", 2);
        route(node, message("sd/t", "one", 1, true));
        Publish p1 = expectPublish(conn);
        assertEquals(1, p1.qos());
        assertTrue(p1.packetId() > 0, "[MQTT-2.3.1-1] QoS 1 carries a non-zero packet id");
        assertFalse(p1.dup());
        assertFalse(p1.retain(), "[MQTT-3.3.1-9]");
        route(node, message("sd/t", "two", 0, false));
        Publish p0 = expectPublish(conn);
        assertEquals(0, p0.qos());
        assertEquals(0, p0.packetId());
    }

    @Test
    @DisplayName("QoS 2 outbound: PUBREC is answered with PUBREL (4.3.3); ids differ while in flight [MQTT-2.3.1-2]")
    void qos2Flow() {
        var conn = connection(node);
        attach(node, "qos2-client", conn, true, false, 65_535);
        subscribe(node, "qos2-client", conn, "sq/t", 2);
        route(node, message("sq/t", "a", 2, false));
        Publish a = expectPublish(conn);
        assertEquals(2, a.qos());
        node.session("qos2-client").tell(new SessionProtocol.Acknowledge(conn.getRef(), new PubRec(a.packetId())));
        assertEquals(List.of(new PubRel(a.packetId())), expectSend(conn));
        route(node, message("sq/t", "b", 2, false));
        Publish b = expectPublish(conn);
        assertNotEquals(a.packetId(), b.packetId(), "id of a still awaits PUBCOMP");
        node.session("qos2-client").tell(new SessionProtocol.Acknowledge(conn.getRef(), new PubComp(a.packetId())));
    }

    @Test
    @DisplayName("Receive Maximum: one message in flight; the next goes out only after PUBACK")
    void receiveMaximumWindow() {
        var conn = connection(node);
        attach(node, "window-client", conn, true, false, 1);
        subscribe(node, "window-client", conn, "sw/t", 1);
        route(node, message("sw/t", "m1", 1, false));
        route(node, message("sw/t", "m2", 1, false));
        marker(node, "window-client", conn, 77);
        Publish m1 = expectPublish(conn);
        assertEquals(Bytes.utf8("m1"), m1.payload());
        assertInstanceOf(UnsubAck.class, expectSend(conn).get(0), "m2 must wait for the window");
        node.session("window-client").tell(new SessionProtocol.Acknowledge(conn.getRef(), new PubAck(m1.packetId())));
        assertEquals(Bytes.utf8("m2"), expectPublish(conn).payload());
    }

    @Test
    @DisplayName("[MQTT-3.1.4-2] a second Attach takes over: the first connection gets Close(SESSION_TAKEN_OVER)")
    void takeover() {
        var first = connection(node);
        var second = connection(node);
        attach(node, "taken-client", first, true, false, 65_535);
        subscribe(node, "taken-client", first, "st/t", 1);
        Attached a = attach(node, "taken-client", second, false, false, 65_535);
        assertEquals(new ConnectionProtocol.Close(ReasonCode.SESSION_TAKEN_OVER),
                first.expectMessageClass(ConnectionProtocol.Close.class, TestNode.TIMEOUT));
        assertTrue(a.sessionPresent(), "[MQTT-3.2.2-2] the session lives on for the new connection");
        route(node, message("st/t", "to the new one", 1, false));
        assertEquals(Bytes.utf8("to the new one"), expectPublish(second).payload());
    }

    @Test
    @DisplayName("Session Expiry: a session whose client stays away past its interval ends (subscriptions, queue); back in time, it is kept")
    void sessionExpires() {
        var conn = connection(node);
        node.session("expiring").tell(new SessionProtocol.Attach(conn.getRef(), ProtocolVersion.V5, true, 1, 65_535));
        conn.expectMessageClass(Attached.class, TestNode.TIMEOUT);
        subscribe(node, "expiring", conn, "se/t", 1);
        node.session("expiring").tell(new SessionProtocol.Detach(conn.getRef(), List.of(), 1));
        // Watch the stored record, not the entity (an Attach would bring the client back in time).
        node.kit.createTestProbe().awaitAssert(TestNode.TIMEOUT, () -> {
            assertTrue(join(node.sessionStore().getObject("session|expiring")).value().isEmpty(), "record deleted");
            return null;
        });
        var again = connection(node);
        node.session("expiring").tell(new SessionProtocol.Attach(again.getRef(), ProtocolVersion.V5, false, 60, 65_535));
        assertFalse(again.expectMessageClass(Attached.class, TestNode.TIMEOUT).sessionPresent(),
                "expired after 1 s away [MQTT-3.2.2-2]");

        var kept = connection(node);
        node.session("staying").tell(new SessionProtocol.Attach(kept.getRef(), ProtocolVersion.V5, true, 60, 65_535));
        kept.expectMessageClass(Attached.class, TestNode.TIMEOUT);
        node.session("staying").tell(new SessionProtocol.Detach(kept.getRef(), List.of(), 60));
        var back = connection(node);
        node.session("staying").tell(new SessionProtocol.Attach(back.getRef(), ProtocolVersion.V5, false, 60, 65_535));
        assertTrue(back.expectMessageClass(Attached.class, TestNode.TIMEOUT).sessionPresent(), "back within 60 s");
    }

    @Test
    @DisplayName("Session Expiry: a connection that stops without a Detach (its node died) counts as gone; the session's expiry runs from then")
    void connectionLostWithoutDetach() {
        var conn = connection(node);
        node.session("lost-conn").tell(new SessionProtocol.Attach(conn.getRef(), ProtocolVersion.V5, true, 1, 65_535));
        conn.expectMessageClass(Attached.class, TestNode.TIMEOUT);
        subscribe(node, "lost-conn", conn, "slc/t", 1);
        node.kit.createTestProbe().awaitAssert(TestNode.TIMEOUT, () -> {
            assertTrue(join(node.sessionStore().getObject("session|lost-conn")).value().isPresent(), "stored");
            return null;
        });
        conn.stop(); // no Detach: the connection's node is gone
        node.kit.createTestProbe().awaitAssert(TestNode.TIMEOUT, () -> {
            assertTrue(join(node.sessionStore().getObject("session|lost-conn")).value().isEmpty(),
                    "expired 1 s after its connection was lost: record deleted");
            return null;
        });
        var again = connection(node);
        node.session("lost-conn").tell(new SessionProtocol.Attach(again.getRef(), ProtocolVersion.V5, false, 60, 65_535));
        assertFalse(again.expectMessageClass(Attached.class, TestNode.TIMEOUT).sessionPresent(), "[MQTT-3.2.2-2]");
    }

    @Test
    @DisplayName("[MQTT-3.14.2-2] a Detach is answered once handled (the connection closes its socket after it): ended for expiry 0, kept otherwise, and for a replaced connection")
    void detachIsAcknowledged() {
        var ends = connection(node);
        node.session("ack-ends").tell(new SessionProtocol.Attach(ends.getRef(), ProtocolVersion.V5, true, 3600, 65_535));
        ends.expectMessageClass(Attached.class, TestNode.TIMEOUT);
        node.session("ack-ends").tell(new SessionProtocol.Detach(ends.getRef(), List.of(), 0)); // DISCONNECT's new 0
        assertEquals(new ConnectionProtocol.Detached(true), ends.expectMessageClass(ConnectionProtocol.Detached.class, TestNode.TIMEOUT));
        var after = connection(node);
        node.session("ack-ends").tell(new SessionProtocol.Attach(after.getRef(), ProtocolVersion.V5, false, 0, 65_535));
        assertFalse(after.expectMessageClass(Attached.class, TestNode.TIMEOUT).sessionPresent(),
                "an Attach sent after the Detached finds the session ended");

        var kept = connection(node);
        var replacing = connection(node);
        node.session("ack-kept").tell(new SessionProtocol.Attach(kept.getRef(), ProtocolVersion.V5, true, 60, 65_535));
        kept.expectMessageClass(Attached.class, TestNode.TIMEOUT);
        node.session("ack-kept").tell(new SessionProtocol.Attach(replacing.getRef(), ProtocolVersion.V5, false, 60, 65_535));
        replacing.expectMessageClass(Attached.class, TestNode.TIMEOUT);
        kept.expectMessageClass(ConnectionProtocol.Close.class, TestNode.TIMEOUT); // taken over
        node.session("ack-kept").tell(new SessionProtocol.Detach(kept.getRef(), List.of(), 60));
        assertEquals(new ConnectionProtocol.Detached(false), kept.expectMessageClass(ConnectionProtocol.Detached.class, TestNode.TIMEOUT));
        node.session("ack-kept").tell(new SessionProtocol.Detach(replacing.getRef(), List.of(), 60));
        assertEquals(new ConnectionProtocol.Detached(false), replacing.expectMessageClass(ConnectionProtocol.Detached.class, TestNode.TIMEOUT));
    }

    @Test
    @DisplayName("[MQTT-3.14.2-2] a session ended by DISCONNECT's expiry 0 right after its first write stays ended: the delete waits for the write, the Detached for the delete")
    void endedRightAfterWriteStaysEnded() {
        for (int i = 0; i < 20; i++) {
            String id = "ends-at-once-" + i;
            var first = connection(node);
            // The Attach writes the record; the Detach comes before that write is done.
            node.session(id).tell(new SessionProtocol.Attach(first.getRef(), ProtocolVersion.V5, false, 3600, 65_535));
            node.session(id).tell(new SessionProtocol.Detach(first.getRef(), List.of(), 0));
            first.expectMessageClass(Attached.class, TestNode.TIMEOUT);
            assertEquals(new ConnectionProtocol.Detached(true), first.expectMessageClass(ConnectionProtocol.Detached.class, TestNode.TIMEOUT));
            var again = connection(node);
            node.session(id).tell(new SessionProtocol.Attach(again.getRef(), ProtocolVersion.V5, false, 3600, 65_535));
            assertFalse(again.expectMessageClass(Attached.class, TestNode.TIMEOUT).sessionPresent(), id + ": the record came back");
        }
    }

    @Test
    @DisplayName("an Attach sent again by the connection already attached (a retry after a shard moved) changes nothing: a clean start does not discard what was subscribed since")
    void repeatedAttachFromTheSameConnection() {
        var conn = connection(node);
        attach(node, "attach-twice", conn, true, false, 65_535);
        subscribe(node, "attach-twice", conn, "twice/t", 1);
        node.session("attach-twice").tell(new SessionProtocol.Attach(conn.getRef(), ProtocolVersion.V3_1_1, true, 0, 65_535));
        route(node, message("twice/t", "still subscribed", 1, false));
        assertEquals(Bytes.utf8("still subscribed"), expectPublish(conn).payload());
    }

    @Test
    @DisplayName("a clean session that ends and reconnects at once: the new Attach is not lost")
    void detachThenAttachAtOnce() {
        var conn = connection(node);
        attach(node, "quick-client", conn, true, false, 65_535);
        for (int i = 0; i < 10; i++) {
            // Both in the entity's mailbox before it handles the Detach, and stops.
            node.session("quick-client").tell(new SessionProtocol.Detach(conn.getRef(), List.of(), 0));
            conn = connection(node);
            Attached a = attach(node, "quick-client", conn, true, false, 65_535);
            assertFalse(a.sessionPresent(), "[MQTT-3.2.2-1]");
        }
        subscribe(node, "quick-client", conn, "sq2/t", 1); // the last incarnation serves the connection
        route(node, message("sq2/t", "hi", 1, false));
        assertEquals(Bytes.utf8("hi"), expectPublish(conn).payload());
    }

    @Test
    @DisplayName("[MQTT-3.1.2-4] a persistent session survives a node restart: subscriptions, in-flight (DUP=1 "
            + "[MQTT-4.4.0-1]), messages queued while offline, inbound QoS 2 ids")
    void persistentSessionSurvivesRestart() throws Exception {
        Path data = dir.resolve("restart");
        int firstId;
        try (TestNode n1 = TestNode.start(data).withTopics().withSessions(LIMITS)) {
            var conn = connection(n1);
            assertFalse(attach(n1, "durable-client", conn, false, true, 65_535).sessionPresent());
            subscribe(n1, "durable-client", conn, "pr/t", 1);
            route(n1, message("pr/t", "unacked", 1, false));
            firstId = expectPublish(conn).packetId();
            n1.session("durable-client").tell(new SessionProtocol.Detach(conn.getRef(), List.of(7), Channel.NEVER_EXPIRES));
            // The Detach goes through sharding and deliveries go to the entity directly, so they
            // may overtake it: wait until the detach is stored (only it brings the QoS 2 id 7).
            n1.kit.createTestProbe().awaitAssert(TestNode.TIMEOUT, () -> {
                GetObjectResult<SessionRecord> r = join(n1.sessionStore().getObject("session|durable-client"));
                assertEquals(List.of(7), r.value().map(SessionRecord::inboundQos2).orElse(List.of()));
                return null;
            });
            route(n1, message("pr/t", "while offline", 1, false));
            route(n1, message("pr/t", "qos 0 is dropped offline", 0, false));
            // The record is written asynchronously: wait until the store holds the queued message.
            n1.kit.createTestProbe().awaitAssert(TestNode.TIMEOUT, () -> {
                GetObjectResult<SessionRecord> r = join(n1.sessionStore().getObject("session|durable-client"));
                assertEquals(1, r.value().map(v -> v.queued().size()).orElse(0));
                return null;
            });
        }
        try (TestNode n2 = TestNode.start(data).withTopics().withSessions(LIMITS)) {
            var conn = connection(n2);
            Attached a = attach(n2, "durable-client", conn, false, true, 65_535);
            assertTrue(a.sessionPresent(), "[MQTT-3.2.2-2]");
            assertEquals(List.of(7), a.inboundQos2(), "[MQTT-4.1.0-1] inbound QoS 2 ids are session state");
            List<Packet> resent = expectSend(conn);
            assertEquals(2, resent.size(), resent::toString);
            Publish again = assertInstanceOf(Publish.class, resent.get(0));
            assertEquals(Bytes.utf8("unacked"), again.payload());
            assertTrue(again.dup(), "[MQTT-3.3.1-1] a re-delivery has DUP=1");
            assertEquals(firstId, again.packetId(), "[MQTT-4.4.0-1] with its original packet id");
            Publish queued = assertInstanceOf(Publish.class, resent.get(1));
            assertEquals(Bytes.utf8("while offline"), queued.payload());
            assertFalse(queued.dup());
            assertNotEquals(firstId, queued.packetId());

            // The subscription itself was restored in the topic entity's journal.
            route(n2, message("pr/t", "after restart", 1, false));
            assertEquals(Bytes.utf8("after restart"), expectPublish(conn).payload());
        }
    }

    @Test
    @DisplayName("Session Expiry: a session stored while its client was connected and restored after its node went (the connection with it) expires, counted from the restore")
    void connectedSessionRestoredExpires() throws Exception {
        Path data = dir.resolve("restart-connected");
        try (TestNode n1 = TestNode.start(data).withTopics().withSessions(LIMITS)) {
            var conn = connection(n1);
            n1.session("was-connected").tell(new SessionProtocol.Attach(conn.getRef(), ProtocolVersion.V5, true, 1, 65_535));
            conn.expectMessageClass(Attached.class, TestNode.TIMEOUT);
            subscribe(n1, "was-connected", conn, "prc/t", 1);
            n1.kit.createTestProbe().awaitAssert(TestNode.TIMEOUT, () -> {
                var r = join(n1.sessionStore().getObject("session|was-connected")).value();
                assertTrue(r.isPresent() && r.get().subscriptions().containsKey("prc/t"), "stored with its subscription");
                assertEquals(SessionRecord.NO_EXPIRY, r.get().expiresAtMillis(), "connected: no deadline yet");
                return null;
            });
        } // no Detach: the node goes with the connection
        try (TestNode n2 = TestNode.start(data).withTopics().withSessions(LIMITS)) {
            route(n2, message("prc/t", "starts the session again", 1, false));
            n2.kit.createTestProbe().awaitAssert(TestNode.TIMEOUT, () -> {
                assertTrue(join(n2.sessionStore().getObject("session|was-connected")).value().isEmpty(),
                        "expired 1 s after the restore: record deleted");
                return null;
            });
            var conn = connection(n2);
            n2.session("was-connected").tell(new SessionProtocol.Attach(conn.getRef(), ProtocolVersion.V5, false, 60, 65_535));
            assertFalse(conn.expectMessageClass(Attached.class, TestNode.TIMEOUT).sessionPresent(), "[MQTT-3.2.2-2]");
        }
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TestNode.TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("(3.9.3) max-subscriptions-per-client: filters beyond the quota get SUBACK 0x97 Quota exceeded; one held already, or a freed place, is granted")
    void subscriptionQuota() {
        TestProbe<ConnectionProtocol.Command> conn = connection(node);
        attach(node, "quota-client", conn, true, false, 65_535);
        List<Subscription> ten = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) ten.add(new Subscription("quota/" + i, 1));
        node.session("quota-client").tell(new SessionProtocol.SubscribeRequest(conn.getRef(), new Subscribe(1, ten, Properties.EMPTY)));
        List<ReasonCode> codes = new java.util.ArrayList<>(java.util.Collections.nCopies(8, ReasonCode.GRANTED_QOS_1));
        codes.addAll(List.of(ReasonCode.QUOTA_EXCEEDED, ReasonCode.QUOTA_EXCEEDED));
        assertEquals(new SubAck(1, codes, Properties.EMPTY.with(org.swarmmq.protocol.packets.PropertyId.REASON_STRING,
                "over the quota of 8 subscriptions: quota/8, quota/9")), expectSend(conn).get(0));
        subscribe(node, "quota-client", conn, "quota/0", 0); // held already: a replacement, not one more
        node.session("quota-client").tell(new SessionProtocol.UnsubscribeRequest(conn.getRef(),
                new Unsubscribe(2, List.of("quota/1"), Properties.EMPTY)));
        expectSend(conn);
        subscribe(node, "quota-client", conn, "quota/9", 1);
    }
}
