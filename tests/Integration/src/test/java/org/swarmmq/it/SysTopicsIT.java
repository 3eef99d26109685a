package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.Publish;

/**
 * The $SYS topics a mosquitto user reads (MQTT Explorer, monitoring that subscribes to
 * {@code $SYS/#}): retained, updated every sys-interval (1 s here), never matched by a filter that
 * starts with a wildcard [MQTT-4.7.2-1].
 */
@DisplayName("$SYS topics")
class SysTopicsIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static BrokerProcess broker;

    @BeforeAll
    static void start() {
        broker = BrokerProcess.start("sys", "swarmmq.sys-interval = 1s");
    }

    @AfterAll
    static void stop() {
        if (broker != null) broker.close();
    }

    /** Reads $SYS/broker/# until {@code done} holds for what was last seen per topic. */
    static Map<String, String> awaitSys(RawClient sub, Predicate<Map<String, String>> done) {
        Map<String, String> seen = new HashMap<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.test(seen)) {
            if (System.nanoTime() > deadline) throw new AssertionError("$SYS never showed what was awaited: " + seen);
            Packet p = sub.poll(Duration.ofSeconds(2));
            if (p instanceof Publish m) seen.put(m.topic(), m.payload().utf8String());
        }
        return seen;
    }

    @Test
    @DisplayName("version, uptime, connected clients and message counts, as mosquitto names them")
    void figures() {
        try (RawClient other = RawClient.connect(broker, V3_1_1, Ids.unique("sysother"), true);
             RawClient sub = RawClient.connect(broker, V3_1_1, Ids.unique("syssub"), true)) {
            other.publishAcked(new Publish(false, 1, false, Ids.unique("sys") + "/t", 1, Bytes.utf8("x"), Properties.EMPTY));
            sub.subscribe("$SYS/broker/#", 0);
            // One interval's messages arrive one by one: wait until all of these hold at once.
            Map<String, String> seen = awaitSys(sub, s -> "2".equals(s.get("$SYS/broker/clients/connected"))
                    && s.getOrDefault("$SYS/broker/uptime", "").matches("\\d+ seconds")
                    && Long.parseLong(s.getOrDefault("$SYS/broker/publish/messages/received", "0")) >= 1
                    && Long.parseLong(s.getOrDefault("$SYS/broker/bytes/received", "0")) > 0);
            assertEquals("SwarmMQ 0.1.0", seen.get("$SYS/broker/version"));
            assertEquals("1", seen.get("$SYS/broker/nodes/count"));
        }
    }

    @Test
    @DisplayName("a client cannot publish to $SYS: acknowledged and dropped, as mosquitto; MQTT 5 hears 0x87")
    void clientsCannotPublishToSys() {
        try (RawClient v3 = RawClient.connect(broker, V3_1_1, Ids.unique("sysspoof"), true);
             RawClient v5 = RawClient.connect(broker, org.swarmmq.protocol.packets.ProtocolVersion.V5,
                     Ids.unique("sysspoof5"), true)) {
            v3.publishAcked(new Publish(false, 1, true, "$SYS/broker/version", 1, Bytes.utf8("spoof"), Properties.EMPTY));
            v5.send(new Publish(false, 1, true, "$SYS/broker/version", 2, Bytes.utf8("spoof 5"), Properties.EMPTY));
            assertEquals(org.swarmmq.protocol.packets.ReasonCode.NOT_AUTHORIZED,
                    v5.expect(org.swarmmq.protocol.packets.PubAck.class).reasonCode());
        }
        try (RawClient sub = RawClient.connect(broker, V3_1_1, Ids.unique("sysread"), true)) {
            sub.subscribe("$SYS/broker/version", 0);
            Publish got = sub.expect(Publish.class);
            assertEquals("SwarmMQ 0.1.0", got.payload().utf8String(), "the broker's value, not a client's");
        }
    }

    @Test
    @DisplayName("[MQTT-4.7.2-1] '#' and '+/broker/#' do not match $SYS topics")
    void wildcardsSkipSys() {
        try (RawClient sub = RawClient.connect(broker, V3_1_1, Ids.unique("syswild"), true)) {
            sub.subscribe("#", 0);
            sub.subscribe("+/broker/#", 0);
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos(); // three sys intervals
            while (System.nanoTime() < deadline) {
                Packet p = sub.poll(Duration.ofMillis(500));
                if (p instanceof Publish m) assertTrue(!m.topic().startsWith("$"), "matched " + m.topic());
            }
        }
    }
}
