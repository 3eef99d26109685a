package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * MQTT 5 limits a node announces and enforces, over a real socket: Topic Alias Maximum (and
 * aliases resolved), Receive Maximum, Server Keep Alive, set from SWARMMQ_* variables.
 */
class Mqtt5LimitsIT {
    private static BrokerProcess node;

    @BeforeAll
    static void start() {
        node = BrokerProcess.start("mqtt5-limits", "", List.of(), Map.of(
                "SWARMMQ_TOPIC_ALIAS_MAXIMUM", "4", "SWARMMQ_RECEIVE_MAXIMUM", "50", "SWARMMQ_MAX_KEEP_ALIVE", "30s"));
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    private static RawClient v5(String id, int keepAlive, ConnAck[] ack) {
        RawClient c = RawClient.open(node).version(ProtocolVersion.V5);
        ack[0] = c.connect(Connect.of(ProtocolVersion.V5, id, true, keepAlive));
        return c;
    }

    private static Publish aliased(String topic, int alias, int qos, int id, String payload) {
        return new Publish(false, qos, false, topic, id, Bytes.utf8(payload), Properties.EMPTY.with(PropertyId.TOPIC_ALIAS, alias));
    }

    @Test
    @DisplayName("CONNACK: Topic Alias Maximum 4, Receive Maximum 50, and Server Keep Alive 30 for a client asking 0 [MQTT-3.2.2-21]")
    void limitsAnnounced() {
        ConnAck[] ack = new ConnAck[1];
        try (RawClient c = v5("limits", 0, ack)) {
            assertEquals(4, ack[0].properties().intValue(PropertyId.TOPIC_ALIAS_MAXIMUM, 0));
            assertEquals(50, ack[0].properties().intValue(PropertyId.RECEIVE_MAXIMUM, 0));
            assertEquals(30, ack[0].properties().intValue(PropertyId.SERVER_KEEP_ALIVE, 0));
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-12] a topic alias set once is resolved; subscribers see the topic name, never the alias")
    void topicAliasResolved() {
        try (RawClient sub = RawClient.connect(node, ProtocolVersion.V3_1_1, "alias-sub", true)) {
            sub.subscribe("alias/t", 1);
            ConnAck[] ack = new ConnAck[1];
            try (RawClient pub = v5("alias-pub", 60, ack)) {
                pub.send(aliased("alias/t", 2, 1, 1, "first"));
                pub.expect(PubAck.class);
                pub.send(aliased("", 2, 1, 2, "second"));
                pub.expect(PubAck.class);
            }
            for (String payload : List.of("first", "second")) {
                Publish p = sub.expect(Publish.class);
                assertEquals("alias/t", p.topic());
                assertEquals(payload, p.payload().utf8String());
            }
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-9] an alias above the Topic Alias Maximum: DISCONNECT 0x94, connection closed")
    void aliasAboveMaximum() {
        ConnAck[] ack = new ConnAck[1];
        try (RawClient c = v5("alias-over", 60, ack)) {
            c.send(aliased("x/y", 5, 0, 0, "too far"));
            assertEquals(ReasonCode.TOPIC_ALIAS_INVALID, c.expect(Disconnect.class).reasonCode());
            assertTrue(c.closedWithin(Duration.ofSeconds(5)));
        }
        node.awaitLog("topic alias 5 outside 1..4 [MQTT-3.3.2-9]", Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("[MQTT-3.3.2-5] a queued message whose expiry passed is not sent; [MQTT-3.3.2-6] one still alive carries what is left")
    void messageExpiryWhileOffline() throws Exception {
        Properties expiresWithSession = Properties.EMPTY.with(PropertyId.SESSION_EXPIRY_INTERVAL, 300L);
        try (RawClient sub = RawClient.open(node).version(ProtocolVersion.V5)) {
            sub.connect(new Connect(ProtocolVersion.V5, "expiry-sub", true, 60, null, null, null, expiresWithSession));
            sub.subscribe("expiry/t", 1);
            sub.disconnect();
        }
        try (RawClient pub = RawClient.connect(node, ProtocolVersion.V5, "expiry-pub", true)) {
            pub.send(new Publish(false, 1, false, "expiry/t", 1, Bytes.utf8("short"),
                    Properties.EMPTY.with(PropertyId.MESSAGE_EXPIRY_INTERVAL, 1L)));
            pub.expect(PubAck.class);
            pub.send(new Publish(false, 1, false, "expiry/t", 2, Bytes.utf8("long"),
                    Properties.EMPTY.with(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60L)));
            pub.expect(PubAck.class);
        }
        Thread.sleep(2_500); // the 1 s message expires while its subscriber is away
        try (RawClient sub = RawClient.open(node).version(ProtocolVersion.V5)) {
            ConnAck ack = sub.connect(new Connect(ProtocolVersion.V5, "expiry-sub", false, 60, null, null, null,
                    expiresWithSession));
            assertTrue(ack.sessionPresent());
            Publish p = sub.expect(Publish.class);
            assertEquals("long", p.payload().utf8String(), "the expired message is not sent");
            long left = p.properties().longValue(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1);
            assertTrue(left >= 55 && left <= 58, "60 s less the 2.5 s it waited: " + left);
            sub.send(new PubAck(p.packetId()));
            sub.expectNothing(Duration.ofMillis(500));
        }
    }
}
