package org.swarmmq.node;

import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the members that are Up each time that set changes, e.g.
 * {@code SwarmMQ cluster: 3 members up [pekko://swarmmq@10.0.0.1:25520, ...]}: operators see the
 * cluster form and shrink, and tests and scripts wait for that line instead of guessing a delay.
 */
final class ClusterLog {
    static final String PREFIX = "SwarmMQ cluster: ";
    private static final Logger log = LoggerFactory.getLogger(ClusterLog.class);

    private ClusterLog() {
    }

    static Behavior<ClusterEvent.MemberEvent> create() {
        return Behaviors.setup(ctx -> {
            // Typed subscriptions start with the current state as events.
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf(), ClusterEvent.MemberEvent.class));
            Set<String> up = new TreeSet<>();
            return Behaviors.receive(ClusterEvent.MemberEvent.class)
                    .onAnyMessage(e -> {
                        String address = e.member().address().toString();
                        boolean changed = e instanceof ClusterEvent.MemberUp ? up.add(address) : up.remove(address);
                        if (e instanceof ClusterEvent.MemberWeaklyUp) changed = false;
                        if (changed) log.info("{}{} members up {}", PREFIX, up.size(), up);
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
