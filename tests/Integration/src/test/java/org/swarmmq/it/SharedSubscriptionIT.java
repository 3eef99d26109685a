package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmmq.it.StockClient.Message;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * MQTT 5 Shared Subscriptions (4.8.2) on one node with stock clients (Paho mqttv5, HiveMQ 5) and
 * our raw client. MQTT 3.1.1 clients may use {@code $share/...} too, as with mosquitto.
 */
@DisplayName("Shared Subscriptions: one member per message, round robin, given back when a member's session ends")
class SharedSubscriptionIT {
    static final Duration QUIET = Duration.ofMillis(500);
    private static BrokerProcess node;

    @BeforeAll
    static void start() {
        node = BrokerProcess.start("shared-subs");
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    static Stream<Arguments> memberKinds() {
        return Stream.of(Arguments.of(ClientKind.PAHO_5, ClientKind.HIVEMQ_5),
                Arguments.of(ClientKind.HIVEMQ_5, ClientKind.HIVEMQ_5),
                // mosquitto shares $share/... for 3.1.1 clients as well; so do we
                Arguments.of(ClientKind.PAHO_3_1_1, ClientKind.HIVEMQ_3_1_1),
                Arguments.of(ClientKind.PAHO_5, ClientKind.PAHO_3_1_1));
    }

    /**
     * Takes messages from the members until {@code n} came in all, then waits {@code QUIET} for
     * more: a duplicate would show then. Returns each member's texts.
     */
    static List<List<String>> collect(int n, List<StockClient> members) {
        List<List<String>> got = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) got.add(new ArrayList<>());
        long deadline = System.nanoTime() + StockClient.TIMEOUT.toNanos();
        int total = 0;
        while (total < n && System.nanoTime() < deadline) {
            for (int i = 0; i < members.size(); i++) {
                Message m = members.get(i).received().poll();
                if (m != null) {
                    got.get(i).add(m.text());
                    total++;
                }
            }
            Thread.onSpinWait();
        }
        for (int i = 0; i < members.size(); i++) {
            for (Message m : members.get(i).drain(i == 0 ? QUIET : Duration.ZERO)) got.get(i).add(m.text());
        }
        return got;
    }

    static void assertEachOnce(List<String> sent, List<List<String>> got) {
        List<String> all = new ArrayList<>();
        got.forEach(all::addAll);
        assertEquals(sent.size(), all.size(), "each message to exactly one member (4.8.2): " + got);
        assertEquals(new TreeSet<>(sent), new TreeSet<>(all), "every message delivered: " + got);
    }

    @ParameterizedTest(name = "{0} and {1}")
    @MethodSource("memberKinds")
    @DisplayName("4.8.2 20 QoS 1 messages: each to exactly one of the two members, 10 each (round robin); an ordinary subscriber gets all")
    void roundRobin(ClientKind a, ClientKind b) {
        String root = Ids.unique("share");
        String filter = "$share/workers/" + root + "/+";
        try (StockClient m1 = a.connect(node); StockClient m2 = b.connect(node);
             StockClient plain = ClientKind.PAHO_5.connect(node); StockClient pub = ClientKind.HIVEMQ_5.connect(node)) {
            m1.subscribe(filter, 1);
            m2.subscribe(filter, 1);
            plain.subscribe(root + "/+", 1);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add("job" + i);
                pub.publish(root + "/x", "job" + i, 1);
            }
            List<List<String>> got = collect(20, List.of(m1, m2));
            assertEachOnce(sent, got);
            assertEquals(10, got.get(0).size(), "plain round robin over two members: " + got);
            assertEquals(10, got.get(1).size());
            List<String> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) all.add(plain.next().text());
            assertEquals(sent, all, "the ordinary subscription is not part of the group");
        }
    }

    @Test
    @DisplayName("3.8.4 no retained message for a new Shared Subscription; an ordinary one gets it [MQTT-3.3.1-6]")
    void noRetained() {
        String topic = Ids.unique("shret") + "/r";
        try (StockClient pub = ClientKind.PAHO_5.connect(node)) {
            pub.publish(topic, "kept".getBytes(), 1, true);
        }
        try (RawClient shared = RawClient.connect(node, ProtocolVersion.V5, Ids.unique("shret-s"), true);
             RawClient plain = RawClient.connect(node, ProtocolVersion.V5, Ids.unique("shret-p"), true)) {
            shared.subscribe("$share/g/" + topic, 1);
            plain.subscribe(topic, 1);
            assertEquals("kept", plain.expect(Publish.class).payload().utf8String());
            shared.expectNothing(QUIET);
        }
    }

    @Test
    @DisplayName("[MQTT-3.8.3-4] No Local on a Shared Subscription: DISCONNECT 0x82 Protocol Error, connection closed")
    void noLocalIsProtocolError() {
        try (RawClient c = RawClient.connect(node, ProtocolVersion.V5, Ids.unique("shnl"), true)) {
            // SUBSCRIBE id 1, no properties, "$share/g/a" with options 0x04 (No Local, QoS 0); our encoder refuses it.
            c.sendBytes(Hex.bytes("82 10 00 01 00 00 0A 24 73 68 61 72 65 2F 67 2F 61 04"));
            assertEquals(ReasonCode.PROTOCOL_ERROR, c.expect(Disconnect.class).reasonCode());
            assertTrue(c.closedWithin(Duration.ofSeconds(5)));
        }
        node.awaitLog("[MQTT-3.8.3-4]", Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("3.2.2.3.11-13 CONNACK leaves Shared/Wildcard/Subscription Identifier Available out: available, never 0")
    void connackAnnouncesAvailable() {
        try (RawClient c = RawClient.open(node).version(ProtocolVersion.V5)) {
            ConnAck ack = c.connect(Connect.of(ProtocolVersion.V5, Ids.unique("shca"), true, 30));
            for (PropertyId id : List.of(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE,
                    PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE)) {
                assertFalse(ack.properties().has(id), id + ": " + ack.properties());
            }
        }
    }

    @Test
    @DisplayName("4.8.2 a member that never acknowledged its QoS 1 messages disconnects with a clean session: the other member gets them")
    void givenBackWhenSessionEnds() {
        String root = Ids.unique("shback");
        String filter = "$share/g/" + root + "/#";
        try (StockClient other = ClientKind.PAHO_5.connect(node); StockClient pub = ClientKind.HIVEMQ_5.connect(node)) {
            RawClient silent = RawClient.connect(node, ProtocolVersion.V5, Ids.unique("shback-silent"), true);
            silent.subscribe(filter, 1);
            other.subscribe(filter, 1);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                sent.add("w" + i);
                pub.publish(root + "/t", "w" + i, 1);
            }
            Set<String> toSilent = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                Publish p = silent.expect(Publish.class);
                assertEquals(1, p.qos());
                toSilent.add(p.payload().utf8String()); // and no PUBACK, ever
            }
            silent.disconnect(); // session expiry 0: the session ends with it
            List<String> toOther = new ArrayList<>();
            for (int i = 0; i < 6; i++) toOther.add(other.next().text());
            toOther.addAll(other.drain(QUIET).stream().map(Message::text).toList());
            assertEquals(new TreeSet<>(sent), new TreeSet<>(toOther), "its own three, then the silent member's " + toSilent);
            assertEquals(6, toOther.size(), "each once");
        }
    }
}
