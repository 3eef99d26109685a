package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.swarmmq.it.SharedSubscriptionIT.QUIET;
import static org.swarmmq.it.SharedSubscriptionIT.assertEachOnce;
import static org.swarmmq.it.SharedSubscriptionIT.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.it.StockClient.Message;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Publish;

/**
 * Shared Subscriptions across a 3-node cluster on PostgreSQL: the group lives in one topic
 * entity, wherever sharding put it, so one place picks the member of every message, whichever
 * node the publisher and the members are on.
 */
@DisplayName("Cluster of 3: Shared Subscriptions with members on two nodes, the publisher on a third")
class ClusterSharedSubscriptionIT {
    private static BrokerCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = BrokerCluster.start("cshared", 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
    }

    @Test
    @DisplayName("4.8.2 30 QoS 1 messages published on node A: each to exactly one member (HiveMQ 5 on B, Paho 5 on C), all delivered, 15 each")
    void membersOnTwoNodes() {
        String root = Ids.unique("cshare");
        String filter = "$share/workers/" + root + "/#";
        try (StockClient onB = ClientKind.HIVEMQ_5.connect(cluster.node(1));
             StockClient onC = ClientKind.PAHO_5.connect(cluster.node(2));
             StockClient pub = ClientKind.PAHO_3_1_1.connect(cluster.node(0))) {
            onB.subscribe(filter, 1);
            onC.subscribe(filter, 1);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                sent.add("c" + i);
                pub.publish(root + "/jobs", "c" + i, 1);
            }
            List<List<String>> got = collect(30, List.of(onB, onC));
            assertEachOnce(sent, got);
            assertEquals(15, got.get(0).size(), "round robin in the group's one entity: " + got);
            assertEquals(15, got.get(1).size());
        }
    }

    @Test
    @DisplayName("4.8.2 a wildcard-first group ($share/g/+/leaf) lives in the wildcard entity: the root merges its choice, each message once, 5 each")
    void wildcardFirstGroup() {
        String leaf = Ids.unique("cshleaf");
        try (StockClient onB = ClientKind.PAHO_5.connect(cluster.node(1));
             StockClient onC = ClientKind.HIVEMQ_5.connect(cluster.node(2));
             StockClient pub = ClientKind.HIVEMQ_5.connect(cluster.node(0))) {
            onB.subscribe("$share/g/+/" + leaf, 1);
            onC.subscribe("$share/g/+/" + leaf, 1);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sent.add("w" + i);
                pub.publish(Ids.unique("cshroot") + "/" + leaf, "w" + i, 1); // roots on any node
            }
            List<List<String>> got = collect(10, List.of(onB, onC));
            assertEachOnce(sent, got);
            assertEquals(5, got.get(0).size(), "round robin in the wildcard entity: " + got);
        }
    }

    @Test
    @DisplayName("4.8.2 a member on node B that never acknowledged ends its clean session: the member on node C gets its messages")
    void givenBackAcrossNodes() {
        String root = Ids.unique("cshback");
        String filter = "$share/g/" + root + "/t";
        try (StockClient onC = ClientKind.HIVEMQ_5.connect(cluster.node(2));
             StockClient pub = ClientKind.PAHO_5.connect(cluster.node(0))) {
            RawClient silentOnB = RawClient.connect(cluster.node(1), ProtocolVersion.V5, Ids.unique("cshback-s"), true);
            silentOnB.subscribe(filter, 1);
            onC.subscribe(filter, 1);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sent.add("b" + i);
                pub.publish(root + "/t", "b" + i, 1);
            }
            for (int i = 0; i < 4; i++) silentOnB.expect(Publish.class); // never acknowledged
            silentOnB.disconnect();
            List<String> toC = new ArrayList<>();
            for (int i = 0; i < 8; i++) toC.add(onC.next().text());
            toC.addAll(onC.drain(QUIET).stream().map(Message::text).toList());
            assertEquals(new TreeSet<>(sent), new TreeSet<>(toC));
            assertEquals(8, toC.size(), "each once: " + toC);
        }
    }
}
