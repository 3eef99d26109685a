package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.PubComp;
import org.swarmmq.protocol.packets.PubRec;
import org.swarmmq.protocol.packets.PubRel;
import org.swarmmq.protocol.packets.Publish;

/**
 * Subscription QoS x publish QoS, with our raw codec client on both legs, so every flag, packet id
 * and acknowledgement on the wire is checked, not what a library makes of it.
 */
@DisplayName("QoS flows on the wire (raw client on both legs)")
class QosMatrixIT {
    /** PUBLISH QoS 1, topic "110", packet id 6, payload "123". */
    private static final String SEED_PUBLISH = "32 0A 00 03 31 31 30 00 06 31 32 33";
    private static final Duration QUIET = Duration.ofMillis(500);

    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start("qos", "swarmmq.max-inflight-messages = 20");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

    @ParameterizedTest(name = "publish QoS {0}, subscription QoS {1}: delivered at QoS {2}")
    @CsvSource({"0,0,0", "0,1,0", "0,2,0", "1,0,0", "1,1,1", "1,2,1", "2,0,0", "2,1,1", "2,2,2"})
    @DisplayName("[MQTT-3.8.4-6] delivered at min(publish QoS, subscription QoS); [MQTT-4.3.2-2] [MQTT-4.3.3-2] acks to the publisher; [MQTT-4.3.3-1] PUBREL to the subscriber")
    void deliveredAtTheLowerQos(int publishQos, int subscriptionQos, int deliveredQos) {
        String topic = Ids.unique("matrix") + "/t";
        Bytes payload = Bytes.utf8("publish " + publishQos + " subscription " + subscriptionQos);
        try (RawClient sub = RawClient.connect(broker, V3_1_1, Ids.unique("msub"), true);
             RawClient pub = RawClient.connect(broker, V3_1_1, Ids.unique("mpub"), true)) {
            sub.subscribe(topic, subscriptionQos);

            int id = publishQos == 0 ? 0 : 6;
            pub.send(new Publish(false, publishQos, false, topic, id, payload, Properties.EMPTY));
            if (publishQos == 1) {
                assertEquals(new PubAck(6), pub.expect(PubAck.class)); // [MQTT-4.3.2-2]
            } else if (publishQos == 2) {
                assertEquals(new PubRec(6), pub.expect(PubRec.class)); // [MQTT-4.3.3-2]
                pub.send(new PubRel(6));
                assertEquals(new PubComp(6), pub.expect(PubComp.class));
            }

            Publish got = sub.expect(Publish.class);
            int firstByte = sub.lastFrame().firstByte();
            assertEquals(0x30 | deliveredQos << 1, firstByte, "fixed header: PUBLISH, DUP 0, QoS "
                    + deliveredQos + ", RETAIN 0 [MQTT-3.3.1-9]; was " + Integer.toHexString(firstByte));
            assertEquals(topic, got.topic());
            assertEquals(payload, got.payload());
            assertEquals(deliveredQos, got.qos());
            assertFalse(got.dup());
            assertFalse(got.retain());
            if (deliveredQos == 1) {
                assertTrue(got.packetId() > 0, "[MQTT-2.3.1-1] QoS 1 needs a non-zero packet id");
                sub.send(new PubAck(got.packetId()));
            } else if (deliveredQos == 2) {
                assertTrue(got.packetId() > 0, "[MQTT-2.3.1-1] QoS 2 needs a non-zero packet id");
                sub.send(new PubRec(got.packetId()));
                assertEquals(new PubRel(got.packetId()), sub.expect(PubRel.class), "[MQTT-4.3.3-1] PUBREL after PUBREC");
                sub.send(new PubComp(got.packetId()));
            }
            // Acknowledged means done: no re-send on a live connection [MQTT-4.4.0-1], and one copy only.
            sub.expectNothing(Duration.ofMillis(200));
        }
    }

    @Test
    @DisplayName("[MQTT-4.3.2-2] the seed PUBLISH 32 0A 00 03 31 31 30 00 06 31 32 33 is answered 40 02 00 06 and delivered")
    void seedPublishFromRawBytes() {
        try (RawClient sub = RawClient.connect(broker, V3_1_1, Ids.unique("seedsub"), true);
             RawClient pub = RawClient.connect(broker, V3_1_1, Ids.unique("seedpub"), true)) {
            sub.subscribe("110", 1);
            pub.sendBytes(Hex.bytes(SEED_PUBLISH));

            pub.expect(PubAck.class);
            assertEquals(0x40, pub.lastFrame().firstByte());
            assertEquals("00 06", Hex.of(pub.lastFrame().body()));

            Publish got = sub.expect(Publish.class);
            assertEquals(0x32, sub.lastFrame().firstByte(), "QoS 1, DUP 0, RETAIN 0");
            assertEquals("110", got.topic());
            assertEquals("123", got.payload().utf8String());
            sub.send(new PubAck(got.packetId()));
            sub.expectNothing(Duration.ofMillis(200));
        }
    }

    @Test
    @DisplayName("[MQTT-4.3.3-2] QoS 2 exactly once: a PUBLISH re-sent with DUP=1 before PUBREL gets PUBREC again and is delivered once")
    void qos2DuplicateBeforePubRelIsDeliveredOnce() {
        String topic = Ids.unique("once") + "/t";
        try (RawClient sub = RawClient.connect(broker, V3_1_1, Ids.unique("oncesub"), true);
             RawClient pub = RawClient.connect(broker, V3_1_1, Ids.unique("oncepub"), true)) {
            sub.subscribe(topic, 2);

            Publish first = new Publish(false, 2, false, topic, 7, Bytes.utf8("exactly once"), Properties.EMPTY);
            pub.send(first);
            assertEquals(new PubRec(7), pub.expect(PubRec.class));
            pub.send(new Publish(true, 2, false, topic, 7, first.payload(), Properties.EMPTY)); // [MQTT-3.3.1-1]
            assertEquals(new PubRec(7), pub.expect(PubRec.class), "a duplicate before PUBREL is acknowledged again");
            pub.send(new PubRel(7));
            assertEquals(new PubComp(7), pub.expect(PubComp.class));

            receiveQos2(sub, "exactly once");
            sub.expectNothing(QUIET); // the duplicate must not be a second delivery

            // After PUBCOMP the id is free: the same id now starts a new message.
            pub.send(new Publish(false, 2, false, topic, 7, Bytes.utf8("a new message"), Properties.EMPTY));
            assertEquals(new PubRec(7), pub.expect(PubRec.class));
            pub.send(new PubRel(7));
            assertEquals(new PubComp(7), pub.expect(PubComp.class));
            receiveQos2(sub, "a new message");
        }
    }

    @Test
    @DisplayName("[MQTT-2.3.1-2] ids of unacknowledged messages are not reused: 30 QoS 1 to a silent subscriber, window 20")
    void inflightWindowAndPacketIds() {
        String topic = Ids.unique("window") + "/t";
        try (RawClient sub = RawClient.connect(broker, V3_1_1, Ids.unique("winsub"), true);
             RawClient pub = RawClient.connect(broker, V3_1_1, Ids.unique("winpub"), true)) {
            sub.subscribe(topic, 1);
            Set<Integer> acked = new HashSet<>();
            for (int i = 0; i < 30; i++) pub.send(Publish.of(topic, 1, i + 1, Bytes.utf8("m" + i)));
            for (int i = 0; i < 30; i++) acked.add(pub.expect(PubAck.class).packetId());
            assertEquals(30, acked.size(), "one PUBACK per PUBLISH");

            List<Publish> window = receive(sub, 20);
            sub.expectNothing(QUIET); // the window is full: the other 10 wait
            Set<Integer> inflight = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                assertEquals("m" + i, window.get(i).payload().utf8String(), "[MQTT-4.6.0-6] topic order");
                assertTrue(inflight.add(window.get(i).packetId()), "id reused within the window: " + window);
            }

            for (int i = 0; i < 10; i++) {
                sub.send(new PubAck(window.get(i).packetId()));
                inflight.remove(window.get(i).packetId());
            }
            List<Publish> rest = receive(sub, 10);
            for (int i = 0; i < 10; i++) {
                Publish p = rest.get(i);
                assertEquals("m" + (20 + i), p.payload().utf8String(), "[MQTT-4.6.0-6] topic order");
                assertTrue(inflight.add(p.packetId()),
                        "[MQTT-2.3.1-2] id " + p.packetId() + " is still in flight (unacknowledged)");
            }
            sub.expectNothing(QUIET);
            for (int id : inflight) sub.send(new PubAck(id));
            sub.expectNothing(Duration.ofMillis(200));
        }
    }

    private static List<Publish> receive(RawClient sub, int n) {
        List<Publish> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Publish p = sub.expect(Publish.class);
            assertEquals(1, p.qos());
            assertFalse(p.dup(), "first delivery has DUP 0");
            out.add(p);
        }
        return out;
    }

    /** Receives one QoS 2 PUBLISH and completes its flow as the receiver. */
    private static void receiveQos2(RawClient sub, String payload) {
        Publish got = sub.expect(Publish.class);
        assertEquals(payload, got.payload().utf8String());
        assertEquals(2, got.qos());
        assertFalse(got.dup());
        assertNotEquals(0, got.packetId());
        sub.send(new PubRec(got.packetId()));
        assertEquals(new PubRel(got.packetId()), sub.expect(PubRel.class));
        sub.send(new PubComp(got.packetId()));
    }
}
