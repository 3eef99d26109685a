package org.swarmmq.actors.sys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.ToLongFunction;
import org.swarmmq.actors.Message;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Properties;

/**
 * The $SYS topics, as mosquitto names them, from the latest report of each node: the cluster's
 * sums under {@code $SYS/broker/}, and each node's own figures under
 * {@code $SYS/broker/nodes/<node>/}. Retained QoS 0 messages, payloads in text as mosquitto's
 * ("12 seconds", "3"). Wildcard filters starting with a wildcard never match them [MQTT-4.7.2-1].
 */
public final class SysMessages {
    static final String ROOT = "$SYS/broker/";
    static final String PUBLISHER = "$SYS";

    private SysMessages() {
    }

    public static List<Message> of(Collection<NodeReport> nodes, String version, long nowMillis) {
        List<Message> out = new ArrayList<>();
        out.add(message(ROOT + "version", version, nowMillis));
        out.add(message(ROOT + "nodes/count", Integer.toString(nodes.size()), nowMillis));
        long oldest = nodes.stream().mapToLong(NodeReport::startedAtMillis).min().orElse(nowMillis);
        figures(out, ROOT, nodes, oldest, nowMillis);
        for (NodeReport n : nodes) figures(out, ROOT + "nodes/" + n.node() + "/", List.of(n), n.startedAtMillis(), nowMillis);
        return out;
    }

    private static void figures(List<Message> out, String prefix, Collection<NodeReport> nodes, long startedAt,
                                long now) {
        out.add(message(prefix + "uptime", Math.max(0, (now - startedAt) / 1000) + " seconds", now));
        out.add(message(prefix + "clients/connected", sum(nodes, NodeReport::connections), now));
        out.add(message(prefix + "messages/received", sum(nodes, NodeReport::packetsReceived), now));
        out.add(message(prefix + "messages/sent", sum(nodes, NodeReport::packetsSent), now));
        out.add(message(prefix + "publish/messages/received", sum(nodes, NodeReport::publishReceived), now));
        out.add(message(prefix + "publish/messages/sent", sum(nodes, NodeReport::publishSent), now));
        out.add(message(prefix + "bytes/received", sum(nodes, NodeReport::bytesReceived), now));
        out.add(message(prefix + "bytes/sent", sum(nodes, NodeReport::bytesSent), now));
    }

    private static String sum(Collection<NodeReport> nodes, ToLongFunction<NodeReport> figure) {
        return Long.toString(nodes.stream().mapToLong(figure).sum());
    }

    /** A retained $SYS message; an empty payload deletes the topic's retained message. */
    static Message message(String topic, String payload, long now) {
        return new Message(topic, Bytes.utf8(payload), 0, true, Properties.EMPTY, PUBLISHER, now);
    }
}
