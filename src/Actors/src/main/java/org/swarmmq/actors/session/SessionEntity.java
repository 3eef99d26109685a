package org.swarmmq.actors.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ExtensibleBehavior;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.state.javadsl.DurableStateUpdateStore;
import org.apache.pekko.persistence.state.javadsl.GetObjectResult;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.swarmmq.actors.Gather;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.connection.ConnectionProtocol;
import org.swarmmq.actors.session.SessionProtocol.*;
import org.swarmmq.actors.topic.Router;
import org.swarmmq.actors.topic.TopicEntity;
import org.swarmmq.actors.topic.TopicProtocol;
import org.swarmmq.actors.topic.TopicRoots;
import org.swarmmq.protocol.channel.Channel;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.PubComp;
import org.swarmmq.protocol.packets.PubRec;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.SubAck;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Subscription;
import org.swarmmq.protocol.packets.UnsubAck;

/**
 * The session of one client id, a sharded entity: one per id in the cluster, so a second
 * connection with the same id finds it and takes it over [MQTT-3.1.4-2]. It owns the client's
 * subscriptions and its {@link Outbox}, and outlives connections when the session is persistent.
 *
 * <p>A persistent session is a {@link SessionRecord} in Pekko's durable state store: loaded when
 * the entity starts (commands wait meanwhile), written when subscriptions change, when the
 * connection goes, while messages queue for an offline client (writes coalesce: one in flight,
 * the next carries everything since), and when sharding stops the entity at shutdown. While the
 * client is online its in-flight window lives in memory only.
 */
public final class SessionEntity extends ExtensibleBehavior<Command> {
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "session");
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Limits a session applies; mosquitto's defaults are max_inflight_messages 20, max_queued_messages 1000.
     * {@code maxSubscriptions}: filters one client may hold (0: no limit); more are refused with 0x97.
     */
    public record Limits(int maxInflight, int maxQueued, int maxSubscriptions) {
        public Limits(int maxInflight, int maxQueued) {
            this(maxInflight, maxQueued, 0);
        }
    }

    private final ActorContext<Command> context;
    private final String clientId;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    /** A live session's sharded entity, which it returns the session to; null in the entity itself. */
    private final EntityRef<Command> owner;
    /** In the entity: a live session known to have stopped, which a record it wrote may still name. */
    private ActorRef<Command> deadLive;
    private final StoredRecord stored;
    private boolean stopping;
    /** Publishers waiting for their message to be stored here; they hear after the next write. */
    private List<Deliver> unconfirmed = List.of(); // an ArrayList from the first on
    /** Those the write in flight carries. */
    private List<Deliver> confirmingOnWrite = List.of();
    /** Inbound QoS 2 ids received and not released, kept here between connections. */
    private List<Integer> inboundQos2 = List.of();
    private final ClusterSharding sharding;
    private final Limits limits;
    private final Outbox outbox;
    /** The shared Map.of() until the first subscription: an idle session allocates no map. */
    private Map<String, TopicProtocol.Options> subscriptions = Map.of();
    private ActorRef<ConnectionProtocol.Command> connection;
    private ProtocolVersion version = ProtocolVersion.V3_1_1;
    private boolean persistent;
    private boolean exists;
    private final TimerScheduler<Command> timers;
    /** To publish a delayed will (MQTT 5 Will Delay Interval). */
    private final Router router;
    /** A will waiting for its delay to end, or null. Memory only: a node's death loses it. */
    private Message pendingWill;
    /** When {@link #pendingWill}'s delay ends (epoch ms). */
    private long willAtMillis;
    /** How long the session outlives its connection (seconds; Channel.NEVER_EXPIRES: until a clean start). */
    private long expirySeconds;
    /** While the client is away: when the session ends (epoch ms), or SessionRecord.NO_EXPIRY. */
    private long expiresAtMillis = SessionRecord.NO_EXPIRY;

    /** Sent by sharding to stop the entity (shutdown, rebalance): write, then stop. */
    public record Stop() implements Command {
    }

    private record Loaded(GetObjectResult<SessionRecord> result, Throwable failure) implements Command {
    }

    private record Written(Throwable failure) implements Command {
    }

    /** The session's expiry time came while its client was away (MQTT 5 Session Expiry Interval). */
    private record Expired() implements Command {
    }

    /** A live session's entity stopped: the one sharding starts next must hear of the live session. */
    private record OwnerStopped(ActorRef<Command> owner) implements Command {
    }

    /** A delayed will's time came. */
    private record WillDelayEnded() implements Command {
    }

    /**
     * The attached connection stopped without a Detach: its node died (or was downed). The session
     * treats it as gone, with the expiry of its CONNECT; the will died with the connection.
     */
    private record ConnectionLost(ActorRef<ConnectionProtocol.Command> connection) implements Command {
    }

    /** The topic entities answered a SUBSCRIBE: time to SUBACK and send retained messages. */
    private record SubscribesDone(ActorRef<ConnectionProtocol.Command> connection, Subscribe packet,
                                  List<ReasonCode> codes, Map<String, Boolean> isNew, List<Object> replies)
            implements Command {
    }

    private SessionEntity(ActorContext<Command> ctx, TimerScheduler<Command> timers, String clientId,
                          ActorRef<ClusterSharding.ShardCommand> shard, boolean live,
                          Limits limits, DurableStateUpdateStore<SessionRecord> store, Router router) {
        this.context = ctx;
        this.timers = timers;
        this.router = router;
        this.clientId = clientId;
        this.shard = shard;
        this.stored = new StoredRecord(store, clientId);
        this.sharding = ClusterSharding.get(ctx.getSystem());
        this.owner = live ? sharding.entityRefFor(TYPE_KEY, clientId) : null;
        this.limits = limits;
        this.outbox = new Outbox(limits.maxInflight(), limits.maxQueued());
    }

    /** {@code shard}: the entity context's shard, to passivate through (see {@link #passivate}). */
    public static Behavior<Command> create(String clientId, ActorRef<ClusterSharding.ShardCommand> shard,
                                           Limits limits, DurableStateUpdateStore<SessionRecord> store,
                                           Router router) {
        return Behaviors.withStash(100_000, stash -> Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
            SessionEntity entity = new SessionEntity(ctx, timers, clientId, shard, false, limits, store, router);
            ctx.pipeToSelf(entity.stored.load(), Loaded::new);
            entity.stash = stash;
            return entity.loading(stash);
        })));
    }

    /**
     * A live session: the session of {@code clientId} as {@code image} holds it, started on the
     * node of {@code attach}'s connection (by {@link SessionHost}) to serve that connection; it
     * tells {@code owner}, the sharded entity, that it is there.
     */
    static Behavior<Command> live(String clientId, Limits limits, DurableStateUpdateStore<SessionRecord> store,
                                  Router router, SessionImage image, Attach attach, ActorRef<Command> owner) {
        return Behaviors.withStash(100_000, stash -> Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
            SessionEntity entity = new SessionEntity(ctx, timers, clientId, null, true, limits, store, router);
            entity.stash = stash;
            entity.restoreImage(image);
            if (attach == null) { // moved off its stopping entity, still serving the same connection
                entity.connection.tell(new ConnectionProtocol.Attached(true, entity.inboundQos2, ctx.getSelf()));
            }
            owner.tell(new Hosted(ctx.getSelf()));
            ctx.watchWith(owner, new OwnerStopped(owner));
            entity.announce();
            return attach == null ? entity : entity.onAttach(attach);
        })));
    }

    private ActorContext<Command> getContext() {
        return context;
    }

    /** Holds what comes while the session ends (its record being deleted), for the entity after it. */
    private StashBuffer<Command> stash;

    /** The record is gone from the store (or could not be deleted): the ended session may stop. */
    private record Forgotten(Throwable failure) implements Command {
    }

    private Behavior<Command> loading(StashBuffer<Command> stash) {
        return Behaviors.receive(Command.class)
                .onMessage(Loaded.class, l -> {
                    if (l.failure() != null) {
                        getContext().getLog().error("Session {}: cannot read its stored state, starting empty: {}",
                                clientId, l.failure().getMessage());
                    } else {
                        restore(l.result());
                    }
                    ActorRef<Command> live = l.failure() == null ? liveNamedIn(l.result()) : null;
                    return stash.unstashAll(live == null ? this : Relocation.away(this, live));
                })
                .onAnyMessage(m -> {
                    stash.stash(m);
                    return Behaviors.same();
                })
                .build();
    }

    /** The session state {@code r} holds: protocol level, subscriptions, outbox, inbound QoS 2 ids, expiry. */
    private void takeRecord(SessionRecord r) {
        version = ProtocolVersion.ofLevel(r.protocolLevel());
        subscriptions = r.subscriptions().isEmpty() ? Map.of() : new HashMap<>(r.subscriptions());
        outbox.restore(r.inflight(), r.releasing(), r.queued(), r.inflightShared());
        inboundQos2 = r.inboundQos2();
        expiresAtMillis = r.expiresAtMillis();
        expirySeconds = r.expirySeconds();
    }

    private void restore(GetObjectResult<SessionRecord> result) {
        stored.loaded(result);
        SessionRecord r = result.value().orElse(null);
        if (r == null) return;
        exists = true;
        persistent = true;
        takeRecord(r);
        if (expiresAtMillis == SessionRecord.NO_EXPIRY && expirySeconds > 0 && expirySeconds != Channel.NEVER_EXPIRES) {
            // Written while its client was connected: that connection died with the session's
            // node, and the session is away from now on.
            expiresAtMillis = System.currentTimeMillis() + expirySeconds * 1000;
        }
        if (expiresAtMillis != SessionRecord.NO_EXPIRY) {
            long left = expiresAtMillis - System.currentTimeMillis();
            if (left <= 0) {
                endExpired(); // it expired while no node held it (a restart): it ends now
            } else {
                timers.startSingleTimer(new Expired(), Duration.ofMillis(left));
            }
        }
    }

    /** The delayed will goes out now: its delay ended, or the session did [MQTT-3.1.2-8]. */
    private void publishPendingWill() {
        timers.cancel(new WillDelayEnded());
        if (pendingWill != null) router.route(pendingWill, null, 0);
        pendingWill = null;
    }

    /** The session's time is up: it ends, its subscriptions and stored record with it. */
    private void endExpired() {
        getContext().getLog().info("Session {} expired", clientId);
        publishPendingWill();
        discardState();
        forgetStored();
        persistent = false;
        expiresAtMillis = SessionRecord.NO_EXPIRY;
    }

    private SessionRecord record() {
        return new SessionRecord(version.level(), new HashMap<>(subscriptions), outbox.inflightMessages(),
                outbox.releasing(), outbox.queuedMessages(), inboundQos2, expiresAtMillis, expirySeconds,
                outbox.inflightShared(), owner == null ? null : getContext().getSelf());
    }

    /** Writes the record if persistent; while a write is in flight, the next one is coalesced. */
    private void persist() {
        if (!persistent) {
            for (Deliver d : unconfirmed) confirm(d); // nothing to store them in any more
            unconfirmed = List.of();
            return;
        }
        CompletionStage<?> write = stored.write(this::record);
        if (write == null) return; // one is in flight: the next, after it, carries this too
        confirmingOnWrite = unconfirmed;
        unconfirmed = List.of();
        getContext().pipeToSelf(write, (done, e) -> new Written(e));
    }

    private Behavior<Command> onWritten(Written w) {
        boolean again = stored.written(w.failure() == null);
        if (w.failure() != null) {
            getContext().getLog().error("Session {}: could not store its state: {}", clientId, w.failure().getMessage());
            // Unconfirmed, the publishers route again later (ConnectionStage), which writes again.
            for (Deliver d : confirmingOnWrite) addUnconfirmed(d);
        } else {
            for (Deliver d : confirmingOnWrite) confirm(d);
        }
        confirmingOnWrite = List.of();
        if (again) persist();
        else if (stopping) return Behaviors.stopped();
        return this;
    }

    private Behavior<Command> onStop(Stop s) {
        // Sharding moves the entity (a rebalance): its client stays connected to a live session here.
        if (owner == null && connection != null && !leaving()) return Relocation.handOverThenStop(this);
        return stopNow();
    }

    /** Stops as sharding asks: a persistent session writes its record first. */
    Behavior<Command> stopNow() {
        if (!persistent) return Behaviors.stopped();
        stopping = true;
        if (!stored.writing()) persist();
        return this;
    }

    /** The session ends for good: forget the stored record too. */
    private CompletionStage<?> forgetStored() {
        return stored.delete();
    }

    /**
     * The session has ended: once its record is deleted (after any write still in flight), tell
     * {@code connection} (if any) and passivate. Until then everything waits: a reconnecting
     * client's Attach must find the session gone, not the record a late delete has not yet removed.
     */
    private Behavior<Command> endThenPassivate(ActorRef<ConnectionProtocol.Command> connection) {
        getContext().pipeToSelf(forgetStored(), (done, e) -> new Forgotten(e));
        return Behaviors.receive(Command.class)
                .onMessage(Forgotten.class, f -> {
                    if (f.failure() != null) {
                        getContext().getLog().error("Session {}: could not delete its stored state: {}", clientId,
                                f.failure().getMessage());
                    }
                    if (connection != null) connection.tell(new ConnectionProtocol.Detached(true));
                    return stash.unstashAll(passivate());
                })
                .onMessage(Written.class, w -> {
                    onWritten(w); // confirms what it carried; not persistent any more, so nothing new is written
                    return Behaviors.same();
                })
                .onAnyMessage(m -> {
                    stash.stash(m);
                    return Behaviors.same();
                })
                .build();
    }

    /**
     * One dispatch for every session: a receive built per instance ({@code newReceiveBuilder()})
     * cost each idle session 13 builder cases and their lambdas (docs/perf-notes.md item 9).
     */
    @Override
    public Behavior<Command> receive(TypedActorContext<Command> ctx, Command msg) {
        if (msg instanceof Deliver m) return onDeliver(m);
        if (msg instanceof Acknowledge m) return onAcknowledge(m);
        if (msg instanceof Written m) return onWritten(m);
        if (msg instanceof Attach m) return onAttach(m);
        if (msg instanceof Detach m) return onDetach(m);
        if (msg instanceof SubscribeRequest m) return onSubscribe(m);
        if (msg instanceof SubscribesDone m) return onSubscribesDone(m);
        if (msg instanceof UnsubscribeRequest m) return onUnsubscribe(m);
        if (msg instanceof Stop m) return onStop(m);
        if (msg instanceof PublishWillLater m) return onPublishWillLater(m);
        if (msg instanceof WillDelayEnded) {
            publishPendingWill();
            return this;
        }
        if (msg instanceof ConnectionLost m) return onConnectionLost(m);
        if (msg instanceof Expired) return onExpired();
        if (msg instanceof Hosted h) { // too late: the entity went on without it
            h.live().tell(new Superseded());
            return this;
        }
        if (msg instanceof Returned r) { // from a live session this entity, restarted, did not know of
            if (connection != null) return this;
            restoreImage(r.image());
            announce();
            return this;
        }
        if (msg instanceof Resubscribe r) {
            if (leaving()) return this; // this node's clients are being closed: nothing to keep
            for (String filter : r.filters()) {
                TopicProtocol.Options o = subscriptions.get(filter);
                if (o != null) {
                    topicOf(filter).tell(new TopicProtocol.Subscribe(clientId, filter, o, persistent,
                            getContext().getSelf(), getContext().getSystem().ignoreRef()));
                }
            }
            return this;
        }
        if (msg instanceof OwnerStopped o) { // live session: tell the entity started in its place
            // Not while this node shuts down: its connections are closed first, and a region
            // that is handing its shards off would only buffer the Adopt until it times out.
            if (owner != null && !leaving()) owner.tell(new Adopt(getContext().getSelf()));
            return this;
        }
        if (msg instanceof Adopted o) {
            getContext().watchWith(o.owner(), new OwnerStopped(o.owner()));
            return this;
        }
        if (msg instanceof Adopt o) { // entity: a live session it did not hand the session to
            // A client attached here since (the other was taken over), or a session of its own
            // from a record that does not name the live session: keep this one.
            if (connection != null || (exists && persistent)) {
                o.live().tell(new Superseded());
                return this;
            }
            o.live().tell(new Adopted(getContext().getSelf()));
            return Relocation.away(this, o.live());
        }
        if (msg instanceof Superseded) {
            if (connection != null) connection.tell(new ConnectionProtocol.Close(ReasonCode.SESSION_TAKEN_OVER));
            return Behaviors.stopped();
        }
        return Behaviors.unhandled();
    }

    @Override
    public Behavior<Command> receiveSignal(TypedActorContext<Command> ctx, Signal signal) {
        return Behaviors.unhandled();
    }

    private Behavior<Command> onPublishWillLater(PublishWillLater m) {
        if (connection != null && !connection.equals(m.connection())) return this; // back already
        pendingWill = m.will();
        willAtMillis = System.currentTimeMillis() + m.delaySeconds() * 1000;
        timers.startSingleTimer(new WillDelayEnded(), Duration.ofSeconds(m.delaySeconds()));
        return this;
    }

    private Behavior<Command> onConnectionLost(ConnectionLost m) {
        if (!m.connection().equals(connection)) return this;
        getContext().getLog().info("Session {}: its connection was lost without a DISCONNECT or close", clientId);
        Detach detach = new Detach(m.connection(), inboundQos2, expirySeconds);
        return owner != null ? Relocation.returnHome(this, detach) : onDetach(detach);
    }

    private Behavior<Command> onExpired() {
        if (connection != null || expiresAtMillis == SessionRecord.NO_EXPIRY
                || System.currentTimeMillis() < expiresAtMillis) return this;
        endExpired();
        return endThenPassivate(null);
    }

    private Behavior<Command> onAttach(Attach a) {
        // The same connection again: its first Attach was answered, it sent another before hearing
        // (a shard that moved). Once attached, nothing changes: a clean start must not discard
        // what the client subscribed to since.
        if (a.connection().equals(connection)) return this;
        if (isRemote(a.connection())) { // the session runs on its client's node
            return owner == null ? Relocation.handOver(this, a) : Relocation.returnHome(this, a);
        }
        if (connection != null && !connection.equals(a.connection())) {
            connection.tell(new ConnectionProtocol.Close(ReasonCode.SESSION_TAKEN_OVER)); // [MQTT-3.1.4-2]
        }
        boolean sessionPresent = exists && !a.cleanStart(); // [MQTT-3.2.2-2], [MQTT-3.2.2-3]
        if (a.cleanStart()) { // [MQTT-3.1.2-6]
            discardState();
            forgetStored();
            inboundQos2 = List.of();
        }
        if (connection != null) getContext().unwatch(connection);
        connection = a.connection();
        getContext().watchWith(connection, new ConnectionLost(connection)); // a node's death sends no Detach
        version = a.version();
        persistent = a.persistent();
        expirySeconds = a.sessionExpirySeconds();
        expiresAtMillis = SessionRecord.NO_EXPIRY; // the client is back in time
        timers.cancel(new Expired());
        timers.cancel(new WillDelayEnded());
        pendingWill = null; // a new connection within the Will Delay Interval: no will [MQTT-3.1.3-9]
        exists = true;
        outbox.setMaxInflight(Math.min(limits.maxInflight(), a.receiveMaximum()));
        outbox.setMaxPacketSize(a.maxPacketSize()); // before resume: a re-sent PUBLISH must fit too
        connection.tell(new ConnectionProtocol.Attached(sessionPresent, inboundQos2, getContext().getSelf()));
        SharedMember.presence(clientId, subscriptions.keySet(), true, r -> topicOf(r.sharedFilter()).tell(r));
        send(outbox.resume());
        persist();
        return this;
    }

    private Behavior<Command> onDetach(Detach d) {
        if (!d.connection().equals(connection)) { // an old connection, already replaced
            d.connection().tell(new ConnectionProtocol.Detached(false));
            return this;
        }
        if (owner != null) return Relocation.returnHome(this, d); // a live session only lives while attached
        getContext().unwatch(connection);
        connection = null;
        inboundQos2 = d.inboundQos2();
        expirySeconds = d.sessionExpirySeconds(); // an MQTT 5 DISCONNECT may have changed it
        persistent = expirySeconds > 0;
        if (persistent) {
            SharedMember.presence(clientId, subscriptions.keySet(), false, r -> topicOf(r.sharedFilter()).tell(r));
            if (expirySeconds != Channel.NEVER_EXPIRES) {
                expiresAtMillis = System.currentTimeMillis() + expirySeconds * 1000;
                timers.startSingleTimer(new Expired(), Duration.ofSeconds(expirySeconds));
            }
            persist();
            d.connection().tell(new ConnectionProtocol.Detached(false));
            return this;
        }
        publishPendingWill(); // the session ends with the connection: the delay ends with it
        discardState();
        return endThenPassivate(d.connection());
    }

    /**
     * The session ended for good. Stopping at once would drop what is already in the mailbox (a
     * reconnecting client's Attach, sent as the old connection closed, would get no answer), so
     * the entity asks its shard to passivate it: the shard buffers new messages until the entity
     * has stopped, then starts a fresh one for them. Messages that reached us before the shard
     * began buffering are sent around again through sharding, to land in that buffer too.
     */
    private Behavior<Command> passivate() {
        shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
        return Behaviors.receive(Command.class)
                .onMessage(Stop.class, s -> Behaviors.stopped())
                // For the session that ended: a message racing its unsubscribe, its own bookkeeping.
                .onMessage(Deliver.class, m -> {
                    confirm(m);
                    SharedMember.send(clientId, m, this::redeliver);
                    return Behaviors.same();
                })
                .onMessage(Written.class, m -> Behaviors.same())
                .onMessage(SubscribesDone.class, m -> Behaviors.same())
                .onAnyMessage(m -> {
                    sharding.entityRefFor(TYPE_KEY, clientId).tell(m);
                    return Behaviors.same();
                })
                .build();
    }

    private void discardState() {
        for (String filter : subscriptions.keySet()) {
            topicOf(filter).tell(new TopicProtocol.Unsubscribe(clientId, filter));
        }
        subscriptions = Map.of();
        SharedMember.send(clientId, outbox.sharedToGiveBack(), this::redeliver); // 4.8.2
        outbox.clear();
        exists = false;
    }

    private Behavior<Command> onSubscribe(SubscribeRequest r) {
        Subscribe packet = r.packet();
        SubscribeRules.Granted g = SubscribeRules.grant(packet, subscriptions, limits.maxSubscriptions());
        if (!g.accepted().isEmpty()) subscriptions = g.subscriptions();
        Map<String, TopicProtocol.Options> granted = new HashMap<>(); // read by the gatherer, another actor
        for (Subscription s : g.accepted()) granted.put(s.topicFilter(), g.subscriptions().get(s.topicFilter()));
        boolean durable = persistent;
        ActorRef<Command> self = getContext().getSelf();
        getContext().spawnAnonymous(Gather.of(g.accepted(),
                (s, gatherer) -> topicOf(s.topicFilter()).tell(new TopicProtocol.Subscribe(clientId, s.topicFilter(),
                        granted.get(s.topicFilter()), durable, self, gatherer.narrow())),
                SUBSCRIBE_TIMEOUT,
                replies -> self.tell(new SubscribesDone(r.connection(), packet, g.codes(), g.isNew(), replies))));
        persist();
        return this;
    }

    private Behavior<Command> onSubscribesDone(SubscribesDone d) {
        Map<String, List<Message>> retained = new HashMap<>();
        for (Object reply : d.replies()) {
            if (reply instanceof TopicProtocol.Subscribed s) retained.put(s.filter(), s.retained());
        }
        List<ReasonCode> codes = new ArrayList<>(d.codes());
        List<Subscription> subs = d.packet().subscriptions();
        for (int i = 0; i < subs.size(); i++) {
            String filter = subs.get(i).topicFilter();
            if (!codes.get(i).isError() && !retained.containsKey(filter)) {
                codes.set(i, ReasonCode.UNSPECIFIED_ERROR); // the topic entity did not answer in time
                if (!subscriptions.isEmpty()) subscriptions.remove(filter);
                persist();
            }
        }
        if (!d.connection().equals(connection)) return this;
        List<Packet> out = new ArrayList<>();
        out.add(new SubAck(d.packet().packetId(), codes,
                SubscribeRules.refusalReason(subs, codes, limits.maxSubscriptions())));
        for (SubscribeRules.Retained m : SubscribeRules.retainedToSend(subs, retained, d.isNew(), subscriptions)) {
            out.addAll(outbox.offer(m.publish(), true, m.expiresAtMillis()));
        }
        connection.tell(new ConnectionProtocol.Send(out, true));
        return this;
    }

    private Behavior<Command> onUnsubscribe(UnsubscribeRequest r) {
        List<ReasonCode> codes = new ArrayList<>();
        for (String filter : r.packet().topicFilters()) {
            if (!subscriptions.isEmpty() && subscriptions.remove(filter) != null) {
                topicOf(filter).tell(new TopicProtocol.Unsubscribe(clientId, filter));
                codes.add(ReasonCode.SUCCESS);
            } else {
                codes.add(ReasonCode.NO_SUBSCRIPTION_EXISTED);
            }
        }
        // [MQTT-3.10.4-4] UNSUBACK even when nothing was subscribed
        send(List.of(new UnsubAck(r.packet().packetId(), codes, Properties.EMPTY)));
        persist();
        return this;
    }

    private Behavior<Command> onAcknowledge(Acknowledge a) {
        Packet ack = a.ack();
        if (ack instanceof PubAck p) send(outbox.onPubAck(p.packetId()));
        else if (ack instanceof PubRec p) send(outbox.onPubRec(p.packetId()));
        else if (ack instanceof PubComp p) send(outbox.onPubComp(p.packetId()));
        // Stored, so a node's death does not re-send what the client acknowledged (or, for
        // QoS 2, a PUBLISH it already received instead of its PUBREL).
        persist();
        return this;
    }

    private Behavior<Command> onDeliver(Deliver d) {
        if (connection == null && !persistent) { // a message racing our unsubscribe
            confirm(d);
            SharedMember.send(clientId, d, this::redeliver);
            return this;
        }
        TopicProtocol.Delivery delivery = d.delivery();
        // RETAIN is 0 when forwarding to an established subscription [MQTT-3.3.1-9], unless
        // the MQTT 5 subscriber asked for Retain As Published [MQTT-3.3.1-12].
        boolean retain = delivery.retainAsPublished() && d.message().retain() && version.isV5();
        long droppedBefore = outbox.dropped();
        long expiresAt = d.message().expiresAtMillis();
        SharedOrigin shared = delivery.shared().isEmpty() ? null
                : new SharedOrigin(delivery.shared(), d.message().qos(), expiresAt);
        long tooLargeBefore = outbox.tooLarge();
        send(outbox.offer(d.message().toPublish(delivery.qos(), retain, delivery.subscriptionIds()),
                connection != null, expiresAt, shared));
        if (outbox.tooLarge() > tooLargeBefore && tooLargeBefore % 1000 == 0) {
            getContext().getLog().warn("Client {}: {} messages discarded so far, larger than its Maximum Packet Size"
                    + " [MQTT-3.1.2-25]", clientId, outbox.tooLarge());
        }
        boolean queueDropped = outbox.dropped() > droppedBefore;
        if (queueDropped && droppedBefore % 1000 == 0) {
            getContext().getLog().warn("Client {}: {} messages dropped so far (QoS 0 while offline, or a full"
                    + " queue: {} queued, {} in flight)", clientId, outbox.dropped(), outbox.queued(), outbox.inflight());
        }
        // Discarded as too large: done with, as if delivered [MQTT-3.1.2-25]; nothing to store.
        boolean dropped = queueDropped || outbox.tooLarge() > tooLargeBefore;
        if (delivery.qos() > 0 && persistent && !dropped) {
            // Held in the record before the publisher hears: a SIGKILL of this node then loses nothing
            // the publisher was told is delivered. Writes coalesce: one in flight, the next takes the rest.
            if (d.confirmTo() != null) addUnconfirmed(d);
            persist();
        } else {
            confirm(d); // kept in memory only (not persistent), or dropped by the queue's limit
        }
        return this;
    }

    private void addUnconfirmed(Deliver d) {
        if (!(unconfirmed instanceof ArrayList)) unconfirmed = new ArrayList<>();
        unconfirmed.add(d);
    }

    private static void confirm(Deliver d) {
        if (d.confirmTo() != null) d.confirmTo().tell(new TopicProtocol.Confirmed(d.correlationId()));
    }

    private void send(List<Packet> packets) {
        if (!packets.isEmpty() && connection != null) connection.tell(new ConnectionProtocol.Send(packets));
    }

    private void redeliver(TopicProtocol.Redeliver r) {
        topicOf(r.sharedFilter()).tell(r);
    }

    private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<TopicProtocol.Command> topicOf(String filter) {
        return sharding.entityRefFor(TopicEntity.TYPE_KEY, TopicRoots.entityIdOfFilter(filter));
    }

    // Where a session runs (Relocation): what the hand-over between the entity and a live session uses.

    /** This node is shutting down (its connections are closed first, then sharding hands shards off). */
    private boolean leaving() {
        return org.apache.pekko.actor.CoordinatedShutdown.get(context.getSystem()).getShutdownReason().isPresent();
    }

    boolean isRemote(ActorRef<?> ref) {
        return ref.path().address().hasGlobalScope();
    }

    String clientId() {
        return clientId;
    }

    ActorContext<Command> context() {
        return context;
    }

    StashBuffer<Command> stash() {
        return stash;
    }

    TimerScheduler<Command> timers() {
        return timers;
    }

    /** The sharded entity a live session returns to; null in the entity. */
    EntityRef<Command> owner() {
        return owner;
    }

    ActorRef<ConnectionProtocol.Command> connection() {
        return connection;
    }

    /** The messages a hand-over passes on: the protocol's, not this instance's own bookkeeping. */
    static boolean passedOn(Command m) {
        return m instanceof Deliver || m instanceof Acknowledge || m instanceof Attach || m instanceof Detach
                || m instanceof SubscribeRequest || m instanceof UnsubscribeRequest || m instanceof PublishWillLater
                || m instanceof Returned || m instanceof Resubscribe;
    }

    SessionImage image() {
        return new SessionImage(record(), stored.revision(), exists, persistent, connection, outbox.maxInflight(),
                outbox.maxPacketSize(), pendingWill, willAtMillis);
    }

    /** Takes the session as {@code image} holds it, in place of whatever this instance held. */
    void restoreImage(SessionImage image) {
        timers.cancelAll();
        stored.continueAt(image.revision());
        exists = image.exists();
        persistent = image.persistent();
        takeRecord(image.record());
        outbox.setMaxInflight(image.maxInflight());
        outbox.setMaxPacketSize(image.maxPacketSize());
        if (connection != null) context.unwatch(connection);
        connection = image.connection();
        if (connection != null) context.watchWith(connection, new ConnectionLost(connection));
        pendingWill = image.pendingWill();
        willAtMillis = image.willAtMillis();
        long now = System.currentTimeMillis();
        if (pendingWill != null) {
            timers.startSingleTimer(new WillDelayEnded(), Duration.ofMillis(Math.max(0, willAtMillis - now)));
        }
        if (connection == null && expiresAtMillis != SessionRecord.NO_EXPIRY) {
            timers.startSingleTimer(new Expired(), Duration.ofMillis(Math.max(0, expiresAtMillis - now)));
        }
    }

    /** The entity handed the session over: it keeps nothing of it (the live session has it all). */
    void clearForAway() {
        timers.cancelAll();
        if (connection != null) context.unwatch(connection);
        connection = null;
        subscriptions = Map.of();
        outbox.clear();
        inboundQos2 = List.of();
        pendingWill = null;
        exists = false;
        persistent = false;
        expiresAtMillis = SessionRecord.NO_EXPIRY;
    }

    /** The hand-over did not happen: the entity serves the session again, and watches its connection. */
    void resumeHome() {
        if (connection != null) context.watchWith(connection, new ConnectionLost(connection));
    }

    /** Tells the topic entities of this session's subscriptions to deliver here. */
    void announce() {
        announce(context.getSelf(), null);
    }

    /**
     * Tells the topic entities of this session's subscriptions to deliver to {@code at}; each
     * tells {@code noted} (or no one) when it has. Returns how many were told.
     */
    int announce(ActorRef<Command> at, ActorRef<Command> noted) {
        Set<String> roots = roots();
        for (String root : roots) {
            sharding.entityRefFor(TopicEntity.TYPE_KEY, root).tell(new TopicProtocol.SessionAt(clientId, at, noted));
        }
        return roots.size();
    }

    /** The topic entities that hold this session's subscriptions. */
    Set<String> roots() {
        Set<String> roots = new HashSet<>();
        for (String filter : subscriptions.keySet()) roots.add(TopicRoots.entityIdOfFilter(filter));
        return roots;
    }

    /** The live session named in {@code result}'s record, unless it is one known stopped (entity only). */
    private ActorRef<Command> liveNamedIn(GetObjectResult<SessionRecord> result) {
        if (owner != null) return null;
        ActorRef<Command> live = result.value().map(SessionRecord::liveAt).orElse(null);
        return live == null || live.equals(deadLive) ? null : live;
    }

    /** The live session stopped without returning the session (its node died): restore it from its record. */
    Behavior<Command> reloadAfter(ActorRef<Command> dead) {
        deadLive = dead;
        context.getLog().info("Session {}: its live session {} stopped without handing it back; restoring it from"
                + " its stored record", clientId, dead.path());
        context.pipeToSelf(stored.load(), Loaded::new);
        return loading(stash);
    }

    /** Everything this instance stored has been stored (or failed): the state may move. */
    private record Settled() implements Command {
    }

    /**
     * Waits (holding other messages back) until no write or delete of the record is in flight, so
     * whoever takes the session next writes after it, then becomes what {@code then} gives.
     */
    Behavior<Command> settleThen(Supplier<Behavior<Command>> then) {
        context.pipeToSelf(stored.settled(), (ok, e) -> new Settled());
        return Behaviors.receive(Command.class)
                .onMessage(Written.class, w -> {
                    onWritten(w);
                    return Behaviors.same();
                })
                .onMessage(Settled.class, x -> {
                    if (!stored.writing()) return then.get();
                    context.pipeToSelf(stored.settled(), (ok, e) -> new Settled());
                    return Behaviors.same();
                })
                .onAnyMessage(m -> {
                    stash.stash(m);
                    return Behaviors.same();
                })
                .build();
    }
}
