package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;
import static org.swarmmq.protocol.packets.ProtocolVersion.V5;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PingReq;
import org.swarmmq.protocol.packets.PingResp;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * Broken input through real sockets. Each case must close ONLY its own connection (an MQTT 5
 * client that got its CONNACK first receives DISCONNECT with the reason code), the node must log
 * the rule it applied, and a Paho subscriber connected all along must keep receiving, before
 * and after every case. The node enforces a Maximum Packet Size of 1 MiB here.
 */
@DisplayName("Malformed input closes only the offending connection")
class MalformedInputIT {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_PACKET_SIZE = 1024 * 1024;

    private static BrokerProcess broker;
    private static StockClient observer;
    private static StockClient publisher;
    private static String topic;
    private static int liveness;

    @BeforeAll
    static void start() {
        broker = BrokerProcess.start("malformed", "swarmmq.max-packet-size = 1MiB");
        topic = Ids.unique("alive") + "/t";
        observer = ClientKind.PAHO_3_1_1.connect(broker);
        observer.subscribe(topic, 1);
        publisher = ClientKind.PAHO_3_1_1.connect(broker);
    }

    @AfterAll
    static void stop() {
        if (observer != null) observer.close();
        if (publisher != null) publisher.close();
        if (broker != null) broker.close();
    }

    /** Before and after every case: the node lives, the old subscriber is served, a new client gets in. */
    @BeforeEach
    @AfterEach
    void othersAreUnaffected() {
        assertTrue(broker.isAlive(), "the node process died" + broker.tail());
        String payload = "still here " + ++liveness;
        publisher.publish(topic, payload, 1);
        assertEquals(payload, observer.next().text(), "the connected subscriber stopped receiving");
        try (RawClient fresh = RawClient.connect(broker, V3_1_1, Ids.unique("fresh"), true)) {
            fresh.send(PingReq.INSTANCE);
            fresh.expect(PingResp.class);
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.0-1] a first packet other than CONNECT: closed")
    void firstPacketNotConnect() {
        try (RawClient c = RawClient.open(broker).version(V3_1_1)) {
            int mark = broker.mark();
            c.send(Publish.of("early/bird", 0, 0, Bytes.utf8("before CONNECT")));
            assertClosed(c, null, mark, "[MQTT-3.1.0-1]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.1.0-2] a second CONNECT: closed (5.0: DISCONNECT 0x82 Protocol Error first)")
    void secondConnect(ProtocolVersion v) {
        try (RawClient c = RawClient.connect(broker, v, Ids.unique("twice"), true)) {
            int mark = broker.mark();
            c.send(Connect.of(v, Ids.unique("twice"), true, 60));
            assertClosed(c, ReasonCode.PROTOCOL_ERROR, mark, "[MQTT-3.1.0-2]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.8.1-1] SUBSCRIBE with fixed header flags 0000: malformed (0x81)")
    void subscribeFlags(ProtocolVersion v) {
        brokenAfterConnect(v, v.isV5() ? "80 07 00 01 00 00 01 61 00" : "80 06 00 01 00 01 61 00",
                ReasonCode.MALFORMED_PACKET, "[MQTT-3.8.1-1]");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.3.1-4] PUBLISH with QoS 3: malformed (0x81)")
    void publishQos3(ProtocolVersion v) {
        brokenAfterConnect(v, v.isV5() ? "36 07 00 01 61 00 01 00 78" : "36 06 00 01 61 00 01 78",
                ReasonCode.MALFORMED_PACKET, "[MQTT-3.3.1-4]");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-3] CONNECT with the reserved flag set: closed without CONNACK")
    void connectReservedFlag() {
        try (RawClient c = RawClient.open(broker).version(V3_1_1)) {
            int mark = broker.mark();
            c.sendBytes(Hex.bytes("10 0D 00 04 4D 51 54 54 04 03 00 3C 00 01 63")); // flags 0000 0011
            assertClosed(c, null, mark, "[MQTT-3.1.2-3]");
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-2] an unknown protocol level (7): CONNACK 0x01 (20 02 00 01), then closed")
    void unknownProtocolLevel() {
        try (RawClient c = RawClient.open(broker).version(V3_1_1)) {
            int mark = broker.mark();
            c.sendBytes(Hex.bytes("10 0D 00 04 4D 51 54 54 07 02 00 3C 00 01 63"));
            c.expect(ConnAck.class);
            assertEquals(0x20, c.lastFrame().firstByte());
            assertEquals("00 01", Hex.of(c.lastFrame().body()));
            assertClosed(c, null, mark, "[MQTT-3.1.2-2]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-1.5.3-1] ill-formed UTF-8 (C3 28) in a PUBLISH topic: malformed (0x81)")
    void invalidUtf8Topic(ProtocolVersion v) {
        brokenAfterConnect(v, v.isV5() ? "30 06 00 02 C3 28 00 78" : "30 05 00 02 C3 28 78",
                ReasonCode.MALFORMED_PACKET, "[MQTT-1.5.3-1]");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-1.5.3-2] U+0000 in a PUBLISH topic: malformed (0x81)")
    void nullCharacterInTopic(ProtocolVersion v) {
        brokenAfterConnect(v, v.isV5() ? "30 06 00 02 61 00 00 78" : "30 05 00 02 61 00 78",
                ReasonCode.MALFORMED_PACKET, "[MQTT-1.5.3-2]");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.3.2-2] a wildcard in a PUBLISH topic name ('a/#'): closed (5.0: DISCONNECT 0x90 or 0x81)")
    void wildcardInPublishTopic(ProtocolVersion v) {
        try (RawClient c = RawClient.connect(broker, v, Ids.unique("wild"), true)) {
            int mark = broker.mark();
            c.sendBytesIgnoringClose(Hex.bytes(v.isV5() ? "30 07 00 03 61 2F 23 00 78" : "30 06 00 03 61 2F 23 78"));
            if (v.isV5()) {
                // 5.0 names no code for this: 0x90 Topic Name invalid and 0x81 Malformed Packet both fit.
                ReasonCode got = c.expect(Disconnect.class).reasonCode();
                assertTrue(Set.of(ReasonCode.TOPIC_NAME_INVALID, ReasonCode.MALFORMED_PACKET).contains(got), "DISCONNECT " + got);
            }
            assertClosed(c, null, mark, "[MQTT-3.3.2-2]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.2.2-15] a packet declaring 2 MiB (limit 1 MiB) is refused on its fixed header (5.0: DISCONNECT 0x95)")
    void packetTooLarge(ProtocolVersion v) {
        // RemainingLength 2 MiB (80 80 80 01), then only the start of a topic: the body never comes.
        brokenAfterConnect(v, "30 80 80 80 01 00 01 61", ReasonCode.PACKET_TOO_LARGE, "exceeds the Maximum Packet Size");
    }

    @Test
    @DisplayName("(5.0 3.2.2.3.6) CONNACK announces the Maximum Packet Size the node enforces")
    void connAckAnnouncesMaximumPacketSize() {
        try (RawClient c = RawClient.open(broker)) {
            ConnAck ack = c.connect(Connect.of(V5, Ids.unique("maxsize"), true, 60));
            assertEquals(MAX_PACKET_SIZE, ack.properties().longValue(PropertyId.MAXIMUM_PACKET_SIZE, -1),
                    "a client told nothing may send up to 256 MiB, and would be disconnected for it: " + ack);
        }
    }

    @Test
    @DisplayName("packets declaring the largest RemainingLength (256 MiB) allocate nothing: the node's memory stays flat")
    void hugeDeclaredPacketsAllocateNothing() {
        long before = broker.rssKiB();
        for (int i = 0; i < 8; i++) {
            try (RawClient c = RawClient.connect(broker, V3_1_1, Ids.unique("huge"), true)) {
                c.sendBytesIgnoringClose(Hex.bytes("30 FF FF FF 7F 00 01 61"));
                assertTrue(c.closedWithin(CLOSE_TIMEOUT), "still open after declaring 256 MiB");
            }
        }
        long grownMiB = (broker.rssKiB() - before) / 1024;
        // Buffering the declared bodies would need 2 GiB (with a 256 MiB heap); a few MiB is noise.
        assertTrue(grownMiB < 32, "RSS grew by " + grownMiB + " MiB");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ProtocolVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-1.5.5-1] a RemainingLength of 5 bytes (FF FF FF FF 01): malformed (0x81)")
    void fiveByteRemainingLength(ProtocolVersion v) {
        brokenAfterConnect(v, "30 FF FF FF FF 01", ReasonCode.MALFORMED_PACKET, "[MQTT-1.5.5-1]");
    }

    @Test
    @DisplayName("[MQTT-2.1.2] garbage before CONNECT (packet type 0): closed")
    void garbageBeforeConnect() {
        try (RawClient c = RawClient.open(broker).version(V3_1_1)) {
            int mark = broker.mark();
            c.sendBytesIgnoringClose(Hex.bytes("00 DE AD BE EF"));
            assertClosed(c, null, mark, "[MQTT-2.1.2]");
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.0-1] an HTTP request instead of MQTT: closed")
    void httpRequest() {
        try (RawClient c = RawClient.open(broker).version(V3_1_1)) {
            int mark = broker.mark();
            c.sendBytesIgnoringClose("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertClosed(c, null, mark, "[MQTT-");
        }
    }

    @Test
    @DisplayName("[MQTT-2.1.2] garbage after CONNECT (5.0): DISCONNECT 0x81, closed")
    void garbageAfterConnect() {
        brokenAfterConnect(V5, "00 DE AD BE EF", ReasonCode.MALFORMED_PACKET, "[MQTT-2.1.2]");
    }

    /** Connects (CONNACK received), sends the broken bytes, and checks DISCONNECT (5.0), close and log. */
    private static void brokenAfterConnect(ProtocolVersion v, String hex, ReasonCode v5Reason, String logged) {
        try (RawClient c = RawClient.connect(broker, v, Ids.unique("broken"), true)) {
            int mark = broker.mark();
            c.sendBytesIgnoringClose(Hex.bytes(hex));
            assertClosed(c, v5Reason, mark, logged);
        }
    }

    /**
     * The broker sends DISCONNECT with {@code v5Reason} first if the client is MQTT 5 and the
     * code is given, then nothing else, closes within 5 s, and logs the close naming {@code logged}.
     */
    private static void assertClosed(RawClient c, ReasonCode v5Reason, int mark, String logged) {
        if (v5Reason != null && c.version() == V5) {
            assertEquals(v5Reason, c.expect(Disconnect.class).reasonCode(), "[MQTT-4.13.1-1] DISCONNECT with the reason code");
        }
        assertTrue(c.closedWithin(CLOSE_TIMEOUT), "the connection is still open");
        Packet extra = c.poll(Duration.ZERO);
        assertNull(extra, "nothing more before the close");
        String who = "(127.0.0.1:" + c.localPort() + ") closed: ";
        broker.awaitLog(mark, l -> l.contains(who) && l.contains(logged), CLOSE_TIMEOUT,
                "a line with '" + who + "' naming " + logged);
    }
}
