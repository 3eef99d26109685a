package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.Publish;

/**
 * Retained messages (3.1.1 numbering of section 3.3.1.3), seen byte for byte with the raw client:
 * stored, replaced, deleted, sent with RETAIN=1 to new subscriptions (wildcards included) and with
 * RETAIN=0 on ordinary forwarding, and kept across a restart of the node.
 */
@DisplayName("Retained messages")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetainedIT {
    private static final Duration QUIET = Duration.ofMillis(500);

    private static BrokerProcess broker;
    private static int nextId = 1;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start("retained");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

    @Test
    @Order(1)
    @DisplayName("[MQTT-3.3.1-5] [MQTT-3.3.1-6] [MQTT-3.3.1-8] stored, and sent to a new subscription with RETAIN=1 at min(QoS)")
    void sentToNewSubscriptionWithRetainSet() {
        String topic = Ids.unique("ret") + "/t";
        try (RawClient pub = client("rpub")) {
            pub.publishAcked(retained(topic, 2, "stored"));
        }
        try (RawClient sub = client("rsub")) {
            sub.subscribe(topic, 1);
            Publish got = sub.expect(Publish.class);
            assertEquals(0x33, sub.lastFrame().firstByte(), "PUBLISH, QoS 1 = min(2, 1), RETAIN 1");
            assertEquals(topic, got.topic());
            assertEquals("stored", got.payload().utf8String());
            sub.send(new PubAck(got.packetId()));
            sub.expectNothing(QUIET);
        }
    }

    @Test
    @Order(2)
    @DisplayName("[MQTT-3.3.1-5] [MQTT-3.3.1-7] a new retained message (also QoS 0) replaces the previous one")
    void replaced() {
        String topic = Ids.unique("ret") + "/t";
        try (RawClient pub = client("rpub"); RawClient existing = client("rexist")) {
            existing.subscribe(topic, 0);
            pub.publishAcked(retained(topic, 1, "first"));
            pub.publishAcked(retained(topic, 0, "second"));
            assertEquals("first", existing.expect(Publish.class).payload().utf8String());
            // Seen by a subscriber means routed; the topic stores before it serves the next SUBSCRIBE.
            assertEquals("second", existing.expect(Publish.class).payload().utf8String());
        }
        try (RawClient sub = client("rsub")) {
            sub.subscribe(topic, 1);
            Publish got = sub.expect(Publish.class);
            assertEquals("second", got.payload().utf8String());
            assertEquals(0x31, sub.lastFrame().firstByte(), "QoS 0, RETAIN 1");
            sub.expectNothing(QUIET);
        }
    }

    @Test
    @Order(3)
    @DisplayName("[MQTT-3.3.1-9] forwarded to an established subscription with RETAIN=0; [MQTT-3.3.1-12] a RETAIN=0 message leaves the retained one alone")
    void ordinaryForwardingClearsRetain() {
        String topic = Ids.unique("ret") + "/t";
        try (RawClient pub = client("rpub"); RawClient existing = client("rexist")) {
            existing.subscribe(topic, 1);
            pub.publishAcked(retained(topic, 1, "keep"));
            Publish got = existing.expect(Publish.class);
            assertEquals(0x32, existing.lastFrame().firstByte(), "QoS 1, RETAIN 0 on an established subscription");
            assertFalse(got.retain());
            existing.send(new PubAck(got.packetId()));

            pub.publishAcked(new Publish(false, 1, false, topic, nextId(), Bytes.utf8("transient"), Properties.EMPTY));
            assertEquals("transient", existing.expect(Publish.class).payload().utf8String());
        }
        try (RawClient sub = client("rsub")) {
            sub.subscribe(topic, 0);
            Publish got = sub.expect(Publish.class);
            assertEquals("keep", got.payload().utf8String(), "RETAIN=0 must not replace the retained message");
            assertTrue(got.retain());
            sub.expectNothing(QUIET);
        }
    }

    @Test
    @Order(4)
    @DisplayName("[MQTT-3.3.1-10] [MQTT-3.3.1-11] an empty retained message is forwarded as normal and deletes the retained one")
    void emptyPayloadDeletes() {
        String topic = Ids.unique("ret") + "/t";
        String witness = Ids.unique("ret") + "/w";
        try (RawClient pub = client("rpub"); RawClient existing = client("rexist")) {
            existing.subscribe(topic, 0);
            pub.publishAcked(retained(topic, 1, "soon gone"));
            pub.publishAcked(retained(topic, 1, ""));
            pub.publishAcked(retained(witness, 1, "witness"));
            assertEquals("soon gone", existing.expect(Publish.class).payload().utf8String());
            Publish empty = existing.expect(Publish.class);
            assertTrue(empty.payload().isEmpty());
            assertEquals(0x30, existing.lastFrame().firstByte(), "processed as normal: RETAIN 0");
        }
        try (RawClient sub = client("rsub")) {
            sub.subscribe(topic, 0); // nothing retained any more: the next packet is the second SUBACK
            sub.subscribe(witness, 0);
            assertEquals("witness", sub.expect(Publish.class).payload().utf8String());
            sub.expectNothing(QUIET);
        }
    }

    @Test
    @Order(5)
    @DisplayName("[MQTT-3.3.1-6] [MQTT-3.3.1-8] [MQTT-4.7.2-1] new wildcard subscriptions ('#', '+/x', 'a/#') get every matching retained message with RETAIN=1")
    void wildcardSubscriptions() {
        String r = Ids.unique("wild");
        List<String> suffixes = List.of("/a", "/a/b", "/ab", "/x", "/y", "/x/z");
        try (RawClient pub = client("rpub")) {
            for (String s : suffixes) pub.publishAcked(retained(r + s, 1, s));
            pub.publishAcked(retained("$" + r + "/x", 1, "dollar"));
        }
        assertEquals(List.of(r + "/a", r + "/a/b"), retainedFor(r + "/a/#", r));
        assertEquals(List.of(r + "/x"), retainedFor("+/x", r));
        List<String> all = new ArrayList<>();
        for (String s : suffixes) all.add(r + s);
        all.sort(null);
        assertEquals(all, retainedFor("#", r));
    }

    @Test
    @Order(100)
    @DisplayName("retained messages and their deletion survive a restart of the node (SIGTERM)")
    void survivesRestart() {
        String r = Ids.unique("restart");
        try (RawClient pub = client("rpub")) {
            pub.publishAcked(retained(r + "/kept", 1, "kept"));
            pub.publishAcked(retained(r + "/gone", 1, "deleted before the restart"));
            pub.publishAcked(retained(r + "/gone", 1, ""));
        }
        broker.restart();
        assertEquals(List.of(r + "/kept"), retainedFor(r + "/#", r));
    }

    @Test
    @Order(101)
    @DisplayName("a retained message acknowledged with PUBACK survives SIGKILL of the node right after")
    void acknowledgedRetainedSurvivesKill() {
        String topic = Ids.unique("kill") + "/t";
        try (RawClient pub = client("rpub")) {
            pub.publishAcked(retained(topic, 1, "acknowledged"));
        }
        broker.kill();
        broker.startAgain();
        try (RawClient sub = client("rsub")) {
            sub.subscribe(topic, 1);
            Publish got = sub.expect(Publish.class);
            assertEquals("acknowledged", got.payload().utf8String());
            assertTrue(got.retain());
        }
    }

    @Test
    @Order(50)
    @DisplayName("a burst of 5000 retained QoS 0 messages in one write: all stored, all sent to a new subscription")
    void burstOfRetainedQos0() {
        String root = Ids.unique("burst");
        int n = 5000;
        try (RawClient pub = client("rpub")) {
            java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            for (int i = 1; i <= n; i++) {
                burst.writeBytes(org.swarmmq.protocol.codec.PacketEncoder.encode(
                        retained(root + "/" + i, 0, "v" + i), V3_1_1));
            }
            pub.sendBytes(burst.toByteArray());
            // The topic entity handles one connection's publishes in order: this PUBACK follows all n.
            pub.publishAcked(retained(root + "/last", 1, "last"));
        }
        List<String> got = retainedFor(root + "/#", root);
        assertEquals(n + 1, got.size(), "retained messages stored and sent (each once, RETAIN=1)");
    }

    /** Subscribes with a fresh client at QoS 0 and returns the retained topics under {@code root}, sorted. */
    private static List<String> retainedFor(String filter, String root) {
        TreeMap<String, Publish> got = new TreeMap<>();
        try (RawClient sub = client("rwild")) {
            sub.subscribe(filter, 0);
            // '#' also brings other tests' retained messages: take all until the broker goes quiet.
            for (Packet p; (p = sub.poll(QUIET)) != null; ) {
                Publish m = (Publish) p;
                assertTrue(m.retain(), "[MQTT-3.3.1-8] RETAIN=1 for " + m.topic() + " on a new subscription");
                assertFalse(m.topic().startsWith("$"), "[MQTT-4.7.2-1] " + filter + " matched " + m.topic());
                if (m.topic().startsWith(root + "/") && got.put(m.topic(), m) != null) {
                    throw new AssertionError("retained message sent twice: " + m.topic());
                }
            }
        }
        return new ArrayList<>(got.keySet());
    }

    private static RawClient client(String prefix) {
        return RawClient.connect(broker, V3_1_1, Ids.unique(prefix), true);
    }

    private static Publish retained(String topic, int qos, String payload) {
        return new Publish(false, qos, true, topic, qos == 0 ? 0 : nextId(), Bytes.utf8(payload), Properties.EMPTY);
    }

    private static synchronized int nextId() {
        int id = nextId;
        nextId = nextId == 0xFFFF ? 1 : nextId + 1;
        return id;
    }
}
