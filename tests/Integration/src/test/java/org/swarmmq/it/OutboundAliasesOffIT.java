package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Publish;

/**
 * By default (SWARMMQ_OUTBOUND_TOPIC_ALIASES unset, i.e. off): no alias on what we send, whatever
 * the client allows, as mosquitto. For Eclipse Paho Java 1.2.5, which asks for aliases (setTopicAliasMaximum) but takes
 * the empty topic of an aliased PUBLISH as a new mapping and then fails on it ("Invalid topic
 * length"), losing the connection: seen against this broker with aliases on.
 */
class OutboundAliasesOffIT {
    private static BrokerProcess node;

    @BeforeAll
    static void start() {
        node = BrokerProcess.start("aliases-off");
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    @Test
    @DisplayName("aliases off: a client with Topic Alias Maximum 5 gets every PUBLISH with its topic and no alias")
    void noAliasOnTheWire() {
        try (RawClient sub = RawClient.open(node);
             RawClient pub = RawClient.connect(node, ProtocolVersion.V5, Ids.unique("off-pub"), true)) {
            sub.connect(new Connect(ProtocolVersion.V5, Ids.unique("off-sub"), true, 60, null, null, null,
                    Properties.EMPTY.with(PropertyId.TOPIC_ALIAS_MAXIMUM, 5)));
            sub.subscribe("off/t", 0);
            for (int i = 0; i < 3; i++) pub.send(new Publish(false, 0, false, "off/t", 0, Bytes.utf8("m"), Properties.EMPTY));
            for (int i = 0; i < 3; i++) {
                Publish p = sub.expect(Publish.class);
                assertEquals("off/t", p.topic());
                assertFalse(p.properties().has(PropertyId.TOPIC_ALIAS));
            }
        }
    }

    @Test
    @DisplayName("aliases off: Paho mqttv5 asking for topic aliases receives every message with its topic and stays connected")
    void pahoAskingForAliases() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient paho = new MqttClient(node.tcpUri(), Ids.unique("paho-off"), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setTopicAliasMaximum(2);
        paho.connect(options);
        List<String> topics = List.of("po/a", "po/b", "po/a", "po/c", "po/a", "po/b");
        try (StockClient pub = HiveMqClient.v5(node, Ids.unique("hive-off-pub"))) {
            paho.subscribe(new MqttSubscription[] {new MqttSubscription("po/+", 1)}, new IMqttMessageListener[] {
                    (topic, m) -> received.add(topic + "=" + new String(m.getPayload(), StandardCharsets.UTF_8))});
            for (String t : topics) pub.publish(t, t, 1);
            for (String t : topics) assertEquals(t + "=" + t, received.poll(10, TimeUnit.SECONDS));
            assertTrue(paho.isConnected());
        } finally {
            if (paho.isConnected()) paho.disconnect();
            paho.close();
        }
    }
}
