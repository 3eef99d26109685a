package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmmq.it.StockClient.Message;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.Publish;

/**
 * Publish/subscribe across the nodes of a 3-node cluster on PostgreSQL: publishers and
 * subscribers on different nodes, stock clients (Paho and HiveMQ) and our raw client.
 */
@DisplayName("Cluster of 3: publish/subscribe and retained messages across nodes")
class ClusterPubSubIT {
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final int MESSAGES = 10;

    private static BrokerCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = BrokerCluster.start("cpubsub", 3, java.util.Map.of("SWARMMQ_SYS_INTERVAL", "1s"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
    }

    static Stream<Arguments> qosPairs() {
        return IntStream.rangeClosed(0, 2).boxed()
                .flatMap(pub -> IntStream.rangeClosed(0, 2).mapToObj(sub -> Arguments.of(pub, sub)));
    }

    @ParameterizedTest(name = "publish at QoS {0}, subscribe at QoS {1}")
    @MethodSource("qosPairs")
    @DisplayName("[MQTT-3.8.4-6] [MQTT-4.6.0-6] publisher on node A; exact subscribers on B and C and a '+/x/#' subscriber on C each get every message once, in order, at min(pub, sub) QoS")
    void acrossNodes(int pubQos, int subQos) {
        String root = Ids.unique("cross");
        String topic = root + "/x/leaf";
        try (StockClient onB = ClientKind.PAHO_3_1_1.connect(cluster.node(1));
             StockClient onC = ClientKind.HIVEMQ_5.connect(cluster.node(2));
             StockClient wildOnC = ClientKind.PAHO_5.connect(cluster.node(2));
             StockClient pub = ClientKind.HIVEMQ_3_1_1.connect(cluster.node(0))) {
            onB.subscribe(topic, subQos);
            onC.subscribe(topic, subQos);
            wildOnC.subscribe("+/x/#", subQos);
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++) {
                sent.add("m" + i);
                pub.publish(topic, "m" + i, pubQos);
            }
            int expectedQos = Math.min(pubQos, subQos);
            for (StockClient sub : List.of(onB, onC, wildOnC)) {
                List<Message> got = new ArrayList<>();
                for (int i = 0; i < MESSAGES; i++) got.add(sub.next());
                got.addAll(sub.drain(QUIET));
                assertEquals(sent, got.stream().map(Message::text).toList(), sub + ": each message once, in order");
                for (Message m : got) {
                    assertEquals(topic, m.topic());
                    assertEquals(expectedQos, m.qos(), "[MQTT-3.8.4-6] min(pub, sub) QoS: " + m);
                }
            }
        }
    }

    @Test
    @DisplayName("$SYS/broker/: 3 nodes, and the clients connected to all of them summed; each node's own under nodes/")
    void sysTopicsSumTheCluster() {
        try (RawClient a = RawClient.connect(cluster.node(0), ProtocolVersion.V3_1_1, Ids.unique("sysa"), true);
             RawClient b = RawClient.connect(cluster.node(1), ProtocolVersion.V3_1_1, Ids.unique("sysb"), true);
             RawClient sub = RawClient.connect(cluster.node(2), ProtocolVersion.V3_1_1, Ids.unique("syssub"), true)) {
            sub.subscribe("$SYS/broker/#", 0);
            // One interval's messages arrive one by one, and earlier tests' clients may still be closing:
            // wait until the cluster's figure and the three nodes' own are all 3 / 1 at once.
            java.util.Map<String, String> seen = SysTopicsIT.awaitSys(sub,
                    s -> "3".equals(s.get("$SYS/broker/nodes/count")) && "3".equals(s.get("$SYS/broker/clients/connected"))
                            && s.entrySet().stream().filter(e -> e.getKey().startsWith("$SYS/broker/nodes/")
                                    && e.getKey().endsWith("/clients/connected") && e.getValue().equals("1")).count() == 3);
            assertEquals(2 + 8 + 3 * 8, seen.size(),
                    "version, count, and 8 figures for the cluster and for each of 3 nodes: " + seen.keySet());
        }
    }

    @Test
    @DisplayName("[MQTT-4.7.1-2] a '#' subscriber on node C gets every message published on node A, once")
    void hashSubscriberAcrossNodes() {
        String root = Ids.unique("hash");
        try (StockClient all = ClientKind.HIVEMQ_5.connect(cluster.node(2));
             StockClient pub = ClientKind.PAHO_3_1_1.connect(cluster.node(0))) {
            all.subscribe("#", 1);
            List<String> topics = List.of(root, root + "/a", root + "/a/b", root + "/x/y/z");
            for (String t : topics) pub.publish(t, t, 1);
            List<Message> got = new ArrayList<>();
            long deadline = System.nanoTime() + StockClient.TIMEOUT.toNanos();
            // '#' also gets retained messages other tests left: keep this test's root only.
            while (got.size() < topics.size() && System.nanoTime() < deadline) {
                Message m = all.next();
                if (m.topic().startsWith(root)) got.add(m);
            }
            all.drain(QUIET).stream().filter(m -> m.topic().startsWith(root)).forEach(got::add);
            assertEquals(topics, got.stream().map(Message::topic).toList(), "each once, in order");
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.5-1] overlapping subscriptions of one client on node B: one copy per message, at the highest granted QoS")
    void overlappingSubscriptionsOneCopy() {
        String root = Ids.unique("overlap");
        try (StockClient sub = ClientKind.PAHO_3_1_1.connect(cluster.node(1));
             StockClient pub = ClientKind.HIVEMQ_5.connect(cluster.node(0))) {
            sub.subscribe(root + "/x/leaf", 1);
            sub.subscribe(root + "/+/leaf", 2);
            sub.subscribe(root + "/#", 0);
            sub.subscribe("+/x/#", 1);
            for (int i = 1; i <= 5; i++) pub.publish(root + "/x/leaf", "o" + i, 2);
            List<Message> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) got.add(sub.next());
            got.addAll(sub.drain(QUIET));
            assertEquals(List.of("o1", "o2", "o3", "o4", "o5"), got.stream().map(Message::text).toList(),
                    "[MQTT-3.3.5-1] one copy each");
            for (Message m : got) assertEquals(2, m.qos(), "the highest QoS of the matching subscriptions");
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-6] read-your-write across nodes: a retained QoS 1 message acknowledged on one node is delivered to a subscription made on another right after the PUBACK (50 topics)")
    void retainedReadYourWriteAcrossNodes() {
        int n = cluster.size();
        List<RawClient> pubs = new ArrayList<>();
        List<RawClient> subs = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                pubs.add(RawClient.connect(cluster.node(i), V3_1_1, Ids.unique("rywpub"), true));
                subs.add(RawClient.connect(cluster.node(i), V3_1_1, Ids.unique("rywsub"), true));
            }
            for (int i = 0; i < 50; i++) {
                // One root per topic: its topic entity (and retained store) lands on any node.
                String topic = Ids.unique("ryw") + "/t";
                String value = "retained " + i;
                RawClient pub = pubs.get(i % n);
                RawClient sub = subs.get((i + 1) % n);
                pub.publishAcked(new Publish(false, 1, true, topic, 1 + i, Bytes.utf8(value),
                        org.swarmmq.protocol.packets.Properties.EMPTY));
                sub.subscribe(topic, 1);
                Publish p = sub.expect(Publish.class);
                assertEquals(topic, p.topic(), "topic " + i);
                assertEquals(value, p.payload().utf8String(), "the acknowledged retained message, topic " + i);
                assertTrue(p.retain(), "[MQTT-3.3.1-8] RETAIN 1 on a message sent for a new subscription");
                sub.send(new PubAck(p.packetId()));
            }
            for (RawClient s : subs) s.expectNothing(QUIET);
        } finally {
            pubs.forEach(RawClient::close);
            subs.forEach(RawClient::close);
        }
    }

    @Test
    @DisplayName("(3.4.2.1) MQTT 5 PUBACK 0x10 across nodes: the topic entities (on any node) tell the publisher's node how many clients matched")
    void noMatchingSubscribersAcrossNodes() {
        try (RawClient pub = RawClient.connect(cluster.node(0), org.swarmmq.protocol.packets.ProtocolVersion.V5,
                Ids.unique("c5pub"), true);
             RawClient sub = RawClient.connect(cluster.node(2), V3_1_1, Ids.unique("c5sub"), true)) {
            List<String> roots = new ArrayList<>();
            for (int i = 0; i < 8; i++) roots.add(Ids.unique("c5root" + i)); // roots spread over the shards of 3 nodes
            sub.subscribe(roots.get(0) + "/t", 1);
            for (int i = 0; i < roots.size(); i++) {
                pub.send(new Publish(false, 1, false, roots.get(i) + "/t", i + 1, Bytes.utf8("m"),
                        org.swarmmq.protocol.packets.Properties.EMPTY));
                PubAck ack = pub.expect(PubAck.class);
                assertEquals(i + 1, ack.packetId());
                assertEquals(i == 0 ? org.swarmmq.protocol.packets.ReasonCode.SUCCESS
                        : org.swarmmq.protocol.packets.ReasonCode.NO_MATCHING_SUBSCRIBERS, ack.reasonCode(), roots.get(i));
            }
            sub.expect(Publish.class);
        }
    }
}
