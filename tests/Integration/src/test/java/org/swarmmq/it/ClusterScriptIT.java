package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/cluster} as a user runs it: {@code start 2} brings up two nodes and its own
 * PostgreSQL, a message published on one node reaches a subscriber on the other (mosquitto
 * clients), {@code stop} ends every process it started and {@code status} then says so.
 */
@DisplayName("scripts/cluster: start 2 nodes, a message crosses them, stop ends everything")
class ClusterScriptIT {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(100);

    @Test
    @DisplayName("start 2, publish on node 0, receive on node 1, stop: no node or PostgreSQL process left")
    void startCrossStop() throws IOException {
        Path dir = Path.of(System.getProperty("swarmmq.it.dir", "target/it"))
                .resolve("script-cluster-" + ProcessHandle.current().pid()).toAbsolutePath();
        int mqtt = twoFreePorts();
        int cluster = twoFreePorts();
        try {
            List<String> started = script("start", "2", "--base-port", Integer.toString(mqtt),
                    "--cluster-base-port", Integer.toString(cluster), "--dir", dir.toString());
            assertTrue(started.stream().anyMatch(l -> l.contains("2 nodes up")), String.join("\n", started));

            String topic = Ids.unique("script") + "/t";
            // stdbuf: mosquitto_sub's debug lines (the SUBACK waited for) are block-buffered on a pipe.
            try (ExternalProcess sub = ExternalProcess.start(List.of("stdbuf", "-oL", "mosquitto_sub", "-d", "-h", "127.0.0.1",
                    "-p", Integer.toString(mqtt + 1), "-t", topic, "-q", "1", "-C", "1"))) {
                sub.awaitLine(l -> l.contains("SUBACK"), Duration.ofSeconds(20), "SUBACK");
                ExternalProcess.run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(mqtt),
                        "-t", topic, "-q", "1", "-m", "across the nodes"), Duration.ofSeconds(20));
                sub.awaitLine(l -> l.equals("across the nodes"), Duration.ofSeconds(20), "the message from node 0");
            }

            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 2; i++) pids.add(Long.parseLong(Files.readString(dir.resolve("node-" + i + ".pid")).trim()));
            pids.add(Long.parseLong(Files.readAllLines(dir.resolve("postgres/data/postmaster.pid")).get(0).trim()));
            for (long pid : pids) assertTrue(running(pid), "process " + pid + " runs before stop");

            List<String> stopped = script("stop", "--dir", dir.toString());
            for (long pid : pids) assertFalse(running(pid), "process " + pid + " still runs after stop:\n" + stopped);
            try (ExternalProcess status = ExternalProcess.start(List.of("bash", script().toString(), "status",
                    "--dir", dir.toString()))) {
                assertEquals(3, status.waitFor(SCRIPT_TIMEOUT), status.describe("status after stop: exit 3 expected"));
            }
        } finally {
            try (ExternalProcess cleanup = ExternalProcess.start(List.of("bash", script().toString(), "stop",
                    "--dir", dir.toString()))) {
                cleanup.waitFor(SCRIPT_TIMEOUT);
            }
        }
    }

    private static List<String> script(String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "SWARMMQ_JAR=" + System.getProperty("swarmmq.jar"),
                "SWARMMQ_JAVA_OPTS=-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC", "bash", script().toString()));
        cmd.addAll(List.of(args));
        return ExternalProcess.run(cmd, SCRIPT_TIMEOUT);
    }

    private static Path script() {
        return Path.of(System.getProperty("swarmmq.repo", "../.."), "scripts", "cluster").normalize();
    }

    private static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** A port p with p and p + 1 free on 127.0.0.1 just now. */
    private static int twoFreePorts() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p = BrokerProcess.freePort();
            if (p < 65535 && free(p + 1)) return p;
        }
        throw new AssertionError("no two consecutive free ports");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(BrokerProcess.HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
