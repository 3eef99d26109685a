package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stock command-line clients of Debian against a real node: mosquitto_pub/mosquitto_sub
 * (package mosquitto-clients, MQTT 3.1.1 and 5) and python3-paho-mqtt. ./test installs them; a
 * developer without them gets these tests skipped, CI (CI=true) gets a failure.
 */
@DisplayName("Debian's mosquitto_pub/mosquitto_sub and python3-paho-mqtt")
class DebianClientsIT {
    private static final Path MOSQUITTO_PUB = Path.of("/usr/bin/mosquitto_pub");
    private static final Path MOSQUITTO_SUB = Path.of("/usr/bin/mosquitto_sub");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path STDBUF = Path.of("/usr/bin/stdbuf");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() {
        requireClients();
        broker = BrokerProcess.start("debian");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

    @ParameterizedTest(name = "{0}, QoS {1}")
    @CsvSource({"mqttv311,0", "mqttv311,1", "mqttv311,2", "mqttv5,0", "mqttv5,1", "mqttv5,2"})
    @DisplayName("mosquitto_pub -> mosquitto_sub at QoS 0/1/2, MQTT 3.1.1 and 5, with the full ack flow")
    void mosquittoPubSub(String version, int qos) {
        String topic = Ids.unique("mosq") + "/t";
        String payload = "mosquitto " + version + " qos " + qos;
        try (ExternalProcess sub = subscribe(version, topic, qos)) {
            List<String> pubOut = ExternalProcess.run(List.of(MOSQUITTO_PUB.toString(), "-h", BrokerProcess.HOST,
                    "-p", Integer.toString(broker.port()), "-V", version, "-t", topic, "-m", payload,
                    "-q", Integer.toString(qos), "-d"), TIMEOUT);
            String flow = String.join("\n", pubOut);
            if (qos == 1) assertTrue(flow.contains("received PUBACK"), flow);
            if (qos == 2) assertTrue(flow.contains("received PUBREC") && flow.contains("received PUBCOMP"), flow);

            assertEquals("MSG|" + topic + "|" + qos + "|0|" + payload, nextMessage(sub));
            assertEquals(0, sub.waitFor(TIMEOUT), sub.describe("mosquitto_sub failed"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    @DisplayName("[MQTT-3.3.1-6] [MQTT-3.3.1-8] mosquitto_pub -r, then a new mosquitto_sub gets it with RETAIN 1")
    void mosquittoRetained(String version) {
        String topic = Ids.unique("mosqret") + "/t";
        ExternalProcess.run(List.of(MOSQUITTO_PUB.toString(), "-h", BrokerProcess.HOST,
                "-p", Integer.toString(broker.port()), "-V", version, "-t", topic, "-m", "retained " + version,
                "-q", "1", "-r"), TIMEOUT);
        try (ExternalProcess sub = subscribe(version, topic, 1)) {
            assertEquals("MSG|" + topic + "|1|1|retained " + version, nextMessage(sub));
            assertEquals(0, sub.waitFor(TIMEOUT), sub.describe("mosquitto_sub failed"));
        }
    }

    @ParameterizedTest(name = "MQTT {1}, QoS {0}, {2}")
    @CsvSource({"0,311,pubsub", "1,311,pubsub", "2,311,pubsub", "0,5,pubsub", "1,5,pubsub", "2,5,pubsub",
            "1,311,retained", "1,5,retained"})
    @DisplayName("python3-paho-mqtt: publish and subscribe at QoS 0/1/2, and a retained message, MQTT 3.1.1 and 5")
    void pythonPaho(int qos, String protocol, String mode) throws URISyntaxException {
        String topic = Ids.unique("py") + "/t";
        Path script = Path.of(DebianClientsIT.class.getResource("/paho_client.py").toURI());
        List<String> out = ExternalProcess.run(List.of(PYTHON.toString(), script.toString(), BrokerProcess.HOST,
                Integer.toString(broker.port()), topic, Integer.toString(qos), protocol, mode), TIMEOUT);
        String result = out.stream().filter(l -> l.startsWith("RESULT|")).findFirst()
                .orElseThrow(() -> new AssertionError("no RESULT line:\n" + String.join("\n", out)));
        String retain = mode.equals("retained") ? "1" : "0";
        assertEquals("RESULT|" + topic + "|" + qos + "|" + retain + "|python paho " + protocol + " qos " + qos + " " + mode,
                result);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    @DisplayName("4.8.2 two mosquitto_sub on $share/g/...: two messages, one each (3.1.1 too, as mosquitto allows)")
    void mosquittoShared(String version) {
        String topic = Ids.unique("mosqshare") + "/t";
        try (ExternalProcess one = subscribe(version, "$share/g/" + topic, 1);
             ExternalProcess two = subscribe(version, "$share/g/" + topic, 1)) {
            for (String m : List.of("first", "second")) {
                ExternalProcess.run(List.of(MOSQUITTO_PUB.toString(), "-h", BrokerProcess.HOST, "-p",
                        Integer.toString(broker.port()), "-V", version, "-t", topic, "-m", m, "-q", "1"), TIMEOUT);
            }
            java.util.Set<String> got = new java.util.TreeSet<>(List.of(nextMessage(one), nextMessage(two)));
            assertEquals(java.util.Set.of("MSG|" + topic + "|1|0|first", "MSG|" + topic + "|1|0|second"), got,
                    "each mosquitto_sub (-C 1) got one, a different one");
            assertEquals(0, one.waitFor(TIMEOUT), one.describe("mosquitto_sub failed"));
            assertEquals(0, two.waitFor(TIMEOUT), two.describe("mosquitto_sub failed"));
        }
    }

    /** Starts mosquitto_sub for one message and returns once its SUBACK arrived. */
    private static ExternalProcess subscribe(String version, String topic, int qos) {
        // stdbuf: mosquitto_sub's debug lines (the SUBACK we wait for) are block-buffered on a pipe.
        List<String> cmd = new ArrayList<>(List.of(STDBUF.toString(), "-oL", MOSQUITTO_SUB.toString(), "-h", BrokerProcess.HOST,
                "-p", Integer.toString(broker.port()), "-V", version, "-t", topic, "-q", Integer.toString(qos),
                "-C", "1", "-W", "15", "-d", "-F", "MSG|%t|%q|%r|%p"));
        ExternalProcess sub = ExternalProcess.start(cmd);
        sub.awaitLine(l -> l.contains("received SUBACK"), TIMEOUT, "SUBACK");
        return sub;
    }

    private static String nextMessage(ExternalProcess sub) {
        return sub.awaitLine(l -> l.startsWith("MSG|"), TIMEOUT, "message");
    }

    /** Skips without the clients, but not on CI, where ./test installs them and their absence is a failure. */
    private static void requireClients() {
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(MOSQUITTO_PUB, MOSQUITTO_SUB, PYTHON, STDBUF)) if (!Files.isExecutable(p)) missing.add(p.toString());
        if (missing.isEmpty()) {
            try (ExternalProcess check = ExternalProcess.start(List.of(PYTHON.toString(), "-c", "import paho.mqtt.client"))) {
                if (check.waitFor(TIMEOUT) != 0) missing.add("python3-paho-mqtt");
            }
        }
        if (missing.isEmpty()) return;
        String why = "missing " + missing + " (Debian: apt-get install mosquitto-clients python3-paho-mqtt; ./test does it)";
        if ("true".equals(System.getenv("CI"))) fail(why);
        Assumptions.assumeTrue(false, why);
    }
}
