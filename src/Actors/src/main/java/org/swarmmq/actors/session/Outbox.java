package org.swarmmq.actors.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.swarmmq.protocol.codec.PacketEncoder;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.PubRel;
import org.swarmmq.protocol.packets.Publish;

/**
 * The outbound half of a session, pure: QoS 1 and 2 messages in flight (at most
 * {@code maxInflight}, the client's Receive Maximum or our own limit), the bounded queue behind
 * them, and packet identifiers that are never reused while in flight [MQTT-2.3.1-2]. Every method
 * returns the packets to send now; the session actor carries them to the connection.
 *
 * <p>MQTT 5 Message Expiry: a queued message whose time is up is dropped, never sent
 * [MQTT-3.3.2-5]; one sent carries the interval that is left [MQTT-3.3.2-6]. Time comes from the
 * clock given (a test's own).
 *
 * <p>MQTT 5 Maximum Packet Size of the client: a PUBLISH whose encoded size (as it would be sent:
 * packet id, remaining expiry, subscription ids and all) exceeds it is discarded before it gets a
 * packet identifier, counted in {@link #tooLarge()}, and the session goes on as if it had been
 * delivered [MQTT-3.1.2-25]. So is one in flight that a new connection's smaller limit refuses.
 */
public final class Outbox {
    // Until first used, the maps are the shared Map.of() and the queue is null: an idle session
    // allocates none of them (docs/perf-notes.md item 9). A map's first put makes it mutable.
    /** Sent, awaiting PUBACK (QoS 1) or PUBREC (QoS 2); value is the PUBLISH as sent. */
    private Map<Integer, Publish> awaitingAck = Map.of();
    /** PUBREL sent, awaiting PUBCOMP. */
    private Map<Integer, PubRel> awaitingComp = Map.of();
    /** Waiting for the window; null while nothing ever waited. */
    private ArrayDeque<Queued> queue;
    /** In flight (awaiting PUBACK or PUBREC) and chosen by a Shared Subscription: by packet id. */
    private Map<Integer, SharedOrigin> inflightShared = Map.of();
    private final int maxQueued;
    private final LongSupplier clockMillis;
    private int maxInflight;
    private int nextId = 1;
    private long dropped;
    private long expired;
    private int maxPacketSize = NO_LIMIT;
    private long tooLarge;

    /** No Maximum Packet Size (MQTT 3, or none in CONNECT). */
    public static final int NO_LIMIT = Integer.MAX_VALUE;

    /**
     * A message waiting for the window, when it expires (epoch ms; {@link #NEVER} if not), and
     * the Shared Subscriptions that chose it for us (null if none; null in records from before).
     */
    public record Queued(Publish publish, long expiresAtMillis, SharedOrigin shared) {
        public Queued(Publish publish, long expiresAtMillis) {
            this(publish, expiresAtMillis, null);
        }
    }

    /** A message to give back to its Shared Subscriptions as the session ends (4.8.2). */
    public record GivenBack(Publish publish, SharedOrigin origin) {
    }

    public static final long NEVER = Long.MAX_VALUE;

    public Outbox(int maxInflight, int maxQueued) {
        this(maxInflight, maxQueued, System::currentTimeMillis);
    }

    public Outbox(int maxInflight, int maxQueued, LongSupplier clockMillis) {
        this.maxInflight = maxInflight;
        this.maxQueued = maxQueued;
        this.clockMillis = clockMillis;
    }

    public int maxInflight() {
        return maxInflight;
    }

    public int maxPacketSize() {
        return maxPacketSize;
    }

    public void setMaxInflight(int maxInflight) {
        this.maxInflight = maxInflight;
    }

    /** The client's Maximum Packet Size [MQTT-3.1.2-24]; {@link #NO_LIMIT} (or 0, unknown) for none. */
    public void setMaxPacketSize(int maxPacketSize) {
        this.maxPacketSize = maxPacketSize <= 0 ? NO_LIMIT : maxPacketSize;
    }

    /**
     * A message for the client, with its delivery QoS already decided and packet id 0. Online,
     * QoS 0 goes straight out; QoS 1/2 goes out if the window has room, else waits in the queue.
     * Offline, QoS 0 is dropped and QoS 1/2 queued. A full queue drops the message (counted).
     */
    public List<Packet> offer(Publish p, boolean online) {
        return offer(p, online, NEVER);
    }

    /** {@link #offer(Publish, boolean)} for a message that expires at {@code expiresAtMillis}. */
    public List<Packet> offer(Publish p, boolean online, long expiresAtMillis) {
        return offer(p, online, expiresAtMillis, null);
    }

    /** {@link #offer(Publish, boolean, long)} for a message chosen by Shared Subscriptions ({@code shared}, or null). */
    public List<Packet> offer(Publish p, boolean online, long expiresAtMillis, SharedOrigin shared) {
        long now = clockMillis.getAsLong();
        if (now >= expiresAtMillis) {
            expired++; // [MQTT-3.3.2-5]
            return List.of();
        }
        if (p.qos() == 0) {
            if (!online) {
                dropped++;
                return List.of();
            }
            Publish out = withRemainingExpiry(p, expiresAtMillis, now);
            return fits(out) ? List.of(out) : List.of();
        }
        if (online && queued() == 0 && inflight() < maxInflight) {
            Publish sent = send(p, expiresAtMillis, now, shared);
            return sent == null ? List.of() : List.of(sent);
        }
        if (queued() >= maxQueued) {
            dropped++;
            return List.of();
        }
        if (queue == null) queue = new ArrayDeque<>();
        queue.add(new Queued(p, expiresAtMillis, shared));
        return List.of();
    }

    /** [MQTT-3.3.2-6] the Message Expiry Interval sent is what is left of the one received, in whole seconds. */
    private static Publish withRemainingExpiry(Publish p, long expiresAtMillis, long now) {
        if (expiresAtMillis == NEVER) return p;
        long left = Math.max(1, (expiresAtMillis - now + 999) / 1000);
        return new Publish(p.dup(), p.qos(), p.retain(), p.topic(), p.packetId(), p.payload(),
                p.properties().without(PropertyId.MESSAGE_EXPIRY_INTERVAL).with(PropertyId.MESSAGE_EXPIRY_INTERVAL, left));
    }

    /** PUBACK for a QoS 1 message: it is done; the window may take the next one. */
    public List<Packet> onPubAck(int packetId) {
        Publish p = awaitingAck.get(packetId);
        if (p == null || p.qos() != 1) return List.of();
        awaitingAck.remove(packetId);
        removeShared(packetId);
        return drain();
    }

    /** PUBREC for a QoS 2 message: answer PUBREL [MQTT-4.3.3-3]; the id stays in use until PUBCOMP. */
    public List<Packet> onPubRec(int packetId) {
        Publish p = awaitingAck.get(packetId);
        if (p == null || p.qos() != 2) {
            // A PUBREC for an id we released already (re-sent by the client): release again.
            PubRel again = awaitingComp.get(packetId);
            return again == null ? List.of() : List.of(again);
        }
        awaitingAck.remove(packetId);
        removeShared(packetId); // the client has it: never another member's [MQTT-4.8.2-5]
        PubRel rel = new PubRel(packetId);
        if (!(awaitingComp instanceof LinkedHashMap)) awaitingComp = new LinkedHashMap<>();
        awaitingComp.put(packetId, rel);
        return List.of(rel);
    }

    public List<Packet> onPubComp(int packetId) {
        if (awaitingComp.isEmpty() || awaitingComp.remove(packetId) == null) return List.of();
        return drain();
    }

    /**
     * On reconnect: every unacknowledged PUBLISH again with DUP=1, every PUBREL again, in the
     * original order [MQTT-4.4.0-1], then whatever the window lets out of the queue.
     */
    public List<Packet> resume() {
        List<Packet> out = new ArrayList<>();
        for (var it = awaitingAck.values().iterator(); it.hasNext(); ) {
            Publish p = it.next();
            if (!fits(p)) { // this connection takes less than the one it was sent on: done with it
                it.remove();
                removeShared(p.packetId());
                continue;
            }
            out.add(new Publish(true, p.qos(), p.retain(), p.topic(), p.packetId(), p.payload(), p.properties()));
        }
        out.addAll(awaitingComp.values());
        out.addAll(drain());
        return out;
    }

    /** The in-flight messages as sent, in order. */
    public List<Publish> inflightMessages() {
        return new ArrayList<>(awaitingAck.values());
    }

    /** Packet ids whose PUBREL awaits PUBCOMP. */
    public List<Integer> releasing() {
        return new ArrayList<>(awaitingComp.keySet());
    }

    public List<Queued> queuedMessages() {
        return queue == null ? new ArrayList<>() : new ArrayList<>(queue);
    }

    /** In-flight messages chosen by Shared Subscriptions, by packet id. */
    public Map<Integer, SharedOrigin> inflightShared() {
        return new HashMap<>(inflightShared);
    }

    /**
     * What the session gives back to its Shared Subscriptions when it ends (4.8.2): QoS 1
     * messages in flight, not acknowledged, and every queued one (never sent). Not QoS 2 in
     * flight: the client may have it, and it MUST NOT go to another member [MQTT-4.8.2-5].
     */
    public List<GivenBack> sharedToGiveBack() {
        List<GivenBack> out = new ArrayList<>();
        for (Publish p : awaitingAck.values()) {
            SharedOrigin o = inflightShared.get(p.packetId());
            if (o != null && p.qos() == 1) out.add(new GivenBack(p, o));
        }
        if (queue != null) for (Queued q : queue) if (q.shared() != null) out.add(new GivenBack(q.publish(), q.shared()));
        return out;
    }

    /** {@link #restore(List, List, List)}, with what {@link #inflightShared} gave (null: none). */
    public void restore(List<Publish> inflight, List<Integer> releasing, List<Queued> queued,
                        Map<Integer, SharedOrigin> shared) {
        restore(inflight, releasing, queued);
        if (shared != null && !shared.isEmpty()) inflightShared = new HashMap<>(shared);
    }

    /** Puts back what {@link #inflightMessages}, {@link #releasing} and {@link #queuedMessages} gave. */
    public void restore(List<Publish> inflight, List<Integer> releasing, List<Queued> queued) {
        clear();
        if (!inflight.isEmpty()) awaitingAck = new LinkedHashMap<>();
        for (Publish p : inflight) awaitingAck.put(p.packetId(), p);
        if (!releasing.isEmpty()) awaitingComp = new LinkedHashMap<>();
        for (Integer id : releasing) awaitingComp.put(id, new PubRel(id));
        if (!queued.isEmpty()) queue = new ArrayDeque<>(queued);
    }

    /** Forget everything (clean start). */
    public void clear() {
        awaitingAck = Map.of();
        awaitingComp = Map.of();
        queue = null;
        inflightShared = Map.of();
    }

    public int inflight() {
        return awaitingAck.size() + awaitingComp.size();
    }

    public int queued() {
        return queue == null ? 0 : queue.size();
    }

    public long dropped() {
        return dropped;
    }

    /** Messages discarded because they exceed the client's Maximum Packet Size [MQTT-3.1.2-25]. */
    public long tooLarge() {
        return tooLarge;
    }

    /** Messages dropped because their Message Expiry Interval passed before they could be sent. */
    public long expired() {
        return expired;
    }

    private List<Packet> drain() {
        if (queued() == 0 || inflight() >= maxInflight) return List.of();
        long now = clockMillis.getAsLong();
        List<Packet> out = new ArrayList<>();
        while (!queue.isEmpty() && inflight() < maxInflight) {
            Queued q = queue.poll();
            if (now >= q.expiresAtMillis()) {
                expired++; // [MQTT-3.3.2-5]
                continue;
            }
            Publish sent = send(q.publish(), q.expiresAtMillis(), now, q.shared());
            if (sent != null) out.add(sent);
        }
        return out;
    }

    /** The PUBLISH put in flight with a new packet id, or null when it is too large for the client. */
    private Publish send(Publish p, long expiresAtMillis, long now, SharedOrigin shared) {
        Publish out = withRemainingExpiry(p, expiresAtMillis, now);
        if (!fits(out)) return null; // before a packet id is taken [MQTT-3.1.2-25]
        Publish sent = out.withPacketId(allocateId());
        if (!(awaitingAck instanceof LinkedHashMap)) awaitingAck = new LinkedHashMap<>();
        awaitingAck.put(sent.packetId(), sent);
        if (shared != null) {
            if (!(inflightShared instanceof HashMap)) inflightShared = new HashMap<>();
            inflightShared.put(sent.packetId(), shared);
        }
        return sent;
    }

    private void removeShared(int packetId) {
        if (!inflightShared.isEmpty()) inflightShared.remove(packetId);
    }

    /**
     * [MQTT-3.1.2-24] whether the PUBLISH, as sent (any packet id is two bytes: 1 stands in for
     * one not yet taken), is within the client's Maximum Packet Size; counted when it is not.
     */
    private boolean fits(Publish p) {
        if (maxPacketSize == NO_LIMIT) return true;
        Publish sized = p.qos() > 0 && p.packetId() == 0 ? p.withPacketId(1) : p;
        if (PacketEncoder.encodedSize(sized, ProtocolVersion.V5) <= maxPacketSize) return true;
        tooLarge++;
        return false;
    }

    /** The next id not in flight; the window is far smaller than 65535, so this ends. */
    private int allocateId() {
        while (true) {
            int id = nextId;
            nextId = nextId == 0xFFFF ? 1 : nextId + 1;
            if (!awaitingAck.containsKey(id) && !awaitingComp.containsKey(id)) return id;
        }
    }
}
