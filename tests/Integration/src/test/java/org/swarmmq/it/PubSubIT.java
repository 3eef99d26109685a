package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmmq.it.StockClient.Message;

/**
 * Publish/subscribe as stock libraries see it: Paho and HiveMQ, each in 3.1.1 and 5. Every
 * scenario runs once per library; clients publish to and subscribe from their own kind.
 */
@DisplayName("Publish/subscribe with Paho and HiveMQ (3.1.1 and 5)")
class PubSubIT {
    /** How long a test waits to show that something does NOT arrive. */
    private static final Duration QUIET = Duration.ofMillis(400);
    private static final int TEN_MIB = 10 * 1024 * 1024;

    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start("pubsub");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ClientKind.class)
    @DisplayName("[MQTT-4.7.1-2] [MQTT-4.7.1-3] several subscribers, each gets exactly what its filter matches ('a/#' matches 'a')")
    void filtering(ClientKind kind) {
        String r = Ids.unique("filter");
        try (StockClient plus = kind.connect(broker); StockClient hash = kind.connect(broker);
             StockClient exact = kind.connect(broker); StockClient pub = kind.connect(broker)) {
            plus.subscribe(r + "/a/+/c", 1);
            hash.subscribe(r + "/a/#", 1);
            exact.subscribe(r + "/a/b/c", 1);

            for (String t : List.of("/a/b/c", "/a/x/c", "/a/b/d", "/a", "/a/b/c/d", "/ab/c", "/b/a")) {
                pub.publish(r + t, t, 1);
            }

            assertReceived(hash, r, "/a", "/a/b/c", "/a/b/c/d", "/a/b/d", "/a/x/c");
            assertReceived(plus, r, "/a/b/c", "/a/x/c");
            assertReceived(exact, r, "/a/b/c");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ClientKind.class)
    @DisplayName("[MQTT-4.7.2-1] filters starting with a wildcard ('#', '+/x') do not match topics starting with '$'")
    void wildcardsDoNotMatchDollarTopics(ClientKind kind) {
        String u = Ids.unique("dollar");
        try (StockClient all = kind.connect(broker); StockClient plus = kind.connect(broker);
             StockClient sys = kind.connect(broker); StockClient pub = kind.connect(broker)) {
            all.subscribe("#", 1);
            plus.subscribe("+/" + u, 1);
            // Any topic starting with $ [MQTT-4.7.2-1]; not $SYS, which clients may not publish to.
            sys.subscribe("$app/" + u, 1);

            pub.publish("$app/" + u, "dollar", 1);
            pub.publish("ctl/" + u, "control", 1);

            assertEquals("$app/" + u, sys.next().topic(), "a filter naming the $ level matches");
            // The control message shows both wildcard subscriptions are live.
            assertTrue(receivedUntil(all, "ctl/" + u).stream().noneMatch(m -> m.topic().startsWith("$")));
            assertEquals("ctl/" + u, plus.next().topic());
            assertTrue(all.drain(QUIET).stream().noneMatch(m -> m.topic().startsWith("$")), "'#' matched a $ topic");
            assertTrue(plus.drain(QUIET).isEmpty(), "'+/x' matched a $ topic");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ClientKind.class)
    @DisplayName("[MQTT-3.3.5-1] overlapping subscriptions of one client: one copy, at the highest QoS granted")
    void overlappingSubscriptionsGiveOneCopy(ClientKind kind) {
        String r = Ids.unique("overlap");
        try (StockClient sub = kind.connect(broker); StockClient pub = kind.connect(broker)) {
            sub.subscribe(r + "/#", 0);
            sub.subscribe(r + "/+", 2);
            sub.subscribe(r + "/t", 1);

            pub.publish(r + "/t", "q2", 2);
            Message m = sub.next();
            assertEquals("q2", m.text());
            assertEquals(2, m.qos(), "the highest QoS of the matching subscriptions");
            assertEquals(List.of(), sub.drain(QUIET), "a second copy");

            pub.publish(r + "/t", "q1", 1);
            assertEquals(1, sub.next().qos());
            assertEquals(List.of(), sub.drain(QUIET), "a second copy");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ClientKind.class)
    @DisplayName("[MQTT-3.10.4-2] after UNSUBSCRIBE the client gets no more messages for that filter")
    void unsubscribeStopsDelivery(ClientKind kind) {
        String topic = Ids.unique("unsub") + "/t";
        try (StockClient sub = kind.connect(broker); StockClient witness = kind.connect(broker);
             StockClient pub = kind.connect(broker)) {
            sub.subscribe(topic, 1);
            witness.subscribe(topic, 1);
            pub.publish(topic, "before", 1);
            assertEquals("before", sub.next().text());
            assertEquals("before", witness.next().text());

            sub.unsubscribe(topic);
            pub.publish(topic, "after", 1);
            assertEquals("after", witness.next().text(), "the topic still delivers");
            assertEquals(List.of(), sub.drain(QUIET), "delivered after UNSUBACK");
        }
    }

    static Stream<Arguments> payloadSizes() {
        List<Arguments> out = new ArrayList<>();
        for (ClientKind k : ClientKind.values()) {
            out.add(Arguments.of(k, 0));
            out.add(Arguments.of(k, TEN_MIB));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {1} bytes")
    @MethodSource("payloadSizes")
    @DisplayName("(3.3.3 Payload) payloads of 0 bytes and 10 MiB arrive byte for byte")
    void payloadsArriveIntact(ClientKind kind, int size) {
        String topic = Ids.unique("payload") + "/t";
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        try (StockClient sub = kind.connect(broker); StockClient pub = kind.connect(broker)) {
            sub.subscribe(topic, 1);
            pub.publish(topic, payload, 1, false);
            Message m = sub.next();
            assertEquals(topic, m.topic());
            assertEquals(1, m.qos());
            assertFalse(m.retain());
            assertEquals(size, m.payload().length);
            assertArrayEquals(payload, m.payload());
        }
    }

    /** The client gets exactly the topics {@code root + suffix}, once each, and nothing more. */
    private static void assertReceived(StockClient c, String root, String... suffixes) {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < suffixes.length; i++) got.add(c.next().topic());
        for (Message extra : c.drain(QUIET)) got.add(extra.topic());
        List<String> expected = new ArrayList<>();
        for (String s : suffixes) expected.add(root + s);
        got.sort(null);
        expected.sort(null);
        assertEquals(expected, got, c + " (filter matching)");
    }

    /** Messages up to and including the first on {@code topic}. */
    private static List<Message> receivedUntil(StockClient c, String topic) {
        List<Message> out = new ArrayList<>();
        for (Message m; !(m = c.next()).topic().equals(topic); ) out.add(m);
        return out;
    }
}
