package org.swarmmq.actors.connection;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.util.ByteString;
import org.swarmmq.actors.BrokerSettings;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.connection.ConnectionProtocol.*;
import org.swarmmq.actors.session.SessionEntity;
import org.swarmmq.actors.session.SessionProtocol;
import org.swarmmq.actors.topic.Router;
import org.swarmmq.actors.topic.TopicProtocol;
import org.swarmmq.protocol.channel.Channel;
import org.swarmmq.protocol.channel.ChannelEffect;
import org.swarmmq.protocol.codec.PacketEncoder;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.Will;

/**
 * One per TCP connection: carries out what its {@link Channel} (the connection's protocol rules,
 * pure) decides. It owns the socket's two streams, the timers, the way to the session and the
 * routing of what the client publishes. Inbound packets arrive one at a time (each acknowledged to
 * the stream); outbound packets leave in batches, one batch in flight to the socket at a time, so a
 * slow reader backs up into a bounded buffer here.
 */
public final class ConnectionActor extends AbstractBehavior<Command> {
    private record KeepAliveCheck() implements Command {
    }

    private record ConnectTimedOut() implements Command {
    }

    private record RouteReplied(TopicProtocol.RouteReply reply) implements Command {
    }

    private record RouteRetryCheck() implements Command {
    }

    private record SessionStopped() implements Command {
    }

    /** Sent to ourselves by the listener with the outbound source's ref, before anything else. */
    record OutboundAttached(ActorRef<Object> out) implements Command {
    }

    /** Completion element for the outbound source: close after what was written. */
    static final Object END_OF_OUTPUT = new Object();
    /** Failure element for the outbound source: close the socket now (we are stopping). */
    static final Object ABORT_OUTPUT = new Object();
    /** Bytes of payload gathered into one write at most (one packet always goes, whatever its size). */
    private static final long MAX_WRITE_BYTES = 16L << 20;

    private final BrokerSettings settings;
    private final TimerScheduler<Command> timers;
    private final ClusterSharding sharding;
    private final Router router;
    private final String remote;
    private final Channel channel;
    private final ActorRef<TopicProtocol.RouteReply> routeReplies;
    /** QoS 1/2 publishes not yet safe to acknowledge: routed, and stored by every persistent session. */
    private final RouteTracker<Message, Long> routes = new RouteTracker<>();
    private ActorRef<Object> out;
    private ActorRef<Ack> inboundAck;
    /** The session: its EntityRef until it answers Attach, then the entity itself (watched). */
    private RecipientRef<SessionProtocol.Command> session;
    private final ArrayDeque<Packet> outbound = new ArrayDeque<>();
    private boolean outboundReady = true;
    /** A Detach was told and its Detached has not come: the socket stays open until it does (or 5 s). */
    private boolean awaitingDetached;
    private long droppedQos0;

    private ConnectionActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, BrokerSettings settings,
                            Router router, String remote) {
        super(ctx);
        // Pekko names an actor's logger after the class it finds on the stack at the first log
        // call; from a timer message (keep alive, connect timeout) that is a Pekko class, whose
        // level is WARN, so those closes went unlogged. Name it once, here.
        ctx.setLoggerName(ConnectionActor.class);
        this.settings = settings;
        this.timers = timers;
        this.sharding = ClusterSharding.get(ctx.getSystem());
        this.router = router;
        this.remote = remote;
        this.channel = new Channel(new Channel.Settings(settings.maxPacketSize(), settings.connectTimeout().toSeconds(),
                settings.topicAliasMaximum(), settings.receiveMaximum(), settings.maxKeepAliveSeconds()), System.nanoTime());
        this.routeReplies = ctx.messageAdapter(TopicProtocol.RouteReply.class, RouteReplied::new);
        timers.startSingleTimer(new ConnectTimedOut(), settings.connectTimeout());
    }

    public static Behavior<Command> create(BrokerSettings settings, Router router, String remote) {
        return Behaviors.withStash(10_000, stash -> Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                Behaviors.receive(Command.class)
                        .onMessage(OutboundAttached.class, m -> {
                            ConnectionActor actor = new ConnectionActor(ctx, timers, settings, router, remote);
                            actor.out = m.out();
                            return stash.unstashAll(actor);
                        })
                        .onAnyMessage(m -> {
                            stash.stash(m);
                            return Behaviors.same();
                        })
                        .build())));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(StreamStarted.class, m -> {
                    inboundAck = m.ackTo();
                    inboundAck.tell(Ack.INSTANCE);
                    return this;
                })
                .onMessage(Received.class, this::onReceived)
                .onMessage(StreamEnded.class, m -> endOfStream("connection closed by client"))
                .onMessage(StreamFailed.class, m -> endOfStream("socket error: " + m.cause().getMessage()))
                .onMessage(OutboundReady.class, m -> {
                    outboundReady = true;
                    flush();
                    return this;
                })
                .onMessage(Attached.class, m -> {
                    if (channel.closing() || channel.connected()) return this;
                    session = m.session();
                    getContext().watchWith(m.session(), new SessionStopped());
                    Behavior<Command> next = apply(channel.attached(m.sessionPresent(), m.inboundQos2()));
                    inboundAck.tell(Ack.INSTANCE); // CONNACK sent: the next packet may come
                    return next;
                })
                .onMessage(Send.class, m -> {
                    for (Packet p : m.packets()) enqueue(p);
                    flush();
                    return this;
                })
                .onMessage(Close.class, m -> apply(m.reason() == org.swarmmq.protocol.packets.ReasonCode.SERVER_SHUTTING_DOWN
                        ? channel.serverShuttingDown() : channel.takenOver()))
                .onMessage(SessionStopped.class, m -> apply(channel.sessionStopped()))
                .onMessage(RouteReplied.class, m -> {
                    Long token = m.reply() instanceof TopicProtocol.Routed r
                            ? routes.routed(r.correlationId(), r.confirmations())
                            : routes.confirmed(m.reply().correlationId());
                    return token == null ? this : apply(channel.routed(token));
                })
                .onMessage(RouteRetryCheck.class, m -> {
                    var retries = routes.overdue(System.nanoTime(), settings.routeRetryAfter().toNanos());
                    if (!retries.isEmpty()) {
                        getContext().getLog().warn("Client {}: {} messages not confirmed within {} ms; routing them again",
                                channel.clientId(), retries.size(), settings.routeRetryAfter().toMillis());
                    }
                    for (var r : retries) router.route(r.message(), routeReplies, r.correlationId());
                    if (routes.isEmpty()) timers.cancel(RouteRetryCheck.class);
                    return this;
                })
                .onMessage(KeepAliveCheck.class, m -> apply(channel.keepAliveCheck(System.nanoTime())))
                .onMessage(ConnectTimedOut.class, m -> apply(channel.connectTimedOut()))
                .onSignal(PostStop.class, s -> abortOutput())
                .build();
    }

    private Behavior<Command> onReceived(Received r) {
        if (channel.closing()) return this;
        if (r.element() instanceof Violation v) return apply(channel.violation(v.error()));
        Packet p = (Packet) r.element();
        if (settings.verbose()) getContext().getLog().info(PacketLog.received(p, who()));
        Behavior<Command> next = apply(channel.handle(p, System.nanoTime()));
        if (!channel.closing() && channel.connected()) inboundAck.tell(Ack.INSTANCE); // until CONNACK, hold back
        return next;
    }

    private Behavior<Command> endOfStream(String why) {
        apply(channel.streamEnded(why));
        return Behaviors.stopped();
    }

    /** Carries out the channel's effects in order; the behavior after them. */
    private Behavior<Command> apply(List<ChannelEffect> effects) {
        Behavior<Command> next = this;
        for (ChannelEffect e : effects) {
            if (e instanceof ChannelEffect.Send s) {
                enqueue(s.packet());
            } else if (e instanceof ChannelEffect.Route r) {
                route(r);
            } else if (e instanceof ChannelEffect.Attach a) {
                timers.cancel(ConnectTimedOut.class);
                var entity = sharding.entityRefFor(SessionEntity.TYPE_KEY, a.clientId());
                session = entity;
                entity.tell(new SessionProtocol.Attach(getContext().getSelf(), a.version(), a.cleanStart(),
                        a.sessionExpirySeconds(), a.receiveMaximum()));
            } else if (e instanceof ChannelEffect.ToSession t) {
                session.tell(toSession(t.packet()));
            } else if (e instanceof ChannelEffect.StartKeepAlive k) {
                timers.startTimerWithFixedDelay(new KeepAliveCheck(), Duration.ofNanos(k.everyNanos()));
            } else if (e instanceof ChannelEffect.PublishWill w) {
                Message will = willMessage(w.will());
                if (w.delaySeconds() > 0 && session != null) {
                    session.tell(new SessionProtocol.PublishWillLater(getContext().getSelf(), will, w.delaySeconds()));
                } else {
                    router.route(will, null, 0);
                }
            } else if (e instanceof ChannelEffect.Detach d) {
                if (session != null) session.tell(new SessionProtocol.Detach(getContext().getSelf(), d.inboundQos2(),
                        d.sessionExpirySeconds()));
                awaitingDetached = session != null;
                session = null;
            } else if (e instanceof ChannelEffect.Close c) {
                next = closing(c.why());
            }
        }
        flush();
        return next;
    }

    private SessionProtocol.Command toSession(Packet p) {
        ActorRef<Command> self = getContext().getSelf();
        return switch (p.type()) {
            case SUBSCRIBE -> new SessionProtocol.SubscribeRequest(self, (org.swarmmq.protocol.packets.Subscribe) p);
            case UNSUBSCRIBE -> new SessionProtocol.UnsubscribeRequest(self, (org.swarmmq.protocol.packets.Unsubscribe) p);
            default -> new SessionProtocol.Acknowledge(self, p);
        };
    }

    /** The ack of a QoS 1/2 message waits until it is routed and stored ({@link RouteTracker}). */
    private void route(ChannelEffect.Route r) {
        Message m = Message.of(r.publish(), channel.clientId(), System.currentTimeMillis());
        if (r.token() == 0) {
            router.route(m, null, 0);
            return;
        }
        long id = routes.start(m, r.token(), System.nanoTime());
        router.route(m, routeReplies, id);
        if (!timers.isTimerActive(RouteRetryCheck.class)) {
            timers.startTimerWithFixedDelay(RouteRetryCheck.class, new RouteRetryCheck(),
                    settings.routeRetryAfter().dividedBy(2));
        }
    }

    private Message willMessage(Will w) {
        return new Message(w.topic(), w.payload(), w.qos(), w.retain(),
                w.properties().without(org.swarmmq.protocol.packets.PropertyId.WILL_DELAY_INTERVAL), channel.clientId(),
                System.currentTimeMillis());
    }

    private String who() {
        return channel.clientId() == null ? remote : channel.clientId();
    }

    private void enqueue(Packet p) {
        if (p instanceof Publish pub && pub.qos() == 0 && outbound.size() >= settings.outboundBufferPackets()) {
            // A slow reader: QoS 0 is dropped rather than buffered without bound.
            if (droppedQos0++ % 1000 == 0) {
                getContext().getLog().warn("Client {} too slow: dropped {} QoS 0 messages so far", who(), droppedQos0);
            }
            return;
        }
        outbound.add(p);
    }

    /**
     * Encodes what is waiting into one write, if the socket took the previous one: packets in
     * order, up to {@link #MAX_WRITE_BYTES}; the rest waits for the next acknowledgement.
     */
    private void flush() {
        if (!outboundReady || outbound.isEmpty() || out == null) return;
        List<Packet> batch = new ArrayList<>(Math.min(outbound.size(), 256));
        long bytes = 0;
        while (!outbound.isEmpty() && (batch.isEmpty() || bytes < MAX_WRITE_BYTES)) {
            Packet p = outbound.poll();
            if (p instanceof Publish pub) bytes += pub.payload().length();
            if (settings.verbose()) getContext().getLog().info(PacketLog.sending(p, who()));
            batch.add(p);
        }
        outboundReady = false;
        out.tell(ByteString.fromArrayUnsafe(PacketEncoder.encode(batch, channel.version())));
    }

    /** The channel closed: log why, let what is queued drain, then end the output and stop. */
    private Behavior<Command> closing(String why) {
        getContext().getLog().info("Client {} ({}) closed: {}",
                channel.clientId() == null ? "<unknown>" : channel.clientId(), remote, why);
        flush();
        timers.cancelAll();
        // flush() sent what was pending if the socket was free; otherwise the next OutboundReady
        // sends it. The end of output may only follow an acknowledgement of the last write.
        if (out != null && outboundReady && outbound.isEmpty() && !awaitingDetached) out.tell(END_OF_OUTPUT);
        // Give the socket a moment to drain what is queued; the stream's end stops us.
        timers.startSingleTimer(new ConnectTimedOut(), Duration.ofSeconds(5));
        return Behaviors.receive(Command.class)
                .onMessage(OutboundReady.class, m -> {
                    outboundReady = true;
                    if (!outbound.isEmpty()) flush();
                    else if (!awaitingDetached) out.tell(END_OF_OUTPUT);
                    return Behaviors.same();
                })
                .onMessage(Detached.class, m -> {
                    awaitingDetached = false;
                    if (out != null && outboundReady && outbound.isEmpty()) out.tell(END_OF_OUTPUT);
                    return Behaviors.same();
                })
                .onMessage(StreamEnded.class, m -> Behaviors.stopped())
                .onMessage(StreamFailed.class, m -> Behaviors.stopped())
                .onMessage(ConnectTimedOut.class, m -> Behaviors.stopped())
                .onAnyMessage(m -> Behaviors.same())
                .onSignal(PostStop.class, s -> abortOutput())
                .build();
    }

    /** However we stop, the socket must not outlive us: a no-op if the output already ended. */
    private Behavior<Command> abortOutput() {
        if (out != null) out.tell(ABORT_OUTPUT);
        return Behaviors.same();
    }
}
