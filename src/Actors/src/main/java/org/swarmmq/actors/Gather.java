package org.swarmmq.actors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Scatter-gather in a short-lived actor: {@code send} asks each target to reply to the given ref;
 * the replies that arrive within {@code timeout} go to {@code done}, which should only send
 * messages. A missing reply is simply absent: the caller decides what that means.
 */
public final class Gather {
    private Gather() {
    }

    private record Timeout() {
    }

    public static <T> Behavior<Object> of(List<T> targets, BiConsumer<T, ActorRef<Object>> send,
                                          Duration timeout, Consumer<List<Object>> done) {
        return Behaviors.setup(ctx -> {
            if (targets.isEmpty()) {
                done.accept(List.of());
                return Behaviors.stopped();
            }
            for (T t : targets) send.accept(t, ctx.getSelf());
            List<Object> replies = new ArrayList<>(targets.size());
            return Behaviors.withTimers(timers -> {
                timers.startSingleTimer(new Timeout(), timeout);
                return Behaviors.receive(Object.class)
                        .onMessage(Timeout.class, t -> {
                            done.accept(replies);
                            return Behaviors.stopped();
                        })
                        .onAnyMessage(m -> {
                            replies.add(m);
                            if (replies.size() < targets.size()) return Behaviors.same();
                            done.accept(replies);
                            return Behaviors.stopped();
                        })
                        .build();
            });
        });
    }
}
