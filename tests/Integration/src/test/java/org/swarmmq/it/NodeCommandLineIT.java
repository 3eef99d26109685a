package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Publish;

/** The node's command line and environment, as an operator uses them. */
class NodeCommandLineIT {

    @Test
    @DisplayName("-v logs every packet in and out in one line, in mosquitto -v's words")
    void verboseLogsEveryPacket() {
        try (BrokerProcess broker = BrokerProcess.start("verbose", "", List.of("-v"), Map.of());
             RawClient c1 = RawClient.connect(broker, ProtocolVersion.V3_1_1, "c1", true)) {
            // The seed's PUBLISH: QoS 1, packet id 6, topic "test", payload "123"
            c1.publishAcked(new Publish(false, 1, false, "test", 6, Bytes.utf8("123"), Properties.EMPTY));
            broker.awaitLog("Received PUBLISH from c1 (d0, q1, r0, m6, 'test', ... (3 bytes))", Duration.ofSeconds(5));
            broker.awaitLog("Sending PUBACK to c1 (m6, rc0)", Duration.ofSeconds(5));
            broker.awaitLog("Sending CONNACK to c1 (0, 0)", Duration.ofSeconds(5));
        }
    }

    @Test
    @DisplayName("settings come from environment variables (SWARMMQ_CONNECT_TIMEOUT), as Kubernetes sets them")
    void environmentVariablesConfigureTheNode() {
        // The default connect timeout is 20 s; the environment makes it 1 s.
        try (BrokerProcess broker = BrokerProcess.start("env", "", List.of(), Map.of("SWARMMQ_CONNECT_TIMEOUT", "1s"));
             RawClient silent = RawClient.open(broker)) {
            assertTrue(silent.closedWithin(Duration.ofSeconds(5)), "closed by the 1 s connect timeout");
            broker.awaitLog("no CONNECT within 1 s", Duration.ofSeconds(5));
        }
    }
}
