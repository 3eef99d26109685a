package org.swarmmq.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * N real nodes ({@link BrokerProcess}) forming one Pekko cluster on 127.0.0.1, each on its own
 * MQTT and cluster port, all on one fresh PostgreSQL database of the run's {@link PostgresServer},
 * configured only through the {@code SWARMMQ_*} environment variables a deployment sets. Every
 * node gets all nodes as seed nodes; node 0 is the first seed, which forms the cluster.
 *
 * <p>Started means: every node listens for MQTT and has logged that all N members are Up (the
 * node's own "SwarmMQ cluster: N members up" line, from its membership events). {@link #kill}
 * is SIGKILL, {@link #stop} SIGTERM (graceful leave), {@link #restart} starts a stopped or
 * killed node again on the same ports and waits until the cluster has N members Up again.
 */
final class BrokerCluster implements AutoCloseable {
    static final Duration UP_TIMEOUT = Duration.ofSeconds(90);
    /** Shorter than the production 20 s, so a killed node is downed within a test's time. */
    static final String SBR_STABLE_AFTER = "7s";

    private final List<BrokerProcess> nodes;
    private final String jdbcUrl;

    private BrokerCluster(List<BrokerProcess> nodes, String jdbcUrl) {
        this.nodes = nodes;
        this.jdbcUrl = jdbcUrl;
    }

    static BrokerCluster start(String name, int size) {
        return start(name, size, Map.of());
    }

    /** Starts {@code size} nodes at the same time (they race to create the schema, as in production). */
    static BrokerCluster start(String name, int size, Map<String, String> extraEnvironment) {
        String jdbcUrl = PostgresServer.shared().createDatabase(name);
        Set<Integer> clusterPorts = new LinkedHashSet<>();
        while (clusterPorts.size() < size) clusterPorts.add(BrokerProcess.freePort());
        List<Integer> ports = List.copyOf(clusterPorts);
        String seeds = ports.stream().map(p -> "pekko://swarmmq@" + BrokerProcess.HOST + ":" + p)
                .collect(Collectors.joining(","));
        List<CompletableFuture<BrokerProcess>> starting = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Map<String, String> env = new HashMap<>();
            env.put("SWARMMQ_DB_URL", jdbcUrl);
            env.put("SWARMMQ_DB_USER", PostgresServer.USER);
            env.put("SWARMMQ_DB_PASSWORD", PostgresServer.PASSWORD);
            env.put("SWARMMQ_CLUSTER_HOST", BrokerProcess.HOST);
            env.put("SWARMMQ_CLUSTER_PORT", Integer.toString(ports.get(i)));
            env.put("SWARMMQ_SEED_NODES", seeds);
            env.put("SWARMMQ_SBR_STABLE_AFTER", SBR_STABLE_AFTER);
            env.putAll(extraEnvironment);
            String nodeName = name + "-" + i;
            starting.add(CompletableFuture.supplyAsync(() -> BrokerProcess.start(nodeName, "", List.of(), env)));
        }
        List<BrokerProcess> nodes = new ArrayList<>();
        AssertionError failed = null;
        for (CompletableFuture<BrokerProcess> f : starting) {
            try {
                nodes.add(f.join());
            } catch (CompletionException e) {
                if (failed == null) failed = new AssertionError("a node of cluster " + name + " did not start", e.getCause());
            }
        }
        BrokerCluster cluster = new BrokerCluster(nodes, jdbcUrl);
        try {
            if (failed != null) throw failed;
            for (BrokerProcess node : nodes) awaitMembersUp(node, 0, size);
            return cluster;
        } catch (RuntimeException | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    BrokerProcess node(int i) {
        return nodes.get(i);
    }

    int size() {
        return nodes.size();
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    /** SIGKILL: no leave, no hand-over; the others' split brain resolver downs it. */
    void kill(int i) {
        nodes.get(i).kill();
    }

    /** SIGTERM: the node leaves the cluster (coordinated shutdown) and ends; its exit status. */
    int stop(int i) {
        BrokerProcess node = nodes.get(i);
        node.stop();
        return node.exitValue();
    }

    /** Starts node i again (after stop or kill) and waits until every node sees all members Up. */
    void restart(int i) {
        BrokerProcess node = nodes.get(i);
        if (node.isAlive()) node.stop();
        int[] marks = nodes.stream().mapToInt(BrokerProcess::mark).toArray();
        node.startAgain();
        for (int n = 0; n < nodes.size(); n++) awaitMembersUp(nodes.get(n), marks[n], nodes.size());
    }

    /** Waits until {@code node} logs, after line {@code from}, that {@code members} members are Up. */
    static void awaitMembersUp(BrokerProcess node, int from, int members) {
        String line = "SwarmMQ cluster: " + members + " members up";
        node.awaitLog(from, l -> l.contains(line), UP_TIMEOUT, "'" + line + "'");
    }

    @Override
    public void close() {
        // In parallel: each SIGTERM waits for the node's leave.
        CompletableFuture.allOf(nodes.stream().map(n -> CompletableFuture.runAsync(n::close))
                .toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    }
}
