package org.swarmmq.actors.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.swarmmq.actors.Gather;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.session.SessionEntity;
import org.swarmmq.actors.session.SessionProtocol;
import org.swarmmq.actors.topic.TopicProtocol.*;

/**
 * A topic entity: the subscriptions whose filters start with one root level and the retained
 * messages of that root's topics ({@link TopicRoots}). The one wildcard entity holds the
 * wildcard-first filters instead; it never holds retained messages, but remembers which roots do.
 *
 * <p>A publish to a root reaches the wildcard entity first when any wildcard-first filter exists
 * (the node's {@link NodeRoutes.Flags} say so): it adds its matches and forwards to the root,
 * which merges them with its own, so each client gets one copy at its highest QoS.
 */
public final class TopicEntity extends EventSourcedBehavior<Command, Event, TopicState> {
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "topic");
    private static final Duration GATHER_TIMEOUT = Duration.ofSeconds(5);

    private final ActorContext<Command> ctx;
    private final ClusterSharding sharding;
    private final String entityId;
    private final boolean wildcard;
    /**
     * How to reach a subscriber's session: the entity itself while it lives (learnt from its
     * Subscribe, watched), else its EntityRef (which also starts it, e.g. after a restart).
     * Cached because making an EntityRef URL-encodes the id: too slow per message.
     */
    private final Map<String, RecipientRef<SessionProtocol.Command>> sessions = new HashMap<>();
    private final Fanout fanout;
    /** Root entity only: whether the wildcard entity knows this root holds retained messages. */
    private boolean rootRegistered;

    private TopicEntity(ActorContext<Command> ctx, String entityId) {
        super(PersistenceId.of("topic", entityId));
        this.ctx = ctx;
        this.sharding = ClusterSharding.get(ctx.getSystem());
        this.entityId = entityId;
        this.wildcard = entityId.equals(TopicRoots.WILDCARD);
        this.fanout = new Fanout(ctx.getSystem());
    }

    public static Behavior<Command> create(String entityId) {
        return Behaviors.setup(ctx -> new TopicEntity(ctx, entityId));
    }

    private record SessionStopped(String clientId, ActorRef<SessionProtocol.Command> ref) implements Command {
    }

    /** A subscriber waits for the gathered retained messages (wildcard entity) before its reply. */
    private record ReplyWhenGathered(ActorRef<Subscribed> replyTo, String filter, List<Message> retained)
            implements Command {
    }

    @Override
    public TopicState emptyState() {
        return new TopicState();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(1000, 2).withDeleteEventsOnSnapshot();
    }

    @Override
    public CommandHandler<Command, Event, TopicState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Route.class, this::onRoute)
                .onCommand(Subscribe.class, this::onSubscribe)
                .onCommand(Unsubscribe.class, this::onUnsubscribe)
                .onCommand(Redeliver.class, this::onRedeliver)
                .onCommand(SharedPresence.class, (s, c) -> {
                    s.sharedPresence(c.sharedFilter(), c.clientId(), c.present());
                    return Effect().none();
                })
                .onCommand(QueryRetained.class, (s, c) -> {
                    c.replyTo().tell(new RetainedFound(s.retainedMatching(c.filter())));
                    return Effect().none();
                })
                .onCommand(RegisterRetainedRoot.class, (s, c) -> s.retainedRoots().contains(c.entityId())
                        ? Effect().reply(c.replyTo(), new RootRegistered())
                        : Effect().persist(new RetainedRootAdded(c.entityId()))
                                .thenReply(c.replyTo(), st -> new RootRegistered()))
                .onCommand(GetWildcardActive.class, (s, c) -> {
                    c.replyTo().tell(new NodeRoutes.WildcardActive(s.hasSubscriptions(), null));
                    return Effect().none();
                })
                .onCommand(HandOff.class, (s, c) -> {
                    s.notDurable().forEach((clientId, filters) -> {
                        if (sessions.get(clientId) instanceof ActorRef<SessionProtocol.Command> session) {
                            session.tell(new SessionProtocol.Resubscribe(filters));
                        }
                    });
                    return Effect().stop();
                })
                .onCommand(SessionAt.class, (s, c) -> {
                    learnSession(c.clientId(), c.session());
                    if (c.noted() != null) c.noted().tell(new SessionProtocol.SessionNoted());
                    return Effect().none();
                })
                .onCommand(SessionStopped.class, (s, c) -> {
                    if (c.ref().equals(sessions.get(c.clientId()))) sessions.remove(c.clientId());
                    return Effect().none();
                })
                .onCommand(ReplyWhenGathered.class, (s, c) -> {
                    c.replyTo().tell(new Subscribed(c.filter(), c.retained()));
                    return Effect().none();
                })
                .build();
    }

    private Effect<Event, TopicState> onRoute(TopicState state, Route c) {
        Map<String, Delivery> deliveries = new HashMap<>(c.prior());
        state.match(c.message(), deliveries);
        if (wildcard) {
            // Forward with our matches; the root merges and delivers, and answers the publisher.
            Map<String, ActorRef<SessionProtocol.Command>> known = null;
            for (String clientId : deliveries.keySet()) {
                if (sessions.get(clientId) instanceof ActorRef<SessionProtocol.Command> ref) {
                    if (known == null) known = new HashMap<>();
                    known.put(clientId, ref);
                }
            }
            sharding.entityRefFor(TYPE_KEY, TopicRoots.entityIdOf(c.message().topic()))
                    .tell(new Route(c.message(), deliveries, c.replyTo(), c.correlationId(), known));
            return Effect().none();
        }
        Map<String, ActorRef<SessionProtocol.Command>> known = c.priorSessions();
        int confirmations = fanout.deliver(c.message(), deliveries,
                known.isEmpty() ? this::session : clientId -> {
                    ActorRef<SessionProtocol.Command> ref = known.get(clientId);
                    return ref != null ? ref : session(clientId);
                }, c.replyTo(), c.correlationId());
        Routed routed = new Routed(c.correlationId(), confirmations, deliveries.size()); // with the wildcard entity's
        Message m = c.message();
        if (!m.retain() || (m.payload().isEmpty() && !state.hasRetained(m.topic()))) {
            if (c.replyTo() != null) c.replyTo().tell(routed);
            return Effect().none();
        }
        return Effect().persist(new RetainedChanged(m)).thenRun(st -> {
            if (!rootRegistered && !m.payload().isEmpty()) registerRoot(c.replyTo(), routed);
            else if (c.replyTo() != null) c.replyTo().tell(routed);
        });
    }

    /** Tells the wildcard entity this root holds retained messages, then acknowledges the publish. */
    private void registerRoot(ActorRef<RouteReply> replyTo, Routed routed) {
        rootRegistered = true;
        ctx.spawnAnonymous(Gather.of(List.of(TopicRoots.WILDCARD),
                (target, gatherer) -> sharding.entityRefFor(TYPE_KEY, target)
                        .tell(new RegisterRetainedRoot(entityId, gatherer.narrow())),
                GATHER_TIMEOUT,
                replies -> {
                    if (replyTo != null) replyTo.tell(routed);
                }));
    }

    private RecipientRef<SessionProtocol.Command> session(String clientId) {
        RecipientRef<SessionProtocol.Command> ref = sessions.get(clientId);
        if (ref == null) {
            ref = sharding.entityRefFor(SessionEntity.TYPE_KEY, clientId);
            sessions.put(clientId, ref);
        }
        return ref;
    }

    private void learnSession(String clientId, ActorRef<SessionProtocol.Command> ref) {
        if (ref == null || ref.equals(sessions.get(clientId))) return;
        sessions.put(clientId, ref);
        ctx.watchWith(ref, new SessionStopped(clientId, ref));
    }

    private Effect<Event, TopicState> onSubscribe(TopicState state, Subscribe c) {
        boolean wasActive = state.hasSubscriptions();
        EffectBuilder<Event, TopicState> effect;
        if (c.durable()) {
            effect = Effect().persist(new SubscriptionAdded(c.clientId(), c.filter(), c.options()));
        } else if (state.isDurable(c.clientId(), c.filter())) {
            effect = Effect().persist(new SubscriptionRemoved(c.clientId(), c.filter()));
        } else {
            effect = Effect().none();
        }
        // A Shared Subscription gets no retained messages (3.8.4: "No retained messages are sent").
        boolean shared = SharedGroups.isShared(c.filter());
        return effect.thenRun(st -> {
            if (!c.durable()) st.subscribe(c.clientId(), c.filter(), c.options(), false);
            learnSession(c.clientId(), c.session());
            if (!wildcard) {
                c.replyTo().tell(new Subscribed(c.filter(), shared ? List.of() : st.retainedMatching(c.filter())));
            } else {
                gatherRetainedThenReply(c, shared ? Set.of() : st.retainedRoots(), !wasActive && st.hasSubscriptions());
            }
        });
    }

    /**
     * Wildcard entity: asks every root with retained messages for those matching the filter and,
     * when this is the first wildcard-first filter, tells every node to route through us; replies
     * to the subscriber only when both are done.
     */
    private void gatherRetainedThenReply(Subscribe c, Set<String> retainedRoots, boolean announce) {
        List<Object> targets = new ArrayList<>(retainedRoots);
        if (announce) targets.addAll(nodeRoutes());
        ActorRef<Command> self = ctx.getSelf();
        ctx.spawnAnonymous(Gather.of(targets,
                (target, gatherer) -> {
                    if (target instanceof String root) {
                        sharding.entityRefFor(TYPE_KEY, root).tell(new QueryRetained(c.filter(), gatherer.narrow()));
                    } else {
                        @SuppressWarnings("unchecked")
                        ActorRef<NodeRoutes.Command> node = (ActorRef<NodeRoutes.Command>) target;
                        node.tell(new NodeRoutes.WildcardActive(true, gatherer.narrow()));
                    }
                },
                GATHER_TIMEOUT,
                replies -> {
                    List<Message> retained = new ArrayList<>();
                    for (Object r : replies) if (r instanceof RetainedFound f) retained.addAll(f.retained());
                    self.tell(new ReplyWhenGathered(c.replyTo(), c.filter(), retained));
                }));
    }

    /**
     * The route actors of every node in the cluster, however far it is in joining: a node that
     * asked before this subscription and heard "no wildcards" must hear otherwise before the
     * SUBACK. One that does not answer (unreachable) delays the SUBACK by the gather timeout.
     */
    private List<ActorRef<NodeRoutes.Command>> nodeRoutes() {
        List<ActorRef<NodeRoutes.Command>> out = new ArrayList<>();
        for (Member m : Cluster.get(ctx.getSystem()).state().getMembers()) {
            if (m.status() == MemberStatus.down() || m.status() == MemberStatus.removed()) continue;
            out.add(NodeRoutes.on(ctx.getSystem(), m.address()));
        }
        return out;
    }

    /** A message a shared group's member gave back as its session ended: to another member, if any. */
    private Effect<Event, TopicState> onRedeliver(TopicState state, Redeliver c) {
        Map<String, Delivery> to = new HashMap<>();
        if (state.redeliver(c.sharedFilter(), c.leaver(), c.message(), to)) {
            fanout.deliver(c.message(), to, this::session, null, 0);
        } else {
            ctx.getLog().info("{}: no other member of {} for a message {} gave back; dropped",
                    entityId, c.sharedFilter(), c.leaver());
        }
        return Effect().none();
    }

    private Effect<Event, TopicState> onUnsubscribe(TopicState state, Unsubscribe c) {
        boolean wasActive = state.hasSubscriptions();
        EffectBuilder<Event, TopicState> effect = state.isDurable(c.clientId(), c.filter())
                ? Effect().persist(new SubscriptionRemoved(c.clientId(), c.filter()))
                : Effect().none();
        return effect.thenRun(st -> {
            st.unsubscribe(c.clientId(), c.filter());
            if (!st.hasSubscriber(c.clientId())) sessions.remove(c.clientId());
            if (wildcard && wasActive && !st.hasSubscriptions()) {
                // Stop the extra hop; no ack needed: routing through us while empty is only slower.
                for (ActorRef<NodeRoutes.Command> n : nodeRoutes()) n.tell(new NodeRoutes.WildcardActive(false, null));
            }
        });
    }

    @Override
    public EventHandler<TopicState, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(SubscriptionAdded.class, (s, e) -> {
                    s.subscribe(e.clientId(), e.filter(), e.options(), true);
                    return s;
                })
                .onEvent(SubscriptionRemoved.class, (s, e) -> {
                    s.unsubscribe(e.clientId(), e.filter());
                    return s;
                })
                .onEvent(RetainedChanged.class, (s, e) -> {
                    s.retain(e.message());
                    return s;
                })
                .onEvent(RetainedRootAdded.class, (s, e) -> {
                    s.addRetainedRoot(e.entityId());
                    return s;
                })
                .build();
    }
}
