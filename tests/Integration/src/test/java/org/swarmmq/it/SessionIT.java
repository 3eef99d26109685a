package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;
import static org.swarmmq.protocol.packets.ProtocolVersion.V5;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PingReq;
import org.swarmmq.protocol.packets.PingResp;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.Will;

/**
 * The life of a network connection: PING, keep alive, the will, takeover by a second connection
 * with the same client id, client id rules and the connect timeout (configured to 2 s here).
 * Sessions that outlive connections are in {@link PersistentSessionIT}.
 */
@DisplayName("Connections: ping, keep alive, will, takeover, client ids, connect timeout")
class SessionIT {
    private static final Duration QUIET = Duration.ofMillis(500);

    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start("session", "swarmmq.connect-timeout = 2s");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

    @Test
    @DisplayName("[MQTT-3.12.4-1] PINGREQ is answered with PINGRESP (D0 00)")
    void ping() {
        try (RawClient c = RawClient.connect(broker, V3_1_1, Ids.unique("ping"), true)) {
            c.send(PingReq.INSTANCE);
            c.expect(PingResp.class);
            assertEquals("D0", Hex.of(new byte[] {(byte) c.lastFrame().firstByte()}));
            assertEquals(0, c.lastFrame().body().length);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] keep alive 1 s and silence: closed after 1.5 s (not before, not much after), and the will is published")
    void keepAliveExpiry() {
        String willTopic = Ids.unique("kawill") + "/w";
        try (RawClient watcher = watch(willTopic); RawClient silent = RawClient.open(broker)) {
            long start = System.nanoTime();
            silent.connect(connect(V3_1_1, Ids.unique("silent"), 1, new Will(willTopic, Bytes.utf8("keep alive expired"), 0, false, Properties.EMPTY)));
            assertTrue(silent.closedWithin(Duration.ofSeconds(5)), "still open 5 s after CONNECT with keep alive 1 s");
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMs >= 1500, "closed after " + elapsedMs + " ms, before 1.5 x keep alive");
            assertTrue(elapsedMs <= 3000, "closed only after " + elapsedMs + " ms");
            assertEquals("keep alive expired", watcher.expect(Publish.class).payload().utf8String(),
                    "[MQTT-3.1.2-8] a keep alive timeout publishes the will");
            broker.awaitLog("(127.0.0.1:" + silent.localPort() + ") closed: keep alive expired", Duration.ofSeconds(5));
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] keep alive 1 s with a PINGREQ every 0.5 s: the connection stays open")
    void keepAliveKeptByPings() throws InterruptedException {
        try (RawClient c = RawClient.open(broker)) {
            c.connect(Connect.of(V3_1_1, Ids.unique("pinger"), true, 1));
            for (int i = 0; i < 5; i++) {
                Thread.sleep(500); // the client's pace, not an assertion
                c.send(PingReq.INSTANCE);
                c.expect(PingResp.class);
            }
            assertFalse(c.closedWithin(Duration.ZERO), "closed although the client kept sending");
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] the will is published when the connection is lost without DISCONNECT, at its QoS")
    void willOnAbnormalLoss() {
        String willTopic = Ids.unique("lost") + "/w";
        try (RawClient watcher = watch(willTopic)) {
            RawClient c = RawClient.open(broker);
            c.connect(connect(V3_1_1, Ids.unique("lost"), 60, new Will(willTopic, Bytes.utf8("gone"), 1, false, Properties.EMPTY)));
            c.close(); // no DISCONNECT: the network connection is simply gone
            Publish will = watcher.expect(Publish.class);
            assertEquals("gone", will.payload().utf8String());
            assertEquals(1, will.qos(), "Will QoS 1 to a QoS 1 subscription");
            assertFalse(will.retain());
            watcher.send(new PubAck(will.packetId()));
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-10] after DISCONNECT the will is discarded, not published")
    void noWillAfterDisconnect() {
        String willTopic = Ids.unique("bye") + "/w";
        try (RawClient watcher = watch(willTopic)) {
            RawClient c = RawClient.open(broker);
            c.connect(connect(V3_1_1, Ids.unique("bye"), 60, new Will(willTopic, Bytes.utf8("must not appear"), 0, false, Properties.EMPTY)));
            c.send(Disconnect.NORMAL);
            assertTrue(c.closedWithin(Duration.ofSeconds(5)), "[MQTT-3.14.4-1] the broker closes after DISCONNECT");
            c.close();
            try (RawClient pub = RawClient.connect(broker, V3_1_1, Ids.unique("byepub"), true)) {
                pub.publishAcked(Publish.of(willTopic, 0, 0, Bytes.utf8("after")));
            }
            List<String> got = payloads(watcher);
            assertEquals(List.of("after"), got, "only the later message, no will");
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-17] a will with Will Retain 1 is published as a retained message")
    void willRetain() {
        String willTopic = Ids.unique("wret") + "/w";
        try (RawClient watcher = watch(willTopic)) {
            RawClient c = RawClient.open(broker);
            c.connect(connect(V3_1_1, Ids.unique("wret"), 60, new Will(willTopic, Bytes.utf8("last words"), 1, true, Properties.EMPTY)));
            c.close();
            Publish live = watcher.expect(Publish.class);
            assertFalse(live.retain(), "[MQTT-3.3.1-9] RETAIN 0 to the established subscription");
            watcher.send(new PubAck(live.packetId()));
        }
        try (RawClient late = RawClient.connect(broker, V3_1_1, Ids.unique("wretlate"), true)) {
            late.subscribe(willTopic, 1);
            Publish kept = late.expect(Publish.class);
            assertEquals("last words", kept.payload().utf8String());
            assertTrue(kept.retain(), "the will was stored as a retained message");
            late.send(new PubAck(kept.packetId()));
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.4-2] a second connection with the same client id closes the first (3.1.1)")
    void takeover() {
        String id = Ids.unique("take");
        RawClient first = RawClient.connect(broker, V3_1_1, id, true);
        int mark = broker.mark();
        try (RawClient second = RawClient.connect(broker, V3_1_1, id, true)) {
            assertTrue(first.closedWithin(Duration.ofSeconds(5)), "the first connection is still open");
            broker.awaitLog(mark, l -> l.contains("Client " + id + " (127.0.0.1:" + first.localPort() + ") closed"),
                    Duration.ofSeconds(5), "the first connection's close");
            second.send(PingReq.INSTANCE);
            second.expect(PingResp.class); // the new connection is the live one
        } finally {
            first.close();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] (5.0) takeover: the first connection gets DISCONNECT 0x8E Session taken over, then is closed")
    void takeoverV5() {
        String id = Ids.unique("take5");
        try (RawClient first = RawClient.connect(broker, V5, id, true);
             RawClient second = RawClient.connect(broker, V5, id, true)) {
            Disconnect d = first.expect(Disconnect.class);
            assertEquals(ReasonCode.SESSION_TAKEN_OVER, d.reasonCode());
            assertTrue(first.closedWithin(Duration.ofSeconds(5)));
            second.send(PingReq.INSTANCE);
            second.expect(PingResp.class);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] a connection closed by a takeover did not DISCONNECT: its will is published (5.0: 3.1.4 step 2)")
    void takeoverPublishesTheWill() {
        String willTopic = Ids.unique("takewill") + "/w";
        String id = Ids.unique("takewill");
        try (RawClient watcher = watch(willTopic)) {
            RawClient first = RawClient.open(broker);
            first.connect(connect(V3_1_1, id, 60, new Will(willTopic, Bytes.utf8("taken over"), 0, false, Properties.EMPTY)));
            try (RawClient second = RawClient.connect(broker, V3_1_1, id, true)) {
                assertTrue(first.closedWithin(Duration.ofSeconds(5)));
                Packet will = watcher.poll(Duration.ofSeconds(3));
                assertTrue(will instanceof Publish p && p.payload().utf8String().equals("taken over"),
                        "no will after the takeover closed the first connection; got " + will);
            } finally {
                first.close();
            }
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.3-6] [MQTT-3.1.3-7] a zero-length client id with clean session 1 is accepted with a unique id of its own")
    void emptyClientIdWithCleanSession() {
        try (RawClient a = RawClient.connect(broker, V3_1_1, "", true);
             RawClient b = RawClient.connect(broker, V3_1_1, "", true)) {
            // Each got its own id: the second did not take over the first.
            String topic = Ids.unique("anon") + "/t";
            a.subscribe(topic, 0);
            b.publishAcked(Publish.of(topic, 0, 0, Bytes.utf8("to a")));
            assertEquals("to a", a.expect(Publish.class).payload().utf8String());
            assertFalse(a.closedWithin(Duration.ZERO));
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.3-8] a zero-length client id with clean session 0 is refused with CONNACK 0x02 (20 02 00 02), then closed")
    void emptyClientIdWithoutCleanSession() {
        try (RawClient c = RawClient.open(broker)) {
            c.send(Connect.of(V3_1_1, "", false, 60));
            ConnAck ack = c.expect(ConnAck.class);
            assertEquals(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, ack.reasonCode());
            assertEquals(0x20, c.lastFrame().firstByte());
            assertEquals("00 02", Hex.of(c.lastFrame().body()));
            assertTrue(c.closedWithin(Duration.ofSeconds(5)), "[MQTT-3.2.2-5] closed after a refusing CONNACK");
        }
    }

    @Test
    @DisplayName("(3.1.4) a socket that sends no CONNECT is closed after the connect timeout (2 s here)")
    void connectTimeout() {
        long start = System.nanoTime();
        try (RawClient c = RawClient.open(broker)) {
            int mark = broker.mark();
            assertTrue(c.closedWithin(Duration.ofSeconds(8)), "still open 8 s after connecting without CONNECT");
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMs >= 1900 && elapsedMs <= 5000, "closed after " + elapsedMs + " ms, configured 2 s");
            broker.awaitLog(mark, l -> l.contains("(127.0.0.1:" + c.localPort() + ") closed: no CONNECT within 2 s"),
                    Duration.ofSeconds(5), "the connect timeout");
        }
    }

    /** A clean-session client subscribed to {@code topic} at QoS 1. */
    private static RawClient watch(String topic) {
        RawClient w = RawClient.connect(broker, V3_1_1, Ids.unique("watch"), true);
        w.subscribe(topic, 1);
        return w;
    }

    private static Connect connect(ProtocolVersion v, String id, int keepAlive, Will will) {
        return new Connect(v, id, true, keepAlive, will, null, null, Properties.EMPTY);
    }

    /** Payloads of everything arriving until the connection stays quiet for {@link #QUIET} (QoS 0 only). */
    private static List<String> payloads(RawClient c) {
        List<String> out = new ArrayList<>();
        for (Packet p; (p = c.poll(QUIET)) != null; ) out.add(((Publish) p).payload().utf8String());
        return out;
    }
}
