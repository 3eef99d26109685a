package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A node killed with SIGKILL under QoS 1 load: three nodes on PostgreSQL, persistent subscribers
 * (clean session 0) connected to the node that dies, a publisher on another. Every message the
 * broker acknowledged to the publisher must reach every subscriber after it reconnects to a
 * surviving node; duplicates are allowed at QoS 1 [MQTT-4.3.2-1], loss is not.
 */
class ClusterKillIT {
    private static final int SUBSCRIBERS = 6;
    private static final String TOPIC = "load/kill";
    private static final Duration BEFORE_KILL = Duration.ofSeconds(3);
    private static final Duration AFTER_KILL = Duration.ofSeconds(8);
    private static BrokerCluster cluster;

    @BeforeAll
    static void start() {
        cluster = BrokerCluster.start("kill", 3);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    /** A persistent subscriber whose received sequence numbers outlive its connections. */
    private static final class Subscriber {
        final String clientId;
        final Set<Integer> received = ConcurrentHashMap.newKeySet();
        final AtomicInteger deliveries = new AtomicInteger();
        MqttClient client;

        Subscriber(String clientId) {
            this.clientId = clientId;
        }

        /** Connects with clean session 0; retries while the cluster moves the session's shard. */
        void connect(BrokerProcess node, boolean subscribe) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                MqttClient c = new MqttClient(node.tcpUri(), clientId, new MemoryPersistence());
                c.setCallback(new MqttCallback() {
                    @Override
                    public void connectionLost(Throwable cause) {
                    }

                    @Override
                    public void messageArrived(String topic, MqttMessage m) {
                        deliveries.incrementAndGet();
                        received.add(Integer.parseInt(new String(m.getPayload(), StandardCharsets.UTF_8)));
                    }

                    @Override
                    public void deliveryComplete(IMqttDeliveryToken token) {
                    }
                });
                MqttConnectOptions o = new MqttConnectOptions();
                o.setCleanSession(false);
                o.setKeepAliveInterval(5);
                o.setConnectionTimeout(30);
                o.setMaxInflight(1000);
                try {
                    c.connect(o);
                    if (subscribe) c.subscribe(TOPIC, 1);
                    client = c;
                    return;
                } catch (MqttException e) {
                    c.close(true);
                    if (System.nanoTime() > deadline) throw e;
                    Thread.sleep(500);
                }
            }
        }

        void abandon() {
            try {
                client.disconnectForcibly(0, 0, false);
            } catch (MqttException ignored) {
                // its node is dead: nothing to say goodbye to
            }
            try {
                client.close(true);
            } catch (MqttException ignored) {
                // already closed
            }
        }
    }

    @Test
    @DisplayName("kill -9 of the subscribers' node under QoS 1 load: 0 acknowledged messages lost for persistent sessions")
    void killedNodeLosesNoAcknowledgedMessage() throws Exception {
        BrokerProcess publisherNode = cluster.node(0);
        BrokerProcess doomed = cluster.node(1);
        BrokerProcess survivor = cluster.node(2);

        List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            Subscriber s = new Subscriber("kill-sub-" + i);
            s.connect(doomed, true);
            subscribers.add(s);
        }

        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        Semaphore window = new Semaphore(50);
        MqttAsyncClient publisher = new MqttAsyncClient(publisherNode.tcpUri(), "kill-pub", new MemoryPersistence());
        MqttConnectOptions po = new MqttConnectOptions();
        po.setCleanSession(true);
        po.setMaxInflight(50);
        publisher.connect(po).waitForCompletion(10_000);

        long start = System.nanoTime();
        long killAt = start + BEFORE_KILL.toNanos();
        long endAt = killAt + AFTER_KILL.toNanos();
        boolean killed = false;
        int published = 0;
        while (System.nanoTime() < endAt) {
            if (!killed && System.nanoTime() >= killAt) {
                doomed.kill();
                killed = true;
                for (Subscriber s : subscribers) s.abandon();
                // Reconnect in the background: the publisher keeps going meanwhile.
                Thread reconnect = new Thread(() -> {
                    for (Subscriber s : subscribers) {
                        try {
                            s.connect(survivor, false); // the session keeps its subscription [MQTT-3.1.2-4]
                        } catch (Exception e) {
                            throw new AssertionError(s.clientId + " could not reconnect", e);
                        }
                    }
                }, "reconnect");
                reconnect.setDaemon(true);
                reconnect.start();
            }
            if (!window.tryAcquire(200, TimeUnit.MILLISECONDS)) continue;
            int seq = published++;
            publisher.publish(TOPIC, Integer.toString(seq).getBytes(StandardCharsets.UTF_8), 1, false, null,
                    new IMqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            acked.add(seq);
                            window.release();
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable e) {
                            window.release();
                        }
                    });
        }
        // Let what is in flight finish: acknowledged or not, then count.
        assertTrue(window.tryAcquire(50, 60, TimeUnit.SECONDS), "the publisher's last messages were acknowledged");
        publisher.disconnect().waitForCompletion(10_000);
        publisher.close();

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int lost;
        do {
            lost = 0;
            for (Subscriber s : subscribers) {
                for (int seq : acked) if (!s.received.contains(seq)) lost++;
            }
            if (lost > 0) Thread.sleep(250);
        } while (lost > 0 && System.nanoTime() < deadline);

        int duplicates = 0;
        StringBuilder detail = new StringBuilder();
        for (Subscriber s : subscribers) {
            duplicates += s.deliveries.get() - s.received.size();
            Set<Integer> missing = new TreeSet<>(acked);
            missing.removeAll(s.received);
            if (!missing.isEmpty()) detail.append(s.clientId).append(" missed ").append(missing.size())
                    .append(" e.g. ").append(missing.stream().limit(10).toList()).append("; ");
        }
        System.out.printf("ClusterKillIT: published %d, acknowledged %d, subscribers %d, lost %d, duplicates %d%n",
                published, acked.size(), SUBSCRIBERS, lost, duplicates);
        assertTrue(acked.size() > 100, "enough load to mean something: " + acked.size() + " acknowledged");
        assertEquals(0, lost, "acknowledged QoS 1 messages lost for persistent sessions: " + detail);
        for (Subscriber s : subscribers) s.abandon();
    }
}
