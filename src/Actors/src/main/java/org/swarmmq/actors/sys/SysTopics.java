package org.swarmmq.actors.sys;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.connection.Connections;
import org.swarmmq.actors.connection.Traffic;
import org.swarmmq.actors.topic.Router;

/**
 * The $SYS topics every {@code interval} (mosquitto's sys_interval). Each node reports its figures
 * to one publisher for the cluster (a cluster singleton), which publishes the sums and each node's
 * own as retained messages through the ordinary routing; a value that did not change is not
 * published again, and the topics of a node that stopped reporting (left, or died) are deleted.
 */
public final class SysTopics {
    /** The timers' message; a {@link NodeReport} is the other thing the publisher receives. */
    private record Tick() {
    }

    private SysTopics() {
    }

    /** The cluster's publisher: keeps the latest report per node, publishes every {@code interval}. */
    public static Behavior<Object> publisher(Router router, Duration interval, String version) {
        return Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new Tick(), interval);
            Map<String, NodeReport> latest = new HashMap<>();
            Map<String, String> published = new HashMap<>();
            return Behaviors.receiveMessage(m -> {
                if (m instanceof NodeReport r) {
                    latest.put(r.node(), r);
                } else if (m instanceof Tick) {
                    long now = System.currentTimeMillis();
                    latest.values().removeIf(r -> now - r.reportedAtMillis() > 3 * interval.toMillis());
                    publish(router, SysMessages.of(latest.values(), version, now), published, now);
                }
                return Behaviors.same();
            });
        });
    }

    /** Routes what changed since last time, and deletes (empty retained payload) what is no longer there. */
    private static void publish(Router router, List<Message> now, Map<String, String> published, long nowMillis) {
        Map<String, String> current = new HashMap<>();
        for (Message m : now) {
            String payload = m.payload().utf8String();
            current.put(m.topic(), payload);
            if (!payload.equals(published.get(m.topic()))) router.route(m, null, 0);
        }
        for (String gone : published.keySet()) {
            if (!current.containsKey(gone)) {
                router.route(SysMessages.message(gone, "", nowMillis), null, 0);
            }
        }
        published.clear();
        published.putAll(current);
    }

    /** A node's reporter: every {@code interval}, this node's figures to the publisher. */
    public static Behavior<Object> reporter(ActorRef<Object> publisher, Connections connections, String node,
                                            Duration interval) {
        long startedAt = System.currentTimeMillis();
        return Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new Tick(), interval);
            return Behaviors.receiveMessage(m -> {
                Traffic t = connections.traffic();
                publisher.tell(new NodeReport(node, startedAt, connections.size(), t.packetsReceived(),
                        t.packetsSent(), t.publishReceived(), t.publishSent(), t.bytesReceived(), t.bytesSent(),
                        System.currentTimeMillis()));
                return Behaviors.same();
            });
        });
    }
}
