package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.Publish;

/**
 * A persistent session (Clean Session 0) is session state the server keeps after the connection
 * [MQTT-3.1.2-4] [MQTT-3.1.2-5]; SwarmMQ promises it survives a restart of the node
 * (docs/architecture.md: persistent sessions are event sourced).
 *
 * <p>EXPECTED TO FAIL until session journaling lands: today sessions live only in memory.
 */
@DisplayName("Persistent sessions across a restart of the node")
class SessionRestartIT {
    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerProcess.start("restart");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-2] subscribe (clean session 0), disconnect, SIGTERM + restart, publish: reconnect gets Session Present 1 and the message")
    void persistentSessionSurvivesRestart() {
        String id = Ids.unique("survivor");
        String topic = Ids.unique("survivor") + "/t";
        try (RawClient c = RawClient.connect(broker, V3_1_1, id, false)) {
            c.subscribe(topic, 1);
            c.disconnect();
        }
        broker.restart();
        try (RawClient pub = RawClient.connect(broker, V3_1_1, Ids.unique("survpub"), true)) {
            pub.publishAcked(Publish.of(topic, 1, 1, Bytes.utf8("published after the restart")));
        }
        assertReconnectGets(id, "published after the restart");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-5] a QoS 1 message queued for an offline persistent session survives SIGTERM + restart")
    void queuedMessageSurvivesRestart() {
        String id = Ids.unique("queued");
        String topic = Ids.unique("queued") + "/t";
        try (RawClient c = RawClient.connect(broker, V3_1_1, id, false)) {
            c.subscribe(topic, 1);
            c.disconnect();
        }
        try (RawClient pub = RawClient.connect(broker, V3_1_1, Ids.unique("queuedpub"), true)) {
            pub.publishAcked(Publish.of(topic, 1, 1, Bytes.utf8("queued before the restart")));
        }
        broker.restart();
        assertReconnectGets(id, "queued before the restart");
    }

    /** Reconnects with clean session 0 and checks Session Present and the message (both reported). */
    private static void assertReconnectGets(String id, String payload) {
        try (RawClient c = RawClient.open(broker)) {
            ConnAck ack = c.connect(Connect.of(V3_1_1, id, false, 60));
            Packet p = c.poll(Duration.ofSeconds(3));
            if (p instanceof Publish m && m.qos() > 0) c.send(new PubAck(m.packetId()));
            assertAll(
                    () -> assertTrue(ack.sessionPresent(), "[MQTT-3.2.2-2] Session Present 0 after the restart: the session was lost"),
                    () -> assertTrue(p instanceof Publish, "no message after the restart, got " + p),
                    () -> assertEquals(payload, p instanceof Publish m ? m.payload().utf8String() : null));
        }
    }
}
