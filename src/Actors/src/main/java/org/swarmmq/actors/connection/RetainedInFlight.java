package org.swarmmq.actors.connection;

import java.util.HashMap;
import java.util.Map;

/**
 * A connection's QoS 0 retained publishes that its topic entity has not yet stored. The entity
 * writes each retained message to the journal and stashes what arrives meanwhile, so a publisher
 * that sent thousands in one burst overflowed its stash (Pekko drops the overflow: messages lost,
 * seen with 5000 retained messages in one burst). The connection stops reading its client while
 * {@link #full()}: the publisher waits on its socket, as it would with mosquitto. QoS 0 is at most
 * once: one whose answer never comes (its entity on a node that died) frees its place after the
 * timeout and is not routed again. Plain Java: time is a parameter. Ids are negative, apart from
 * {@link RouteTracker}'s.
 */
final class RetainedInFlight {
    /** At most this many per connection: 64 connections' bursts fit in one entity's stash (4096). */
    static final int LIMIT = 64;

    private final Map<Long, Long> sentAtNanos = new HashMap<>();
    private long lastId;

    /** A correlation id for the next retained QoS 0 publish, sent now. */
    long start(long nowNanos) {
        long id = --lastId;
        sentAtNanos.put(id, nowNanos);
        return id;
    }

    static boolean isOurs(long correlationId) {
        return correlationId < 0;
    }

    /** Its topic entity stored it. */
    void routed(long correlationId) {
        sentAtNanos.remove(correlationId);
    }

    /** Forgets those sent {@code timeoutNanos} ago or more. */
    void expire(long nowNanos, long timeoutNanos) {
        sentAtNanos.values().removeIf(sent -> nowNanos - sent >= timeoutNanos);
    }

    boolean full() {
        return sentAtNanos.size() >= LIMIT;
    }

    boolean isEmpty() {
        return sentAtNanos.isEmpty();
    }
}
