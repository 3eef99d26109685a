package org.swarmmq.actors.topic;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.swarmmq.actors.CborSerializable;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.session.SessionProtocol;

/**
 * One per node, at {@link #PATH}. It fans out, to the sessions on its node, the messages a topic
 * entity elsewhere sent here in one {@link Fanout}. And it keeps what a publishing connection
 * must know to route without asking anyone, namely
 * whether any wildcard-first filter (`#`, `+/x`) exists, in which case a publish goes through the
 * wildcard entity first. The wildcard entity tells every node before it acknowledges such a
 * subscription, so a SUBACK is never ahead of the routing it needs. Until the first answer a
 * node assumes wildcards exist: a needless hop, never a lost message.
 */
public final class NodeRoutes {
    /** Its name as a system actor: every node has it at this path, so a topic entity can address any node's. */
    public static final String NAME = "node-routes";
    public static final String PATH = "/system/" + NAME;

    /** One session's share of a message sent to a node in one {@link Fanout}. */
    public record Target(ActorRef<SessionProtocol.Command> session, TopicProtocol.Delivery delivery)
            implements CborSerializable {
    }

    /** Deliver {@code message} to these sessions of this node; each confirms as its Delivery says. */
    public record Fanout(Message message, List<Target> targets, ActorRef<TopicProtocol.RouteReply> replyTo,
                         long correlationId) implements Command {
    }

    /** The route actor of the node at {@code address} (resolving parses a path: cache it on hot paths). */
    public static ActorRef<Command> on(ActorSystem<?> system, Address address) {
        return ActorRefResolver.get(system).resolveActorRef(address + PATH);
    }

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

    private record Refresh() implements Command {
    }

    /**
     * How often a node asks the wildcard entity again. The entity tells every node when the
     * answer changes; asking as well bounds how long a node that missed that (it was joining,
     * or unreachable for a moment) routes past wildcard subscribers.
     */
    private static final java.time.Duration REFRESH = java.time.Duration.ofSeconds(10);

    public static Behavior<Command> create(Flags flags, ClusterSharding sharding) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            var wildcardEntity = sharding.entityRefFor(TopicEntity.TYPE_KEY, TopicRoots.WILDCARD);
            wildcardEntity.tell(new TopicProtocol.GetWildcardActive(ctx.getSelf()));
            timers.startTimerWithFixedDelay(new Refresh(), REFRESH);
            return Behaviors.receive(Command.class)
                    .onMessage(Refresh.class, m -> {
                        wildcardEntity.tell(new TopicProtocol.GetWildcardActive(ctx.getSelf()));
                        return Behaviors.same();
                    })
                    .onMessage(Fanout.class, m -> {
                        for (Target t : m.targets()) {
                            t.session().tell(SessionProtocol.Deliver.of(m.message(), t.delivery(), m.replyTo(),
                                    m.correlationId()));
                        }
                        return Behaviors.same();
                    })
                    .onMessage(WildcardActive.class, m -> {
                        flags.wildcardActive.set(m.active());
                        if (m.replyTo() != null) m.replyTo().tell(new Acknowledged());
                        return Behaviors.same();
                    })
                    .build();
        }));
    }
}
