package org.swarmmq.protocol.channel;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.PubRec;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * The acknowledgements a connection owes its client for what it published, in PUBLISH order
 * [MQTT-4.6.0-2]: a PUBACK or PUBREC waits until its message is routed (and stored where it must
 * be), and none overtakes an earlier one that still waits. Pure: the {@link Channel} asks it
 * what may go now.
 */
final class InboundAcks {
    private static final class Pending {
        Packet ack;
        boolean ready;

        Pending(Packet ack, boolean ready) {
            this.ack = ack;
            this.ready = ready;
        }
    }

    private final ArrayDeque<Pending> inOrder = new ArrayDeque<>();
    private final Map<Long, Pending> awaitingRoute = new HashMap<>();
    private long lastToken;
    /** PUBACKs owed (QoS 2 PUBLISHes are counted by the Channel until PUBREL). */
    private int unackedQos1;

    /** An ack that waits for its message to be routed; the token {@link #routed} takes. */
    long afterRouting(Packet ack) {
        if (ack instanceof PubAck) unackedQos1++;
        Pending p = new Pending(ack, false);
        inOrder.add(p);
        long token = ++lastToken;
        awaitingRoute.put(token, p);
        return token;
    }

    /** An ack that may go as soon as those before it have (PUBCOMP, a PUBREC repeated). */
    void now(Packet ack, List<ChannelEffect> out) {
        inOrder.add(new Pending(ack, true));
        drain(out);
    }

    /**
     * The message of {@code token} is routed; with {@code noMatchingSubscribers} an MQTT 5 ack says
     * 0x10 No matching subscribers (3.4.2.1, 3.5.2.1), as mosquitto's do. False for an unknown token.
     */
    boolean routed(long token, boolean noMatchingSubscribers, List<ChannelEffect> out) {
        Pending a = awaitingRoute.remove(token);
        if (a == null) return false;
        a.ready = true;
        if (noMatchingSubscribers) {
            if (a.ack instanceof PubAck ack) {
                a.ack = new PubAck(ack.packetId(), ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY);
            } else if (a.ack instanceof PubRec rec) {
                a.ack = new PubRec(rec.packetId(), ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY);
            }
        }
        drain(out);
        return true;
    }

    int unackedQos1() {
        return unackedQos1;
    }

    private void drain(List<ChannelEffect> out) {
        while (!inOrder.isEmpty() && inOrder.peek().ready) {
            Packet ack = inOrder.poll().ack;
            if (ack instanceof PubAck) unackedQos1--;
            out.add(new ChannelEffect.Send(ack));
        }
    }
}
