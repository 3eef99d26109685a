package org.swarmmq.actors.connection;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.stream.Materializer;
import scala.concurrent.duration.FiniteDuration;

/**
 * A stage's timers as messages to its stage actor, by small int keys: what
 * {@code TimerGraphStageLogic} does, without its per-stage hash map, id iterator and callback,
 * which an idle connection paid for even with no timer but its keep alive (docs/perf-notes.md
 * item 9). A tick of a timer cancelled or replaced since it was sent is recognised as stale
 * ({@link #fired}), so a cancelled timer never fires.
 */
final class StageTimers {
    /** A timer's message to the stage actor, and the task that sends it. */
    static final class Tick implements Runnable {
        final int key;
        final boolean once;
        private final ActorRef target;
        Cancellable cancellable;

        Tick(int key, boolean once, ActorRef target) {
            this.key = key;
            this.once = once;
            this.target = target;
        }

        @Override
        public void run() {
            target.tell(this, ActorRef.noSender());
        }
    }

    private final Tick[] active;
    private ActorRef target;
    private Materializer materializer;

    StageTimers(int keys) {
        active = new Tick[keys];
    }

    /** Ticks go to {@code target} (the stage actor), scheduled on {@code materializer}'s scheduler. */
    void start(ActorRef target, Materializer materializer) {
        this.target = target;
        this.materializer = materializer;
    }

    void scheduleOnce(int key, Duration after) {
        Tick t = replace(key, true);
        t.cancellable = materializer.scheduleOnce(finite(after), t);
    }

    void scheduleWithFixedDelay(int key, Duration initialDelay, Duration every) {
        Tick t = replace(key, false);
        t.cancellable = materializer.scheduleWithFixedDelay(finite(initialDelay), finite(every), t);
    }

    void cancel(int key) {
        Tick t = active[key];
        if (t == null) return;
        active[key] = null;
        t.cancellable.cancel();
    }

    boolean isActive(int key) {
        return active[key] != null;
    }

    void cancelAll() {
        for (int key = 0; key < active.length; key++) cancel(key);
    }

    /** The key of {@code tick} if its timer is still live (a timer scheduled once is then over), else -1. */
    int fired(Tick tick) {
        if (active[tick.key] != tick) return -1;
        if (tick.once) active[tick.key] = null;
        return tick.key;
    }

    private Tick replace(int key, boolean once) {
        cancel(key);
        Tick t = new Tick(key, once, target);
        active[key] = t;
        return t;
    }

    private static FiniteDuration finite(Duration d) {
        return FiniteDuration.create(d.toNanos(), TimeUnit.NANOSECONDS);
    }
}
