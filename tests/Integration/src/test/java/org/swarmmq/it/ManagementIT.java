package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Pekko Management on a real node, as Kubernetes probes it (k8s/statefulset.yaml): the
 * readiness and liveness paths on SWARMMQ_MANAGEMENT_PORT, and the cluster's members.
 */
class ManagementIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls until {@code path} answers 200 (readiness follows membership, a moment after start). */
    private static HttpResponse<String> await200(int port, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = get(port, path);
            if (last.statusCode() == 200) return last;
            Thread.sleep(200);
        }
        throw new AssertionError(path + " never answered 200; last: " + (last == null ? "none" : last.statusCode()
                + " " + last.body()));
    }

    @Test
    @DisplayName("SWARMMQ_MANAGEMENT_PORT: /ready and /alive answer 200 once the node listens; /cluster/members shows it Up")
    void probesAnswer() throws Exception {
        int port = BrokerProcess.freePort();
        try (BrokerProcess node = BrokerProcess.start("management", "", List.of(),
                Map.of("SWARMMQ_MANAGEMENT_PORT", Integer.toString(port), "SWARMMQ_MANAGEMENT_HOST", "127.0.0.1"))) {
            assertEquals("OK", await200(port, "/ready").body().trim());
            assertEquals(200, await200(port, "/alive").statusCode());
            String members = await200(port, "/cluster/members").body();
            assertTrue(members.contains("\"status\":\"Up\""), members);
            // ready means MQTT clients are served (connect throws unless CONNACK accepts)
            RawClient.connect(node, org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1, "after-ready", true).close();
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    @DisplayName("without SWARMMQ_MANAGEMENT_PORT no management endpoint: nothing answers on Pekko's default 7626 nor on 8558")
    void offByDefault() throws Exception {
        // Pekko Management would bind its default port 7626 if started without a port; k8s/ uses 8558.
        // Only meaningful when nothing else on this machine holds them before the node starts.
        List<Integer> ports = List.of(7626, 8558);
        assumeTrue(ports.stream().allMatch(ManagementIT::free), "7626 or 8558 already in use on this machine");
        try (BrokerProcess node = BrokerProcess.start("no-management", "", List.of(),
                Map.of("SWARMMQ_MANAGEMENT_HOST", "127.0.0.1"))) {
            // the listening line is printed after Node.start, so Management.start has run by now
            RawClient.connect(node, org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1, "no-mgmt", true).close();
            for (int port : ports) {
                assertThrows(ConnectException.class, () -> get(port, "/alive"), "something answers on " + port);
            }
        }
    }

    @Test
    @DisplayName("SWARMMQ_DISCOVERY=kubernetes-api without a management port: the node refuses to start and says why")
    void bootstrapNeedsManagement() {
        AssertionError e = assertThrows(AssertionError.class, () -> BrokerProcess.start("bootstrap-no-mgmt", "",
                List.of(), Map.of("SWARMMQ_DISCOVERY", "kubernetes-api")).close());
        assertTrue(e.getMessage().contains("SWARMMQ_MANAGEMENT_PORT"), e.getMessage());
    }

    @Test
    @DisplayName("SWARMMQ_DISCOVERY=kubernetes-api with SWARMMQ_SEED_NODES: the node refuses to start (two ways to join)")
    void bootstrapExcludesSeedNodes() {
        AssertionError e = assertThrows(AssertionError.class, () -> BrokerProcess.start("bootstrap-and-seeds", "",
                List.of(), Map.of("SWARMMQ_DISCOVERY", "kubernetes-api",
                        "SWARMMQ_MANAGEMENT_PORT", Integer.toString(BrokerProcess.freePort()),
                        "SWARMMQ_SEED_NODES", "pekko://swarmmq@127.0.0.1:" + BrokerProcess.freePort())).close());
        assertTrue(e.getMessage().contains("unset SWARMMQ_SEED_NODES"), e.getMessage());
    }
}
