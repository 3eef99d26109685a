package org.swarmmq.actors.connection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.swarmmq.protocol.channel.OutboundPackets;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.Publish;

/**
 * What a connection has to write, in order, until the socket asks for it: bounded for live QoS 0
 * (dropped beyond {@code maxPackets}, as a slow reader must not grow the node's memory), and
 * taken out in batches for one write each, with the client's MQTT 5 limits applied right before
 * encoding (topic aliases in wire order). Plain Java.
 */
final class Outbound {
    private final ArrayDeque<Packet> queue = new ArrayDeque<>(2); // small while idle; grows under load
    private final int maxPackets;
    /** The client's MQTT 5 limits on what we send, from its CONNECT on; none for MQTT 3. */
    private OutboundPackets rules;
    private long droppedQos0;

    Outbound(int maxPackets) {
        this.maxPackets = maxPackets;
    }

    void rules(OutboundPackets rules) {
        this.rules = rules;
    }

    /** Queues a live packet; false if it was a QoS 0 PUBLISH dropped because the queue is full. */
    boolean offer(Packet p) {
        if (p instanceof Publish pub && pub.qos() == 0 && queue.size() >= maxPackets) {
            droppedQos0++;
            return false;
        }
        queue.add(p);
        return true;
    }

    /** Queues packets that must all go (a SUBSCRIBE's retained messages): a one-off burst already in memory. */
    void offerAll(List<Packet> packets) {
        queue.addAll(packets);
    }

    long droppedQos0() {
        return droppedQos0;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * The next write: packets in order while their payloads stay under {@code maxBytes} (at least
     * one), each as the client's limits make it; one the limits refuse goes to {@code refused}.
     */
    List<Packet> nextBatch(long maxBytes, Consumer<Packet> refused) {
        List<Packet> batch = new ArrayList<>(Math.min(queue.size(), 256));
        long bytes = 0;
        while (!queue.isEmpty() && (batch.isEmpty() || bytes < maxBytes)) {
            Packet p = queue.poll();
            if (rules != null) {
                Packet prepared = rules.prepare(p);
                if (prepared == null) {
                    refused.accept(p);
                    continue;
                }
                p = prepared;
            }
            if (p instanceof Publish pub) bytes += pub.payload().length();
            batch.add(p);
        }
        return batch;
    }
}
