package org.swarmmq.actors.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
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
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.SubAck;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Subscription;

/**
 * MQTT 5 Shared Subscriptions (4.8.2) through the real session and topic entities (sharded, H2):
 * one member per message, and what a member's ending session had not finished going to another.
 * TestProbes stand in for the connections.
 */
class SharedSubscriptionEntityTest {
    private static final Duration QUIET = Duration.ofMillis(400);

    @TempDir
    static Path dir;
    private static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(dir.resolve("shared")).withTopics().withSessions(new SessionEntity.Limits(20, 1000));
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    private static TestProbe<ConnectionProtocol.Command> attach(String clientId, boolean cleanStart, long expiry) {
        TestProbe<ConnectionProtocol.Command> conn = node.kit.createTestProbe(ConnectionProtocol.Command.class);
        node.session(clientId).tell(new SessionProtocol.Attach(conn.getRef(), ProtocolVersion.V5, cleanStart, expiry,
                65_535));
        conn.expectMessageClass(Attached.class, TestNode.TIMEOUT);
        return conn;
    }

    private static void subscribe(String clientId, TestProbe<ConnectionProtocol.Command> conn, String filter, int qos) {
        node.session(clientId).tell(new SessionProtocol.SubscribeRequest(conn.getRef(),
                new Subscribe(1, List.of(new Subscription(filter, qos)), Properties.EMPTY)));
        List<Packet> sent = conn.expectMessageClass(Send.class, TestNode.TIMEOUT).packets();
        assertEquals(List.of(new SubAck(1, List.of(ReasonCode.grantedQos(qos)), Properties.EMPTY)), sent,
                "SUBACK alone: no retained message for a Shared Subscription (3.8.4)");
    }

    private static void route(Message m, long correlationId) {
        TestProbe<TopicProtocol.RouteReply> replies = node.kit.createTestProbe(TopicProtocol.RouteReply.class);
        node.topic(TopicRoots.entityIdOf(m.topic())).tell(new TopicProtocol.Route(m, Map.of(), replies.getRef(),
                correlationId));
        TestNode.awaitRouted(replies, correlationId);
    }

    private static Message message(String topic, String payload, int qos, boolean retain) {
        return new Message(topic, Bytes.utf8(payload), qos, retain, Properties.EMPTY, "publisher", System.currentTimeMillis());
    }

    /** Publishes sent to {@code conn} until it is quiet. */
    private static List<Publish> received(TestProbe<ConnectionProtocol.Command> conn) {
        List<Publish> out = new ArrayList<>();
        for (ConnectionProtocol.Command c : conn.receiveSeveralMessages(0, QUIET)) {
            for (Packet p : ((Send) c).packets()) out.add(assertInstanceOf(Publish.class, p));
        }
        while (true) {
            try {
                Send s = conn.expectMessageClass(Send.class, QUIET);
                for (Packet p : s.packets()) out.add(assertInstanceOf(Publish.class, p));
            } catch (AssertionError quiet) {
                return out;
            }
        }
    }

    /**
     * Detaches a persistent session and waits until its record holds the detach (the QoS 2 id 9
     * only the Detach brings): by then it has told its groups' entities that its client is away.
     */
    private static void detached(String clientId, TestProbe<ConnectionProtocol.Command> conn) {
        node.session(clientId).tell(new SessionProtocol.Detach(conn.getRef(), List.of(9), Channel.NEVER_EXPIRES));
        node.kit.createTestProbe().awaitAssert(TestNode.TIMEOUT, () -> {
            var r = node.sessionStore().getObject("session|" + clientId).toCompletableFuture().join();
            assertEquals(List.of(9), r.value().map(SessionRecord::inboundQos2).orElse(List.of()));
            return null;
        });
    }

    private static Set<String> payloads(List<Publish> ps) {
        Set<String> out = new TreeSet<>();
        for (Publish p : ps) out.add(p.payload().utf8String());
        return out;
    }

    @Test
    @DisplayName("4.8.2 each message to one member, in turn; a clean session ending gives its unacknowledged QoS 1 messages to the other")
    void cleanSessionEndGivesBack() {
        route(message("sh1/t", "retained", 1, true), 1);
        var a = attach("sh1-a", true, 0);
        var b = attach("sh1-b", true, 0);
        subscribe("sh1-a", a, "$share/g/sh1/t", 1);
        subscribe("sh1-b", b, "$share/g/sh1/+", 1); // another group: gets every message
        var b2 = attach("sh1-b2", true, 0);
        subscribe("sh1-b2", b2, "$share/g/sh1/t", 1);
        for (int i = 1; i <= 4; i++) route(message("sh1/t", "m" + i, 1, false), 10 + i);
        List<Publish> toA = received(a);
        List<Publish> toB2 = received(b2);
        assertEquals(2, toA.size(), "round robin over the two members: " + payloads(toA));
        assertEquals(2, toB2.size());
        Set<String> all = new TreeSet<>(payloads(toA));
        all.addAll(payloads(toB2));
        assertEquals(Set.of("m1", "m2", "m3", "m4"), all, "each message to exactly one member");
        assertEquals(Set.of("m1", "m2", "m3", "m4"), payloads(received(b)), "the other group has its own copies");
        node.session("sh1-b2").tell(new SessionProtocol.Acknowledge(b2.getRef(), new PubAck(toB2.get(0).packetId())));
        node.session("sh1-b2").tell(new SessionProtocol.Acknowledge(b2.getRef(), new PubAck(toB2.get(1).packetId())));

        // a never acknowledges; its clean session ends with the connection.
        node.session("sh1-a").tell(new SessionProtocol.Detach(a.getRef(), List.of(), 0));
        List<Publish> given = received(b2);
        assertEquals(payloads(toA), payloads(given), "a's unacknowledged messages went to b2");
        for (Publish p : given) {
            assertEquals(1, p.qos());
            assertFalse(p.dup(), "a new delivery to another client");
        }
        assertTrue(received(b).isEmpty(), "nothing given back to a group a was not in");
    }

    @Test
    @DisplayName("[MQTT-4.8.2-5] a QoS 2 message in flight to a member whose session ends goes to nobody else; one only queued does")
    void qos2InFlightNotGivenBack() {
        var a = attach("sh2-a", true, 0);
        subscribe("sh2-a", a, "$share/g/sh2/t", 2);
        var b = attach("sh2-b", true, 0);
        subscribe("sh2-b", b, "$share/g/sh2/t", 2);
        for (int i = 1; i <= 2; i++) route(message("sh2/t", "q" + i, 2, false), 20 + i);
        List<Publish> toA = received(a);
        List<Publish> toB = received(b);
        assertEquals(1, toA.size());
        assertEquals(1, toB.size());
        node.session("sh2-a").tell(new SessionProtocol.Detach(a.getRef(), List.of(), 0));
        assertTrue(received(b).isEmpty(), "a's QoS 2 message awaiting PUBREC is not sent to b");
    }

    @Test
    @DisplayName("4.8.2 members whose clients are away: queued in turn; a clean start ends one session and the other member gets its queue")
    void cleanStartGivesBackQueued() {
        var a = attach("sh3-a", true, Channel.NEVER_EXPIRES);
        subscribe("sh3-a", a, "$share/g/sh3/t", 1);
        var b = attach("sh3-b", true, Channel.NEVER_EXPIRES);
        subscribe("sh3-b", b, "$share/g/sh3/t", 1);
        detached("sh3-a", a);
        detached("sh3-b", b);
        for (int i = 1; i <= 4; i++) route(message("sh3/t", "w" + i, 1, false), 30 + i);
        var again = attach("sh3-a", true, 0); // clean start: the old session ends, with w1..w4's half in its queue
        assertTrue(received(again).isEmpty(), "nothing for the new session");
        var bBack = node.kit.createTestProbe(ConnectionProtocol.Command.class);
        node.session("sh3-b").tell(new SessionProtocol.Attach(bBack.getRef(), ProtocolVersion.V5, false,
                Channel.NEVER_EXPIRES, 65_535));
        assertTrue(bBack.expectMessageClass(Attached.class, TestNode.TIMEOUT).sessionPresent());
        List<Publish> queued = received(bBack);
        assertEquals(Set.of("w1", "w2", "w3", "w4"), payloads(queued), "its own two and the two a's session gave back");
        assertEquals(4, queued.size());
    }

    @Test
    @DisplayName("4.8.2 the group prefers members whose clients are connected; one coming back takes its turns again")
    void prefersConnected() {
        var a = attach("sh4-a", true, 0);
        subscribe("sh4-a", a, "$share/g/sh4/t", 1);
        var b = attach("sh4-b", true, Channel.NEVER_EXPIRES);
        subscribe("sh4-b", b, "$share/g/sh4/t", 1);
        detached("sh4-b", b);
        for (int i = 1; i <= 4; i++) route(message("sh4/t", "x" + i, 1, false), 50 + i);
        assertEquals(Set.of("x1", "x2", "x3", "x4"), payloads(received(a)), "b is away: all to a");
        var bBack = node.kit.createTestProbe(ConnectionProtocol.Command.class);
        node.session("sh4-b").tell(new SessionProtocol.Attach(bBack.getRef(), ProtocolVersion.V5, false,
                Channel.NEVER_EXPIRES, 65_535));
        bBack.expectMessageClass(Attached.class, TestNode.TIMEOUT);
        assertTrue(received(bBack).isEmpty(), "nothing was queued for b");
        for (int i = 5; i <= 8; i++) route(message("sh4/t", "x" + i, 1, false), 50 + i);
        assertEquals(2, received(a).size());
        assertEquals(2, received(bBack).size(), "b is back in the rotation");
    }

    @Test
    @DisplayName("a persistent member's record keeps which messages its group chose it for: after a node restart, its clean start still gives them back")
    void originSurvivesRestart() throws Exception {
        Path data = dir.resolve("restart");
        SessionEntity.Limits limits = new SessionEntity.Limits(1, 1000); // one in flight, the rest queued
        Set<String> toA;
        try (TestNode n1 = TestNode.start(data).withTopics().withSessions(limits)) {
            TestProbe<ConnectionProtocol.Command> a = n1.kit.createTestProbe(ConnectionProtocol.Command.class);
            n1.session("shr-a").tell(new SessionProtocol.Attach(a.getRef(), ProtocolVersion.V5, true,
                    Channel.NEVER_EXPIRES, 65_535));
            a.expectMessageClass(Attached.class, TestNode.TIMEOUT);
            n1.session("shr-a").tell(new SessionProtocol.SubscribeRequest(a.getRef(),
                    new Subscribe(1, List.of(new Subscription("$share/g/shr/t", 1)), Properties.EMPTY)));
            a.expectMessageClass(Send.class, TestNode.TIMEOUT);
            for (int i = 1; i <= 3; i++) {
                TestProbe<TopicProtocol.RouteReply> replies = n1.kit.createTestProbe(TopicProtocol.RouteReply.class);
                n1.topic("r:shr").tell(new TopicProtocol.Route(message("shr/t", "p" + i, 1, false), Map.of(),
                        replies.getRef(), 40 + i));
                TestNode.awaitRouted(replies, 40 + i); // confirmed: the record holds it
            }
            toA = payloads(List.of(assertInstanceOf(Publish.class,
                    a.expectMessageClass(Send.class, TestNode.TIMEOUT).packets().get(0))));
            assertEquals(Set.of("p1"), toA, "the only member: p1 in flight, p2 and p3 queued");
        }
        try (TestNode n2 = TestNode.start(data).withTopics().withSessions(limits)) {
            TestProbe<ConnectionProtocol.Command> b = n2.kit.createTestProbe(ConnectionProtocol.Command.class);
            n2.session("shr-b").tell(new SessionProtocol.Attach(b.getRef(), ProtocolVersion.V5, true, 0, 65_535));
            b.expectMessageClass(Attached.class, TestNode.TIMEOUT);
            n2.session("shr-b").tell(new SessionProtocol.SubscribeRequest(b.getRef(),
                    new Subscribe(1, List.of(new Subscription("$share/g/shr/t", 1)), Properties.EMPTY)));
            b.expectMessageClass(Send.class, TestNode.TIMEOUT);
            TestProbe<ConnectionProtocol.Command> a = n2.kit.createTestProbe(ConnectionProtocol.Command.class);
            n2.session("shr-a").tell(new SessionProtocol.Attach(a.getRef(), ProtocolVersion.V5, true, 0, 65_535));
            assertFalse(a.expectMessageClass(Attached.class, TestNode.TIMEOUT).sessionPresent());
            Set<String> given = new TreeSet<>();
            while (given.size() < 3) {
                Publish p = assertInstanceOf(Publish.class, b.expectMessageClass(Send.class, TestNode.TIMEOUT).packets().get(0));
                given.add(p.payload().utf8String());
                n2.session("shr-b").tell(new SessionProtocol.Acknowledge(b.getRef(), new PubAck(p.packetId())));
            }
            assertEquals(Set.of("p1", "p2", "p3"), given, "in flight and queued, from the stored record");
        }
    }
}
