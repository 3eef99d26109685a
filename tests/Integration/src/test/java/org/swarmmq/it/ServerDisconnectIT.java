package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.codec.Frame;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * Server DISCONNECTs an MQTT 5 client sees from a real node [MQTT-4.13.2-1], each with its reason
 * code and a Reason String saying why (3.14.2.2.3): server shutting down (SIGTERM), packet too
 * large. (Protocol error 0x82: MalformedInputIT; session taken over 0x8E and keep alive 0x8D:
 * SessionIT, Mqtt5OutboundIT; receive maximum 0x93, topic alias 0x94: Mqtt5LimitsIT.)
 */
class ServerDisconnectIT {
    private BrokerProcess node;

    @AfterEach
    void stop() {
        if (node != null) node.close();
    }

    @Test
    @DisplayName("[MQTT-4.13.2-1] SIGTERM: every MQTT 5 client gets DISCONNECT 0x8B Server shutting down, then the node exits; 3.1.1 just closed")
    void serverShuttingDown() throws Exception {
        node = BrokerProcess.start("shutdown-disconnect");
        RawClient clean = RawClient.connect(node, ProtocolVersion.V5, Ids.unique("sd-clean"), true);
        RawClient kept = RawClient.open(node);
        kept.connect(new Connect(ProtocolVersion.V5, Ids.unique("sd-kept"), true, 60, null, null, null,
                Properties.EMPTY.with(PropertyId.SESSION_EXPIRY_INTERVAL, 300L)));
        RawClient v3 = RawClient.connect(node, ProtocolVersion.V3_1_1, Ids.unique("sd-v3"), true);
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(node::stop);
        try {
            for (RawClient c : List.of(clean, kept)) {
                Disconnect d = c.expect(Disconnect.class, Duration.ofSeconds(20));
                assertEquals(ReasonCode.SERVER_SHUTTING_DOWN, d.reasonCode());
                assertTrue(d.properties().has(PropertyId.REASON_STRING), d::toString);
                assertTrue(c.closedWithin(Duration.ofSeconds(20)));
            }
            assertEquals(null, v3.poll(Duration.ofSeconds(20)), "3.1.1 has no server DISCONNECT");
            assertTrue(v3.closedWithin(Duration.ofSeconds(20)));
            stopped.get();
        } finally {
            for (RawClient c : List.of(clean, kept, v3)) c.close();
        }
    }

    @Test
    @DisplayName("[MQTT-3.2.2-15] a PUBLISH above the node's Maximum Packet Size: DISCONNECT 0x95 saying so, connection closed")
    void packetTooLarge() {
        node = BrokerProcess.start("too-large-disconnect", "", List.of(), Map.of("SWARMMQ_MAX_PACKET_SIZE", "1024"));
        try (RawClient c = RawClient.connect(node, ProtocolVersion.V5, Ids.unique("too-large"), true)) {
            c.send(new org.swarmmq.protocol.packets.Publish(false, 0, false, "big", 0,
                    org.swarmmq.protocol.Bytes.utf8("x".repeat(2000)), Properties.EMPTY));
            Disconnect d = c.expect(Disconnect.class);
            assertEquals(ReasonCode.PACKET_TOO_LARGE, d.reasonCode());
            String why = d.properties().string(PropertyId.REASON_STRING);
            assertTrue(why != null && why.contains("Maximum Packet Size"), "Reason String: " + why);
            Frame f = c.lastFrame();
            assertTrue(f.wireSize() < 300);
            assertTrue(c.closedWithin(Duration.ofSeconds(5)));
        }
    }
}
