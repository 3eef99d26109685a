package org.swarmmq.actors.topic;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.swarmmq.actors.CborSerializable;

/**
 * One per node: what a publishing connection must know to route without asking anyone, namely
 * whether any wildcard-first filter (`#`, `+/x`) exists, in which case a publish goes through the
 * wildcard entity first. The wildcard entity tells every node before it acknowledges such a
 * subscription, so a SUBACK is never ahead of the routing it needs. Until the first answer a
 * node assumes wildcards exist: a needless hop, never a lost message.
 */
public final class NodeRoutes {
    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "swarmmq-node-routes");

    public interface Command extends CborSerializable {
    }

    public record WildcardActive(boolean active, ActorRef<Acknowledged> replyTo) implements Command {
    }

    public record Acknowledged() implements CborSerializable {
    }

    /** The flag connections read on every publish. */
    public static final class Flags {
        private final AtomicBoolean wildcardActive = new AtomicBoolean(true);

        public boolean wildcardActive() {
            return wildcardActive.get();
        }
    }

    private NodeRoutes() {
    }

    public static Behavior<Command> create(Flags flags, ClusterSharding sharding) {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
            sharding.entityRefFor(TopicEntity.TYPE_KEY, TopicRoots.WILDCARD)
                    .tell(new TopicProtocol.GetWildcardActive(ctx.getSelf()));
            return Behaviors.receive(Command.class)
                    .onMessage(WildcardActive.class, m -> {
                        flags.wildcardActive.set(m.active());
                        if (m.replyTo() != null) m.replyTo().tell(new Acknowledged());
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
