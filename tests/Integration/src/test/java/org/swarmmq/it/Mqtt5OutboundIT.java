package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.PubComp;
import org.swarmmq.protocol.packets.PubRec;
import org.swarmmq.protocol.packets.PubRel;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * What a node sends an MQTT 5 client, as the client's CONNECT asked: nothing above its Maximum
 * Packet Size, topic aliases up to its Topic Alias Maximum, PUBACK/PUBREC 0x10 when no
 * subscription matched, server DISCONNECTs that say why. Over real sockets, with our own codec
 * client (to see the bytes) and the HiveMQ client (which refuses what breaks its limits).
 */
class Mqtt5OutboundIT {
    private static final Duration QUIET = Duration.ofMillis(700);
    private static BrokerProcess node;

    @BeforeAll
    static void start() {
        node = BrokerProcess.start("mqtt5-outbound", "", List.of(), Map.of("SWARMMQ_OUTBOUND_TOPIC_ALIASES", "on"));
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    private static RawClient v5(String id, boolean cleanStart, Properties props) {
        RawClient c = RawClient.open(node);
        c.connect(new Connect(ProtocolVersion.V5, id, cleanStart, 60, null, null, null, props));
        return c;
    }

    private static Publish publish(String topic, int qos, int id, int payloadBytes) {
        return new Publish(false, qos, false, topic, id, Bytes.utf8("x".repeat(payloadBytes)), Properties.EMPTY);
    }

    private static int alias(Publish p) {
        return p.properties().intValue(PropertyId.TOPIC_ALIAS, 0);
    }

    // -- Maximum Packet Size of the client --

    @Test
    @DisplayName("[MQTT-3.1.2-25] a PUBLISH above the subscriber's Maximum Packet Size is not sent, takes no packet id; the publisher is acknowledged")
    void maximumPacketSizeOfTheClient() {
        Properties limit = Properties.EMPTY.with(PropertyId.MAXIMUM_PACKET_SIZE, 200L)
                .with(PropertyId.SESSION_EXPIRY_INTERVAL, 300L); // persistent: the publisher waits for its confirmation
        try (RawClient sub = v5(Ids.unique("small-sub"), true, limit);
             RawClient pub = RawClient.connect(node, ProtocolVersion.V5, Ids.unique("small-pub"), true)) {
            sub.subscribe("limit/t", 1);
            pub.send(publish("limit/t", 1, 1, 300));
            PubAck ack = pub.expect(PubAck.class, Duration.ofSeconds(3)); // a missing confirmation would mean a 5 s retry, forever
            assertEquals(ReasonCode.SUCCESS, ack.reasonCode(), "a subscription matched");
            pub.send(publish("limit/t", 1, 2, 100));
            pub.expect(PubAck.class);
            Publish got = sub.expect(Publish.class);
            assertEquals(100, got.payload().length(), "the small one only");
            assertEquals(1, got.packetId(), "the discarded one took no packet identifier");
            assertTrue(sub.lastFrame().wireSize() <= 200);
            sub.send(new PubAck(got.packetId()));
            sub.expectNothing(QUIET);
        }
        node.awaitLog("larger than its Maximum Packet Size [MQTT-3.1.2-25]", Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] HiveMQ with Maximum Packet Size 256 (it disconnects on a larger packet): gets the small messages, stays connected")
    void hiveMqMaximumPacketSize() throws Exception {
        BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
        Mqtt5AsyncClient hive = Mqtt5Client.builder().identifier(Ids.unique("hive-small"))
                .serverHost(BrokerProcess.HOST).serverPort(node.port()).buildAsync();
        hive.publishes(MqttGlobalPublishFilter.ALL, received::add);
        HiveMqClient.await(hive.connectWith().cleanStart(true).restrictions().maximumPacketSize(256).applyRestrictions()
                .send(), "connect");
        try (StockClient pub = new PahoV5Client(node, Ids.unique("paho-big"))) {
            HiveMqClient.await(hive.subscribeWith().topicFilter("hive/limit").qos(MqttQos.AT_LEAST_ONCE).send(), "subscribe");
            for (int size : List.of(100, 1000, 200, 5000, 50)) {
                pub.publish("hive/limit", new byte[size], 1, false);
            }
            for (int size : List.of(100, 200, 50)) {
                Mqtt5Publish p = received.poll(10, TimeUnit.SECONDS);
                assertEquals(size, p == null ? -1 : p.getPayloadAsBytes().length);
            }
            assertEquals(null, received.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(hive.getState().isConnected(), "HiveMQ closes with 0x95 on a packet above its limit");
        } finally {
            HiveMqClient.await(hive.disconnect(), "disconnect");
        }
    }

    // -- Outbound topic aliases --

    @Test
    @DisplayName("[MQTT-3.3.2-12] outbound topic aliases: topic + alias first, then empty topic + alias; least recently used replaced; none above the maximum")
    void outboundTopicAliasesOnTheWire() {
        try (RawClient sub = v5(Ids.unique("alias-sub"), true, Properties.EMPTY.with(PropertyId.TOPIC_ALIAS_MAXIMUM, 2));
             RawClient pub = RawClient.connect(node, ProtocolVersion.V5, Ids.unique("alias-pub"), true)) {
            sub.subscribe("oa/#", 0);
            for (String t : List.of("oa/one", "oa/one", "oa/two", "oa/one", "oa/three", "oa/one", "oa/two")) {
                pub.send(new Publish(false, 0, false, t, 0, Bytes.utf8(t), Properties.EMPTY));
            }
            record Seen(String topic, int alias, String payload) {
            }
            List<Seen> expected = List.of(new Seen("oa/one", 1, "oa/one"), new Seen("", 1, "oa/one"),
                    new Seen("oa/two", 2, "oa/two"), new Seen("", 1, "oa/one"),
                    new Seen("oa/three", 2, "oa/three"), // two was the least recently sent: its alias goes
                    new Seen("", 1, "oa/one"), new Seen("oa/two", 2, "oa/two"));
            for (Seen e : expected) {
                Publish p = sub.expect(Publish.class);
                assertEquals(e, new Seen(p.topic(), alias(p), p.payload().utf8String()));
            }
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-11] no Topic Alias Maximum in CONNECT, or MQTT 3.1.1: no alias, ever")
    void noAliasesWithoutMaximum() {
        try (RawClient v5 = v5(Ids.unique("noalias5"), true, Properties.EMPTY);
             RawClient v3 = RawClient.connect(node, ProtocolVersion.V3_1_1, Ids.unique("noalias3"), true);
             RawClient pub = RawClient.connect(node, ProtocolVersion.V5, Ids.unique("noalias-pub"), true)) {
            v5.subscribe("na/t", 0);
            v3.subscribe("na/t", 0);
            for (int i = 0; i < 3; i++) pub.send(new Publish(false, 0, false, "na/t", 0, Bytes.utf8("m"), Properties.EMPTY));
            for (RawClient c : List.of(v5, v3)) {
                for (int i = 0; i < 3; i++) {
                    Publish p = c.expect(Publish.class);
                    assertEquals("na/t", p.topic());
                    assertFalse(p.properties().has(PropertyId.TOPIC_ALIAS));
                }
            }
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-7] aliases belong to the network connection: a DUP re-send after reconnect sets its alias again")
    void aliasesAfterReconnect() {
        String id = Ids.unique("alias-dup");
        Properties props = Properties.EMPTY.with(PropertyId.TOPIC_ALIAS_MAXIMUM, 5).with(PropertyId.SESSION_EXPIRY_INTERVAL, 300L);
        try (RawClient pub = RawClient.connect(node, ProtocolVersion.V5, Ids.unique("alias-dup-pub"), true)) {
            try (RawClient sub = v5(id, true, props)) {
                sub.subscribe("ad/t", 1);
                pub.publishAcked(publish("ad/t", 1, 1, 10));
                pub.publishAcked(publish("ad/t", 1, 2, 10));
                Publish first = sub.expect(Publish.class);
                Publish second = sub.expect(Publish.class);
                assertEquals(List.of("ad/t", ""), List.of(first.topic(), second.topic()));
                // not acknowledged: both stay in flight
            }
            try (RawClient again = v5(id, false, props)) {
                Publish d1 = again.expect(Publish.class);
                Publish d2 = again.expect(Publish.class);
                assertTrue(d1.dup() && d2.dup());
                assertEquals(List.of("ad/t", ""), List.of(d1.topic(), d2.topic()), "the new connection's first sets the alias");
                assertEquals(alias(d1), alias(d2));
                again.send(new PubAck(d1.packetId()));
                again.send(new PubAck(d2.packetId()));
                again.disconnect();
            }
        }
    }

    @Test
    @DisplayName("HiveMQ 5 with Topic Alias Maximum 3 receives every message with its right topic (aliases resolved by the client)")
    void hiveMqResolvesOurAliases() throws Exception {
        BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
        Mqtt5AsyncClient hive = Mqtt5Client.builder().identifier(Ids.unique("hive-alias"))
                .serverHost(BrokerProcess.HOST).serverPort(node.port()).buildAsync();
        hive.publishes(MqttGlobalPublishFilter.ALL, received::add);
        HiveMqClient.await(hive.connectWith().cleanStart(true).restrictions().topicAliasMaximum(3).applyRestrictions()
                .send(), "connect");
        List<String> topics = List.of("ha/a", "ha/b", "ha/a", "ha/c", "ha/d", "ha/a", "ha/b", "ha/e", "ha/c", "ha/a");
        try (StockClient pub = new PahoV5Client(node, Ids.unique("paho-alias"))) {
            HiveMqClient.await(hive.subscribeWith().topicFilter("ha/+").qos(MqttQos.AT_LEAST_ONCE).send(), "subscribe");
            for (String t : topics) pub.publish(t, t, 1);
            for (String t : topics) {
                Mqtt5Publish p = received.poll(10, TimeUnit.SECONDS);
                assertEquals(t, p == null ? null : p.getTopic().toString());
                assertEquals(t, new String(p.getPayloadAsBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
            assertTrue(hive.getState().isConnected());
        } finally {
            HiveMqClient.await(hive.disconnect(), "disconnect");
        }
    }

    // -- Reason codes on acks --

    @Test
    @DisplayName("(3.4.2.1, 3.5.2.1) no matching subscribers: MQTT 5 PUBACK / PUBREC 0x10; QoS 2 completes; 0x00 once a subscription matches")
    void noMatchingSubscribers() {
        try (RawClient pub = RawClient.connect(node, ProtocolVersion.V5, Ids.unique("nomatch-pub"), true)) {
            pub.send(publish("nomatch/t", 1, 1, 5));
            assertEquals(new PubAck(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY), pub.expect(PubAck.class));
            pub.send(publish("nomatch/t", 2, 2, 5));
            assertEquals(new PubRec(2, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY), pub.expect(PubRec.class));
            pub.send(new PubRel(2));
            assertEquals(new PubComp(2), pub.expect(PubComp.class));
            try (RawClient sub = RawClient.connect(node, ProtocolVersion.V3_1_1, Ids.unique("nomatch-sub"), true)) {
                sub.subscribe("+/t", 1); // through the wildcard entity
                pub.send(publish("nomatch/t", 1, 3, 5));
                assertEquals(new PubAck(3), pub.expect(PubAck.class));
                sub.expect(Publish.class);
            }
        }
    }

    @Test
    @DisplayName("MQTT 3.1.1 acks unchanged with no matching subscribers: PUBACK is the packet id alone (40 02)")
    void v311AckUnchanged() {
        try (RawClient pub = RawClient.connect(node, ProtocolVersion.V3_1_1, Ids.unique("nomatch3"), true)) {
            pub.send(publish("nomatch3/t", 1, 7, 5));
            assertEquals(new PubAck(7), pub.expect(PubAck.class));
            assertEquals(4, pub.lastFrame().wireSize());
            pub.send(publish("nomatch3/t", 2, 8, 5));
            pub.expect(PubRec.class);
            assertEquals(4, pub.lastFrame().wireSize());
        }
    }

    // -- Server DISCONNECTs with a Reason String --

    @Test
    @DisplayName("[MQTT-3.1.2-24] keep alive expired: DISCONNECT 0x8D with a Reason String, which goes when it would exceed the client's maximum")
    void keepAliveTimeoutSaysWhy() {
        try (RawClient c = RawClient.open(node)) {
            c.send(new Connect(ProtocolVersion.V5, Ids.unique("ka-why"), true, 1, null, null, null, Properties.EMPTY));
            c.expect(ConnAck.class);
            Disconnect d = c.expect(Disconnect.class, Duration.ofSeconds(5)); // 1.5 keep alive periods
            assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, d.reasonCode());
            assertEquals("keep alive expired", d.properties().string(PropertyId.REASON_STRING));
            assertTrue(c.closedWithin(Duration.ofSeconds(5)));
        }
        try (RawClient c = RawClient.open(node)) {
            c.send(new Connect(ProtocolVersion.V5, Ids.unique("ka-tiny"), true, 1, null, null, null,
                    Properties.EMPTY.with(PropertyId.MAXIMUM_PACKET_SIZE, 16L)));
            c.expect(ConnAck.class);
            Disconnect d = c.expect(Disconnect.class, Duration.ofSeconds(5));
            assertEquals(Disconnect.of(ReasonCode.KEEP_ALIVE_TIMEOUT), d, "no room for the Reason String [MQTT-3.14.2-3]");
            assertTrue(c.lastFrame().wireSize() <= 16);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] session taken over: DISCONNECT 0x8E saying so; a HiveMQ 5 client sees the reason code")
    void takenOverSaysWhy() throws Exception {
        String id = Ids.unique("take-why");
        AtomicReference<Throwable> cause = new AtomicReference<>();
        java.util.concurrent.CountDownLatch gone = new java.util.concurrent.CountDownLatch(1);
        Mqtt5AsyncClient hive = Mqtt5Client.builder().identifier(id).serverHost(BrokerProcess.HOST).serverPort(node.port())
                .addDisconnectedListener(ctx -> {
                    cause.set(ctx.getCause());
                    gone.countDown();
                }).buildAsync();
        HiveMqClient.await(hive.connectWith().cleanStart(true).send(), "connect");
        try (RawClient second = RawClient.connect(node, ProtocolVersion.V5, id, true)) {
            assertTrue(gone.await(10, TimeUnit.SECONDS), "HiveMQ was not disconnected");
            var disconnect = ((com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException) cause.get()).getMqttMessage();
            assertEquals(com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER,
                    disconnect.getReasonCode());
            assertEquals("session taken over by another connection", String.valueOf(disconnect.getReasonString().orElse(null)));
        }
    }
}
