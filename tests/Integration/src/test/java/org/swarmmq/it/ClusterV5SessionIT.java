package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;
import static org.swarmmq.protocol.packets.ProtocolVersion.V5;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.Will;

/**
 * MQTT 5 Will Delay and Session Expiry in a 3-node cluster on PostgreSQL: the client, the watcher
 * of its will and its publishers on different nodes (the session entity lands on whichever node
 * sharding picks for the id). Time-based rules are checked with the shortest intervals the rules
 * allow to tell apart (2 to 3 s). Then a node is killed (its clients' sessions must learn they are
 * gone) and restarted, and last a node's SIGTERM: its MQTT 5 clients get DISCONNECT 0x8B and find
 * their sessions on another node.
 */
@DisplayName("Cluster of 3: MQTT 5 Will Delay, Session Expiry and server shutdown across nodes")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterV5SessionIT {
    private static final Duration QUIET = Duration.ofMillis(500);

    private static BrokerCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = BrokerCluster.start("cv5session", 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
    }

    /** An MQTT 5 CONNECT with a Session Expiry Interval and, when {@code willTopic} is not null, a delayed will. */
    static Connect connect(String id, boolean cleanStart, long expiry, String willTopic, long willDelay) {
        Will will = willTopic == null ? null : new Will(willTopic, Bytes.utf8("gone " + id), 1, false,
                Properties.EMPTY.with(PropertyId.WILL_DELAY_INTERVAL, willDelay));
        return new Connect(V5, id, cleanStart, 60, will, null, null,
                Properties.EMPTY.with(PropertyId.SESSION_EXPIRY_INTERVAL, expiry));
    }

    private static RawClient open(int node) {
        return RawClient.open(cluster.node(node)).version(V5);
    }

    /** A clean 3.1.1 subscriber at QoS 1 on {@code topic}, on {@code node}. */
    private static RawClient watcher(int node, String topic) {
        RawClient w = RawClient.connect(cluster.node(node), V3_1_1, Ids.unique("watch"), true);
        w.subscribe(topic, 1);
        return w;
    }

    private static void expectWill(RawClient watcher, String id, Duration within) {
        Publish p = watcher.expect(Publish.class, within);
        assertEquals("gone " + id, p.payload().utf8String());
        watcher.send(new PubAck(p.packetId()));
    }

    @Test
    @Order(1)
    @DisplayName("[MQTT-3.1.3-9] will delay 3 s, session 60 s: the connection on node A drops; the watcher on node B gets the will after the delay, once")
    void willAfterDelayAcrossNodes() {
        String id = Ids.unique("wlate");
        String topic = Ids.unique("wlate") + "/will";
        try (RawClient w = watcher(1, topic)) {
            RawClient c = open(0);
            c.connect(connect(id, true, 60, topic, 3));
            long dropped = System.nanoTime();
            c.close(); // no DISCONNECT: an abnormal end, the will is due [MQTT-3.1.2-8]
            w.expectNothing(Duration.ofMillis(2_500));
            expectWill(w, id, Duration.ofSeconds(10));
            long waited = Duration.ofNanos(System.nanoTime() - dropped).toMillis();
            assertTrue(waited >= 2_900, "the will waited for its 3 s delay: " + waited + " ms");
            w.expectNothing(QUIET);
        }
    }

    @Test
    @Order(2)
    @DisplayName("[MQTT-3.1.3-9] will delay 3 s: the client drops on node A and is back on node C within the delay: Session Present, no will ever")
    void backInTimeOnAnotherNode() {
        String id = Ids.unique("wback");
        String topic = Ids.unique("wback") + "/will";
        try (RawClient w = watcher(1, topic)) {
            RawClient c = open(0);
            c.connect(connect(id, true, 60, topic, 3));
            c.close();
            try (RawClient again = open(2)) {
                ConnAck ack = again.connect(connect(id, false, 60, topic, 3));
                assertTrue(ack.sessionPresent(), "[MQTT-3.2.2-2] the session outlived the connection");
                w.expectNothing(Duration.ofSeconds(4)); // past the delay: still no will
                again.send(Disconnect.NORMAL); // 0x00 discards the new connection's will [MQTT-3.14.4-3]
                assertTrue(again.closedWithin(Duration.ofSeconds(5)));
            }
            w.expectNothing(QUIET);
        }
    }

    @Test
    @Order(3)
    @DisplayName("[MQTT-3.1.2-8] will delay 60 s, session 2 s: the will goes out on node B when the session ends, not before")
    void sessionEndsBeforeTheDelay() {
        String id = Ids.unique("wshort");
        String topic = Ids.unique("wshort") + "/will";
        try (RawClient w = watcher(1, topic)) {
            RawClient c = open(0);
            c.connect(connect(id, true, 2, topic, 60));
            long dropped = System.nanoTime();
            c.close();
            w.expectNothing(Duration.ofMillis(1_500));
            expectWill(w, id, Duration.ofSeconds(10));
            long waited = Duration.ofNanos(System.nanoTime() - dropped).toMillis();
            assertTrue(waited >= 1_900 && waited < 30_000, "the will went with the session at 2 s: " + waited + " ms");
        }
        try (RawClient c = open(2)) {
            assertFalse(c.connect(connect(id, false, 0, null, 0)).sessionPresent(), "the session ended with the will");
        }
    }

    @Test
    @Order(4)
    @DisplayName("[MQTT-3.1.2-23] Session Expiry 3 s: subscribe on node A, away while node B publishes, back on node C in time: Session Present and the queue; away past 3 s: no session, nothing queued, the subscription gone")
    void sessionExpiryAcrossNodes() throws InterruptedException {
        String id = Ids.unique("sexp");
        String topic = Ids.unique("sexp") + "/t";
        try (RawClient c = open(0)) {
            c.connect(connect(id, true, 3, null, 0));
            c.subscribe(topic, 1);
            c.send(Disconnect.NORMAL);
            assertTrue(c.closedWithin(Duration.ofSeconds(5)));
        }
        publish(1, topic, "queued 1", "queued 2");
        try (RawClient c = open(2)) {
            assertTrue(c.connect(connect(id, false, 3, null, 0)).sessionPresent(), "back within 3 s");
            expectMessages(c, "queued 1", "queued 2");
            c.expectNothing(QUIET);
            c.send(Disconnect.NORMAL);
            assertTrue(c.closedWithin(Duration.ofSeconds(5)));
        }
        publish(1, topic, "queued, then expired with the session");
        Thread.sleep(4_000); // past the 3 s: there is no event to wait for, the session just ends
        publish(1, topic, "after the session ended");
        try (RawClient c = open(0)) {
            assertFalse(c.connect(connect(id, false, 60, null, 0)).sessionPresent(), "[MQTT-3.1.2-23] expired");
            c.expectNothing(Duration.ofSeconds(1)); // nothing queued, and no subscription
            publish(2, topic, "to a session without subscriptions");
            c.expectNothing(Duration.ofSeconds(1));
            c.send(new Disconnect(ReasonCode.SUCCESS, Properties.EMPTY.with(PropertyId.SESSION_EXPIRY_INTERVAL, 0L)));
        }
    }

    @Test
    @Order(5)
    @DisplayName("[MQTT-3.14.2-2] Session Expiry changed at DISCONNECT, across nodes: 600 -> 2 s ends it, 2 -> 600 s keeps it with its queue, 600 -> 0 ends it at once")
    void expiryChangedAtDisconnect() throws InterruptedException {
        String shorter = Ids.unique("dshort");
        String longer = Ids.unique("dlong");
        String zero = Ids.unique("dzero");
        String topic = Ids.unique("dexp") + "/t";
        for (String[] s : List.of(new String[] {shorter, "600", "2"}, new String[] {longer, "2", "600"},
                new String[] {zero, "600", "0"})) {
            try (RawClient c = open(0)) {
                c.connect(connect(s[0], true, Long.parseLong(s[1]), null, 0));
                c.subscribe(topic, 1);
                c.send(new Disconnect(ReasonCode.SUCCESS,
                        Properties.EMPTY.with(PropertyId.SESSION_EXPIRY_INTERVAL, Long.parseLong(s[2]))));
                assertTrue(c.closedWithin(Duration.ofSeconds(5)));
            }
        }
        publish(1, topic, "while away");
        Thread.sleep(3_000); // past the 2 s of the CONNECT of one and the DISCONNECT of the other
        try (RawClient c = open(2)) {
            assertFalse(c.connect(connect(zero, false, 0, null, 0)).sessionPresent(), "600 -> 0 at DISCONNECT: ended");
            c.expectNothing(QUIET);
        }
        try (RawClient c = open(2)) {
            assertFalse(c.connect(connect(shorter, false, 0, null, 0)).sessionPresent(), "600 -> 2 at DISCONNECT: ended");
            c.expectNothing(QUIET);
        }
        try (RawClient c = open(1)) {
            assertTrue(c.connect(connect(longer, false, 0, null, 0)).sessionPresent(), "2 -> 600 at DISCONNECT: kept");
            expectMessages(c, "while away");
        }
    }

    @Test
    @Order(6)
    @DisplayName("[MQTT-3.14.2-2] DISCONNECT with Session Expiry 0 on node A, and once the server closed the socket a CONNECT (clean start 0) on node B: no session, 10 times")
    void endedSessionIsGoneAtOnceOnAnotherNode() {
        for (int i = 0; i < 10; i++) {
            String id = Ids.unique("dnow");
            try (RawClient c = open(i % 3)) {
                c.connect(connect(id, true, 600, null, 0));
                c.subscribe(Ids.unique("dnow") + "/t", 1);
                c.send(new Disconnect(ReasonCode.SUCCESS, Properties.EMPTY.with(PropertyId.SESSION_EXPIRY_INTERVAL, 0L)));
                assertTrue(c.closedWithin(Duration.ofSeconds(5)));
            }
            try (RawClient c = open((i + 1) % 3)) {
                // The socket closes only once the session handled the Detach, so this Attach comes after it.
                assertFalse(c.connect(connect(id, false, 0, null, 0)).sessionPresent(), "round " + i + ": ended");
            }
        }
    }

    @Test
    @Order(7)
    @DisplayName("[MQTT-3.1.2-23] SIGKILL a node with MQTT 5 clients on it: once it is downed, each session (on a node that lives, or restored from its record) counts its client as gone, and one of 2 s expires; one of 300 s is found with its message; the node rejoins")
    void sigkillEndsTheConnections() throws InterruptedException {
        int dying = 2;
        int shortLived = 6;
        List<String> ids = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i <= shortLived; i++) { // the last one: 300 s
                ids.add(Ids.unique("kill"));
                topics.add(Ids.unique("kill") + "/t");
                RawClient c = open(dying);
                c.connect(connect(ids.get(i), true, i < shortLived ? 2 : 300, null, 0));
                c.subscribe(topics.get(i), 1);
                clients.add(c);
            }
            int from = cluster.node(0).mark();
            cluster.kill(dying);
            BrokerCluster.awaitMembersUp(cluster.node(0), from, 2); // the split brain resolver downed it
            // Also starts again, from their records, the sessions that lived on the dead node.
            for (int i = 0; i <= shortLived; i++) publish(0, topics.get(i), "after the kill " + i);
            Thread.sleep(4_000); // past the 2 s, counted from the downing or from the restart of the session
            for (int i = 0; i < shortLived; i++) {
                try (RawClient c = open(1)) {
                    assertFalse(c.connect(connect(ids.get(i), false, 0, null, 0)).sessionPresent(),
                            "client " + i + ": its 2 s session ended after its node died");
                    c.expectNothing(QUIET);
                }
            }
            try (RawClient c = open(1)) {
                assertTrue(c.connect(connect(ids.get(shortLived), false, 0, null, 0)).sessionPresent(), "300 s: kept");
                expectMessages(c, "after the kill " + shortLived);
            }
        } finally {
            clients.forEach(RawClient::close);
        }
        cluster.restart(dying);
    }

    @Test
    @Order(8)
    @DisplayName("[MQTT-4.13.2-1] SIGTERM a node: each MQTT 5 client on it (ours and HiveMQ's) gets DISCONNECT 0x8B before the socket closes, wherever its session lives; each finds its session on another node, and one of 2 s has expired there; a will goes out")
    void sigtermSendsServerShuttingDown() throws Exception {
        int leaving = 2;
        int raw = 6; // sessions of several ids: some on the leaving node, some elsewhere
        int shortLived = 3; // of which these have a Session Expiry of 2 s, the others 300 s
        List<String> ids = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        List<RawClient> clients = new ArrayList<>();
        BlockingQueue<Throwable> hiveCauses = new LinkedBlockingQueue<>();
        RawClient watcher = null;
        String hiveId = Ids.unique("shut-hive");
        String hiveTopic = Ids.unique("shut-hive") + "/t";
        Mqtt5BlockingClient hive = Mqtt5Client.builder().identifier(hiveId).serverHost(BrokerProcess.HOST)
                .serverPort(cluster.node(leaving).port())
                .addDisconnectedListener(ctx -> hiveCauses.add(ctx.getCause())).buildBlocking();
        try {
            for (int i = 0; i < raw; i++) {
                ids.add(Ids.unique("shut"));
                topics.add(Ids.unique("shut") + "/t");
                RawClient c = open(leaving);
                c.connect(connect(ids.get(i), true, i < shortLived ? 2 : 300, null, 0));
                c.subscribe(topics.get(i), 1);
                clients.add(c);
            }
            hive.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
            hive.subscribeWith().topicFilter(hiveTopic).qos(MqttQos.AT_LEAST_ONCE).send();
            String willId = Ids.unique("shut-will");
            String willTopic = Ids.unique("shut-will") + "/will";
            watcher = watcher(0, willTopic);
            RawClient withWill = open(leaving);
            clients.add(withWill);
            withWill.connect(connect(willId, true, 0, willTopic, 0));

            int status = cluster.stop(leaving);
            long stopped = System.nanoTime();
            assertTrue(Set.of(0, 143).contains(status), "exit status after SIGTERM: " + status);
            for (int i = 0; i < raw; i++) {
                RawClient c = clients.get(i);
                Disconnect d = c.expect(Disconnect.class, Duration.ofSeconds(5));
                assertEquals(ReasonCode.SERVER_SHUTTING_DOWN, d.reasonCode(), "client " + i);
                assertTrue(c.closedWithin(Duration.ofSeconds(5)), "client " + i + ": closed after the DISCONNECT");
            }
            Throwable cause = hiveCauses.poll(10, TimeUnit.SECONDS);
            assertTrue(cause instanceof Mqtt5DisconnectException, "HiveMQ saw a DISCONNECT from the server: " + cause);
            assertEquals(Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN,
                    ((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode());

            // [MQTT-3.1.2-8] the server closed the connection without the client's DISCONNECT: its will goes out
            expectWill(watcher, willId, Duration.ofSeconds(10));
            for (int i = 0; i < raw; i++) publish(0, topics.get(i), "after the leave " + i);
            publish(0, hiveTopic, "after the leave, HiveMQ");
            for (int i = shortLived; i < raw; i++) {
                try (RawClient c = open(1)) {
                    assertTrue(c.connect(connect(ids.get(i), false, 0, null, 0)).sessionPresent(),
                            "client " + i + " finds its session on another node");
                    expectMessages(c, "after the leave " + i);
                    c.expectNothing(QUIET);
                }
            }
            // The sessions heard their client was gone (wherever they live, and those handed over
            // with their record): their 2 s ran from the shutdown.
            long left = 2_500 - Duration.ofNanos(System.nanoTime() - stopped).toMillis();
            if (left > 0) Thread.sleep(left);
            for (int i = 0; i < shortLived; i++) {
                try (RawClient c = open(1)) {
                    assertFalse(c.connect(connect(ids.get(i), false, 0, null, 0)).sessionPresent(),
                            "client " + i + ": its 2 s session expired after the shutdown [MQTT-3.1.2-23]");
                    c.expectNothing(QUIET);
                }
            }
            Mqtt5BlockingClient back = Mqtt5Client.builder().identifier(hiveId).serverHost(BrokerProcess.HOST)
                    .serverPort(cluster.node(1).port()).buildBlocking();
            try (Mqtt5BlockingClient.Mqtt5Publishes inbox = back.publishes(MqttGlobalPublishFilter.ALL)) {
                assertTrue(back.connectWith().cleanStart(false).sessionExpiryInterval(0).send().isSessionPresent(),
                        "HiveMQ finds its session on another node");
                Mqtt5Publish p = inbox.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no message"));
                assertEquals("after the leave, HiveMQ", new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
                back.disconnect();
            }
        } finally {
            clients.forEach(RawClient::close);
            if (watcher != null) watcher.close();
        }
    }

    /** Publishes each payload at QoS 1 from a fresh clean-session client on {@code node}, after each PUBACK. */
    private static void publish(int node, String topic, String... payloads) {
        try (RawClient pub = RawClient.connect(cluster.node(node), V3_1_1, Ids.unique("pub"), true)) {
            int id = 1;
            for (String p : payloads) pub.publishAcked(Publish.of(topic, 1, id++, Bytes.utf8(p)));
            pub.disconnect();
        }
    }

    /** Expects exactly these QoS 1 messages next, in order, and acknowledges each. */
    static void expectMessages(RawClient c, String... payloads) {
        for (String expected : payloads) {
            Publish p = c.expect(Publish.class);
            assertEquals(expected, p.payload().utf8String(), "[MQTT-4.6.0-6] in order");
            c.send(new PubAck(p.packetId()));
        }
    }
}
