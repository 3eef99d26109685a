package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.PubComp;
import org.swarmmq.protocol.packets.PubRec;
import org.swarmmq.protocol.packets.PubRel;
import org.swarmmq.protocol.packets.Publish;

/**
 * Sessions that outlive their network connection (Clean Session 0) while the node runs: queued
 * messages, Session Present, clean session discarding state, and in-flight messages re-sent on
 * reconnect. Across a restart of the node: {@link SessionRestartIT}.
 */
@DisplayName("Persistent sessions (clean session 0) on a running node")
class PersistentSessionIT {
    private static final Duration QUIET = Duration.ofMillis(500);

    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start("persistent");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-2] [MQTT-3.1.2-5] QoS 1 messages published while offline arrive on reconnect, with Session Present 1")
    void queuedWhileOffline() {
        String id = Ids.unique("away");
        String topic = Ids.unique("away") + "/t";
        try (RawClient c = RawClient.open(broker)) {
            ConnAck first = c.connect(Connect.of(V3_1_1, id, false, 60));
            assertFalse(first.sessionPresent(), "[MQTT-3.2.2-3] no session yet");
            c.subscribe(topic, 1);
            c.disconnect();
        }
        try (RawClient pub = RawClient.connect(broker, V3_1_1, Ids.unique("awaypub"), true)) {
            for (int i = 1; i <= 3; i++) pub.publishAcked(Publish.of(topic, 1, i, Bytes.utf8("offline " + i)));
        }
        try (RawClient c = RawClient.open(broker)) {
            assertTrue(c.connect(Connect.of(V3_1_1, id, false, 60)).sessionPresent(), "Session Present");
            for (int i = 1; i <= 3; i++) {
                Publish p = c.expect(Publish.class);
                assertEquals("offline " + i, p.payload().utf8String(), "[MQTT-4.6.0-6] in order");
                assertEquals(1, p.qos());
                c.send(new PubAck(p.packetId()));
            }
            c.expectNothing(QUIET);
            c.disconnect();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-6] [MQTT-3.2.2-1] reconnecting with clean session 1 discards the session: no Session Present, no queued messages, no subscription")
    void cleanSessionDiscards() {
        String id = Ids.unique("discard");
        String topic = Ids.unique("discard") + "/t";
        try (RawClient c = RawClient.connect(broker, V3_1_1, id, false)) {
            c.subscribe(topic, 1);
            c.disconnect();
        }
        try (RawClient pub = RawClient.connect(broker, V3_1_1, Ids.unique("discpub"), true)) {
            pub.publishAcked(Publish.of(topic, 1, 1, Bytes.utf8("queued, then discarded")));
        }
        try (RawClient c = RawClient.open(broker);
             RawClient witness = RawClient.connect(broker, V3_1_1, Ids.unique("discwit"), true)) {
            assertFalse(c.connect(Connect.of(V3_1_1, id, true, 60)).sessionPresent(), "[MQTT-3.2.2-1]");
            witness.subscribe(topic, 1);
            try (RawClient pub = RawClient.connect(broker, V3_1_1, Ids.unique("discpub"), true)) {
                pub.publishAcked(Publish.of(topic, 1, 2, Bytes.utf8("after the clean start")));
            }
            Publish seen = witness.expect(Publish.class); // routed by now
            assertEquals("after the clean start", seen.payload().utf8String());
            witness.send(new PubAck(seen.packetId()));
            c.expectNothing(QUIET);
            c.disconnect();
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 2})
    @DisplayName("[MQTT-4.4.0-1] [MQTT-3.3.1-1] an unacknowledged PUBLISH is re-sent on reconnect with DUP=1 and its original packet id")
    void unacknowledgedPublishResentWithDup(int qos) {
        String id = Ids.unique("dup");
        String topic = Ids.unique("dup") + "/t";
        int packetId;
        try (RawClient c = RawClient.connect(broker, V3_1_1, id, false);
             RawClient pub = RawClient.connect(broker, V3_1_1, Ids.unique("duppub"), true)) {
            c.subscribe(topic, qos);
            pub.publishAcked(Publish.of(topic, qos, 1, Bytes.utf8("unacknowledged")));
            Publish first = c.expect(Publish.class);
            assertFalse(first.dup());
            packetId = first.packetId();
            // no PUBACK / PUBREC: the connection drops with the message in flight
        }
        try (RawClient c = RawClient.open(broker)) {
            assertTrue(c.connect(Connect.of(V3_1_1, id, false, 60)).sessionPresent());
            Publish again = c.expect(Publish.class);
            assertEquals(0x38 | qos << 1, c.lastFrame().firstByte(), "PUBLISH with DUP 1, QoS " + qos);
            assertTrue(again.dup());
            assertEquals(packetId, again.packetId(), "the original packet id");
            assertEquals("unacknowledged", again.payload().utf8String());
            if (qos == 1) {
                c.send(new PubAck(packetId));
            } else {
                c.send(new PubRec(packetId));
                assertEquals(new PubRel(packetId), c.expect(PubRel.class));
                c.send(new PubComp(packetId));
            }
            c.expectNothing(QUIET);
            c.disconnect();
        }
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] a PUBREL not yet completed is re-sent on reconnect (62 02 + original id)")
    void pubRelResent() {
        String id = Ids.unique("rel");
        String topic = Ids.unique("rel") + "/t";
        int packetId;
        try (RawClient c = RawClient.connect(broker, V3_1_1, id, false);
             RawClient pub = RawClient.connect(broker, V3_1_1, Ids.unique("relpub"), true)) {
            c.subscribe(topic, 2);
            pub.publishAcked(Publish.of(topic, 2, 1, Bytes.utf8("released, not completed")));
            packetId = c.expect(Publish.class).packetId();
            c.send(new PubRec(packetId));
            assertEquals(new PubRel(packetId), c.expect(PubRel.class));
            // no PUBCOMP: the connection drops
        }
        try (RawClient c = RawClient.open(broker)) {
            assertTrue(c.connect(Connect.of(V3_1_1, id, false, 60)).sessionPresent());
            assertEquals(new PubRel(packetId), c.expect(PubRel.class));
            assertEquals(0x62, c.lastFrame().firstByte());
            c.send(new PubComp(packetId));
            c.expectNothing(QUIET); // the message itself is not delivered again
            c.disconnect();
        }
    }
}
