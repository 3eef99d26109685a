package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * MQTT.js (npm package mqtt, version in tests/Integration/mqttjs/package-lock.json), the client of
 * browser and Node.js applications, against a real node: one client over WebSocket with MQTT
 * 3.1.1 (as a web page connects), one over TCP with MQTT 5, each receiving the other's QoS 1 and
 * QoS 2 publish at its subscription's QoS 1. Installed from the npm registry by this test (npm ci).
 */
@DisplayName("MQTT.js over WebSocket and TCP")
class MqttJsIT {
    private static final Path MQTTJS = Path.of(System.getProperty("swarmmq.root", "../.."))
            .resolve("tests/Integration/mqttjs").toAbsolutePath().normalize();
    private static BrokerProcess broker;
    private static int wsPort;

    @BeforeAll
    static void start() {
        if (!Files.isDirectory(MQTTJS.resolve("node_modules"))) {
            ExternalProcess.run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", MQTTJS.toString()),
                    Duration.ofMinutes(5));
        }
        wsPort = BrokerProcess.freePort();
        broker = BrokerProcess.start("mqttjs", "swarmmq.websocket-port = " + wsPort);
    }

    @AfterAll
    static void stop() {
        if (broker != null) broker.close();
    }

    @Test
    @DisplayName("a ws:// client (3.1.1) and a mqtt:// client (5.0) exchange messages at QoS 1")
    void roundTrip() {
        String topic = Ids.unique("mqttjs") + "/t";
        List<String> out = ExternalProcess.run(List.of("node", MQTTJS.resolve("roundtrip.mjs").toString(),
                broker.tcpUri().replace("tcp://", "mqtt://"),
                "ws://" + BrokerProcess.HOST + ":" + wsPort + "/mqtt", topic), Duration.ofSeconds(30));
        assertTrue(out.contains("{\"to\":\"ws\",\"topic\":\"" + topic + "/to-ws\",\"payload\":\"from tcp\",\"qos\":1}"),
                "the WebSocket client got the TCP client's QoS 1 message: " + out);
        assertTrue(out.contains("{\"to\":\"tcp\",\"topic\":\"" + topic + "/to-tcp\",\"payload\":\"from ws\",\"qos\":1}"),
                "the TCP client got the WebSocket client's QoS 2 message at its subscription's QoS 1: " + out);
        assertEquals("done", out.get(out.size() - 1), String.join("\n", out));
    }
}
