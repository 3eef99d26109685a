package org.swarmmq.actors.connection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A connection's QoS 1/2 publishes between "routed" and "safe to acknowledge": a message is
 * complete when its topic entity said {@code Routed(n)} and all n persistent sessions confirmed
 * they stored it, in either order. One that is not complete in time (a topic entity or a
 * session on a node that died) is routed again under a new correlation id; answers to the old
 * id are then ignored. Plain Java: time is a parameter.
 *
 * @param <M> the message routed
 * @param <T> the caller's token for the acknowledgement waiting on it
 */
final class RouteTracker<M, T> {
    private static final class Pending<M, T> {
        final M message;
        final T token;
        long sentAtNanos;
        boolean routed;
        int confirmations;
        int confirmed;
        int matched = -1;

        Pending(M message, T token, long sentAtNanos) {
            this.message = message;
            this.token = token;
            this.sentAtNanos = sentAtNanos;
        }

        boolean complete() {
            return routed && confirmed >= confirmations;
        }
    }

    /** A complete message: the caller's token, and how many clients it matched (-1: not known). */
    record Done<T>(T token, int matched) {
    }

    /** A message to route again, under {@code correlationId}. */
    record Retry<M>(long correlationId, M message) {
    }

    private final Map<Long, Pending<M, T>> pending = new HashMap<>();
    private long lastId;

    /** Starts tracking {@code message}; route it with the returned correlation id. */
    long start(M message, T token, long nowNanos) {
        long id = ++lastId;
        pending.put(id, new Pending<>(message, token, nowNanos));
        return id;
    }

    /** The topic entity routed it to {@code confirmations} persistent sessions; the token if now complete. */
    T routed(long correlationId, int confirmations) {
        Done<T> done = routed(correlationId, confirmations, -1);
        return done == null ? null : done.token();
    }

    /** {@link #routed(long, int)}, also saying how many clients it matched; the token and that count if complete. */
    Done<T> routed(long correlationId, int confirmations, int matched) {
        Pending<M, T> p = pending.get(correlationId);
        if (p == null) return null;
        p.routed = true;
        p.confirmations = confirmations;
        p.matched = matched;
        return done(correlationId, p);
    }

    /** {@link #confirmed(long)} with the matched count, as {@link #routed(long, int, int)}. */
    Done<T> confirmedDone(long correlationId) {
        Pending<M, T> p = pending.get(correlationId);
        if (p == null) return null;
        p.confirmed++;
        return done(correlationId, p);
    }

    private Done<T> done(long correlationId, Pending<M, T> p) {
        T token = completed(correlationId, p);
        return token == null ? null : new Done<>(token, p.matched);
    }

    /** A session stored it; the token if now complete. */
    T confirmed(long correlationId) {
        Pending<M, T> p = pending.get(correlationId);
        if (p == null) return null;
        p.confirmed++;
        return completed(correlationId, p);
    }

    private T completed(long correlationId, Pending<M, T> p) {
        if (!p.complete()) return null;
        pending.remove(correlationId);
        return p.token;
    }

    /** Messages waiting longer than {@code timeoutNanos}, each moved to a new correlation id to route again. */
    List<Retry<M>> overdue(long nowNanos, long timeoutNanos) {
        List<Long> late = new ArrayList<>();
        pending.forEach((id, p) -> {
            if (nowNanos - p.sentAtNanos >= timeoutNanos) late.add(id);
        });
        List<Retry<M>> retries = new ArrayList<>(late.size());
        for (long id : late) {
            Pending<M, T> old = pending.remove(id);
            Pending<M, T> again = new Pending<>(old.message, old.token, nowNanos);
            long newId = ++lastId;
            pending.put(newId, again);
            retries.add(new Retry<>(newId, old.message));
        }
        return retries;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    int size() {
        return pending.size();
    }
}
