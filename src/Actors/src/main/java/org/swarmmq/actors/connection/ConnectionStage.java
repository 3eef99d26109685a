package org.swarmmq.actors.connection;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.Terminated;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.GraphStageLogic.StageActor;
import org.apache.pekko.stream.stage.InHandler;
import org.apache.pekko.stream.stage.OutHandler;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.swarmmq.actors.BrokerSettings;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.connection.ConnectionProtocol.*;
import org.swarmmq.actors.session.SessionEntity;
import org.swarmmq.actors.session.SessionProtocol;
import org.swarmmq.actors.topic.Router;
import org.swarmmq.actors.topic.TopicProtocol;
import org.swarmmq.protocol.channel.Channel;
import org.swarmmq.protocol.channel.ChannelEffect;
import org.swarmmq.protocol.channel.ClientLimits;
import org.swarmmq.protocol.channel.OutboundPackets;
import org.swarmmq.protocol.codec.PacketEncoder;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Unsubscribe;
import org.swarmmq.protocol.packets.Will;

/**
 * One MQTT connection, as the stream stage on the socket: it carries out what its {@link Channel}
 * (the connection's rules, pure) decides. Bytes are decoded ({@link Decoder}) into packets handed
 * to the channel one at a time, only while it may take them (not between CONNECT and CONNACK);
 * meanwhile they wait as frames, and the socket is read only while no whole packet waits;
 * what goes out is encoded in batches, one batch per pull of the socket, so a slow reader backs
 * up into a bounded buffer here. The session and the topic entities talk to the stage's actor
 * ({@code getStageActor}): no actor of its own, so a connection costs one stream interpreter
 * and no extra hand-off between the socket and the connection's rules (docs/perf-notes.md).
 */
public final class ConnectionStage extends GraphStage<FlowShape<ByteString, ByteString>> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionStage.class);
    /** Bytes of payload gathered into one write at most (one packet always goes, whatever its size). */
    private static final long MAX_WRITE_BYTES = 16L << 20;
    /** How long a closing connection may take to write what is queued (and hear Detached) before the socket is dropped. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    // The stage's timers (StageTimers keys).
    private static final int CONNECT_TIMEOUT = 0;
    private static final int KEEP_ALIVE = 1;
    private static final int ROUTE_RETRY = 2;
    private static final int AUTH_TIMEOUT = 3;
    private static final int ATTACH_RETRY = 4;
    private static final int DRAIN = 5;

    private final Inlet<ByteString> in = Inlet.create("ConnectionStage.in");
    private final Outlet<ByteString> out = Outlet.create("ConnectionStage.out");
    private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
    private final BrokerSettings settings;
    /** The channel's settings, one instance for all of a listener's connections. */
    private final Channel.Settings channelSettings;
    private final Router router;
    /** The client's address, the socket's own (formatted only for a log line). */
    private final InetSocketAddress remote;
    private final Connections connections;

    /** {@code connections}: the node's open connections; this one is in it while its stage runs. */
    public ConnectionStage(BrokerSettings settings, Channel.Settings channelSettings, Router router,
                           InetSocketAddress remote, Connections connections) {
        this.settings = settings;
        this.channelSettings = channelSettings;
        this.router = router;
        this.remote = remote;
        this.connections = connections;
    }

    @Override
    public FlowShape<ByteString, ByteString> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new Logic();
    }

    private final class Logic extends GraphStageLogic implements InHandler, OutHandler {
        private final StageTimers timers = new StageTimers(6);
        private final Channel channel = new Channel(channelSettings, settings.authentication(), System.nanoTime());
        /** QoS 1/2 publishes not yet safe to acknowledge: routed, and stored by every persistent session. */
        private RouteTracker<Message, Long> routes; // see routes()
        private final Outbound outbound = new Outbound(settings.outboundBufferPackets());
        private final Decoder decoder = new Decoder(settings.maxPacketSize());
        /** Decoded and not yet taken by the channel (a Packet or a Violation), or null. */
        private Object pending;
        /** The client's side of the socket ended: once what came before is handled, so does the stream. */
        private boolean inputEnded;
        private ClusterSharding sharding;
        /** This stage's actor, as the session and the topic entities see it. */
        private ActorRef<Command> self;
        private ActorRef<TopicProtocol.RouteReply> routeReplies;
        /** The session: its EntityRef until it answers Attach, then the entity itself (watched). */
        private RecipientRef<SessionProtocol.Command> session;
        private org.apache.pekko.actor.ActorRef watchedSession;
        private StageActor stageActor;
        /** A Detach was told and its Detached has not come: the socket stays open until it does (or 5 s). */
        private boolean awaitingDetached;
        /** Retained QoS 0 publishes awaiting their store; made by the first. */
        private RetainedInFlight retainedQos0;
        /** The Attach sent, until the session answers: sent again if its shard was on a node that died. */
        private SessionProtocol.Attach attach;

        Logic() {
            super(shape);
            setHandlers(in, out, this); // the logic is its own handlers: no two more objects per connection
        }

        @Override
        public void onPush() {
            ByteString chunk = grab(in);
            connections.traffic().bytesReceived(chunk.size());
            decoder.feed(chunk);
            readPackets();
        }

        @Override
        public void onUpstreamFinish() {
            inputEnded = true;
            readPackets();
        }

        @Override
        public void onUpstreamFailure(Throwable e) {
            endOfStream("socket error: " + e.getMessage());
        }

        @Override
        public void onPull() {
            flush();
            completeIfDone();
        }

        @Override
        public void onDownstreamFinish(Throwable cause) {
            endOfStream("socket closed");
        }

        @Override
        @SuppressWarnings("unchecked")
        public void preStart() {
            sharding = ClusterSharding.get(Adapter.toTyped(materializer().system()));
            stageActor = getStageActor(envelope -> {
                onMessage(envelope._2());
                return scala.runtime.BoxedUnit.UNIT;
            });
            self = Adapter.toTyped(stageActor.ref());
            routeReplies = (ActorRef<TopicProtocol.RouteReply>) (ActorRef<?>) self;
            timers.start(stageActor.ref(), materializer());
            timers.scheduleOnce(CONNECT_TIMEOUT, settings.connectTimeout());
            connections.opened(self);
            pull(in);
        }

        @Override
        public void postStop() {
            timers.cancelAll();
            connections.closed(self);
        }

        /**
         * Hands the channel what has arrived, one packet at a time while it may take them: the
         * CONNECT, then nothing until CONNACK (but an AUTH exchange before it needs the client's
         * next AUTH). The socket is read on only while no decoded packet waits.
         */
        private void readPackets() {
            while (true) {
                if (pending == null) pending = decoder.next();
                if (pending == null || channel.closing() || !channelTakesPackets()
                        || (retainedQos0 != null && retainedQos0.full())) break;
                Object element = pending;
                pending = null;
                onElement(element);
            }
            if (pending != null || isClosed(in)) {
                if (pending == null && inputEnded) endOfStream("connection closed by client");
                return;
            }
            if (!hasBeenPulled(in)) pull(in);
        }

        private boolean channelTakesPackets() {
            return channel.version() == null || channel.connected() || channel.authenticating();
        }

        private void onElement(Object element) {
            if (element instanceof Violation v) {
                apply(channel.violation(v.error()));
                return;
            }
            Packet p = (Packet) element;
            connections.traffic().received(p instanceof Publish);
            if (settings.verbose()) LOG.info(PacketLog.received(p, who()));
            apply(channel.handle(p, System.nanoTime()));
        }

        private void endOfStream(String why) {
            apply(channel.streamEnded(why)); // nothing if the channel closed already
            completeStage(); // the socket is gone: nothing queued can be written any more
        }

        /** What the session, the topic entities, death watch and the timers send to the stage's actor. */
        private void onMessage(Object m) {
            if (m instanceof StageTimers.Tick t) {
                int key = timers.fired(t);
                if (key >= 0) onTimer(key);
                return;
            }
            if (m instanceof Detached) {
                awaitingDetached = false;
                completeIfDone();
                return;
            }
            if (channel.closing()) return;
            if (m instanceof TopicProtocol.RouteReply reply && RetainedInFlight.isOurs(reply.correlationId())) {
                retainedQos0.routed(reply.correlationId());
                readPackets();
            } else if (m instanceof TopicProtocol.RouteReply reply) {
                var done = reply instanceof TopicProtocol.Routed r
                        ? routes().routed(r.correlationId(), r.confirmations(), r.matched())
                        : routes().confirmedDone(reply.correlationId());
                if (done != null) apply(channel.routed(done.token(), done.matched() == 0));
            } else if (m instanceof Send s) {
                if (s.retained()) outbound.offerAll(s.packets()); // a subscription's retained messages: all, QoS 0 too
                else for (Packet p : s.packets()) enqueue(p);
                flush();
            } else if (m instanceof Attached a) {
                if (channel.connected()) { // the session moved (its entity was stopped by a rebalance)
                    if (!a.session().equals(session)) {
                        stageActor.unwatch(watchedSession);
                        session = a.session();
                        watchedSession = Adapter.toClassic(a.session());
                        stageActor.watch(watchedSession);
                    }
                    return;
                }
                timers.cancel(ATTACH_RETRY);
                attach = null;
                session = a.session();
                watchedSession = Adapter.toClassic(a.session());
                stageActor.watch(watchedSession);
                apply(channel.attached(a.sessionPresent(), a.inboundQos2(), System.nanoTime()));
                readPackets(); // CONNACK sent: the next packet may come
            } else if (m instanceof Close c) {
                apply(c.reason() == ReasonCode.SERVER_SHUTTING_DOWN ? channel.serverShuttingDown() : channel.takenOver());
            } else if (m instanceof Terminated t && t.actor().equals(watchedSession)) {
                apply(channel.sessionStopped());
            }
        }

        private void onTimer(int key) {
            if (key == DRAIN) {
                failStage(new IllegalStateException("closed connection did not drain within " + DRAIN_TIMEOUT));
                return;
            }
            if (channel.closing()) return;
            if (key == KEEP_ALIVE) {
                apply(channel.keepAliveCheck(System.nanoTime()));
            } else if (key == CONNECT_TIMEOUT) {
                apply(channel.connectTimedOut());
            } else if (key == ROUTE_RETRY) {
                retryRoutes();
            } else if (key == ATTACH_RETRY) {
                // Sent to a shard on a node that died before the split brain resolver downed it, an
                // Attach is lost; sharding finds the session's new home for the one sent again.
                if (attach == null || channel.connected()) {
                    timers.cancel(ATTACH_RETRY);
                } else {
                    LOG.warn("Client {}: no answer from its session within {} ms; attaching again",
                            channel.clientId(), settings.routeRetryAfter().toMillis());
                    sharding.entityRefFor(SessionEntity.TYPE_KEY, channel.clientId()).tell(attach);
                }
            } else if (key == AUTH_TIMEOUT) {
                apply(channel.authTimeoutCheck(System.nanoTime()));
            }
        }

        private void retryRoutes() {
            var retries = routes().overdue(System.nanoTime(), settings.routeRetryAfter().toNanos());
            if (!retries.isEmpty()) {
                LOG.warn("Client {}: {} messages not confirmed within {} ms; routing them again",
                        channel.clientId(), retries.size(), settings.routeRetryAfter().toMillis());
            }
            for (var r : retries) router.route(r.message(), routeReplies, r.correlationId());
            if (retainedQos0 != null) {
                retainedQos0.expire(System.nanoTime(), settings.routeRetryAfter().toNanos());
                readPackets();
            }
            if (routes().isEmpty() && (retainedQos0 == null || retainedQos0.isEmpty())) timers.cancel(ROUTE_RETRY);
        }

        /** Carries out the channel's effects in order. */
        private void apply(List<ChannelEffect> effects) {
            String closeWhy = null;
            for (ChannelEffect e : effects) {
                if (e instanceof ChannelEffect.Send s) {
                    enqueue(s.packet());
                } else if (e instanceof ChannelEffect.Route r) {
                    route(r);
                } else if (e instanceof ChannelEffect.Attach a) {
                    timers.cancel(CONNECT_TIMEOUT);
                    if (channel.user() != null) LOG.info("Client {} authenticated as {}", a.clientId(), channel.user());
                    ClientLimits limits = channel.clientLimits();
                    if (!settings.outboundTopicAliases()) {
                        limits = new ClientLimits(limits.maxPacketSize(), 0, limits.problemInformation());
                    }
                    // MQTT 3 has no limits on what we send: no rules to keep for it
                    if (channel.version().isV5()) outbound.rules(new OutboundPackets(channel.version(), limits));
                    var entity = sharding.entityRefFor(SessionEntity.TYPE_KEY, a.clientId());
                    session = entity;
                    attach = new SessionProtocol.Attach(self, a.version(), a.cleanStart(),
                            a.sessionExpirySeconds(), a.receiveMaximum(), a.maxPacketSize());
                    entity.tell(attach);
                    Duration every = settings.routeRetryAfter();
                    timers.scheduleWithFixedDelay(ATTACH_RETRY, every, every);
                } else if (e instanceof ChannelEffect.ToSession t) {
                    session.tell(toSession(t.packet()));
                } else if (e instanceof ChannelEffect.StartAuthTimer t) {
                    timers.scheduleOnce(AUTH_TIMEOUT, Duration.ofNanos(t.afterNanos()));
                } else if (e instanceof ChannelEffect.StartKeepAlive k) {
                    Duration every = Duration.ofNanos(k.everyNanos());
                    timers.scheduleWithFixedDelay(KEEP_ALIVE, every, every);
                } else if (e instanceof ChannelEffect.PublishWill w) {
                    Message will = willMessage(w.will());
                    if (w.delaySeconds() > 0 && session != null) {
                        session.tell(new SessionProtocol.PublishWillLater(self, will, w.delaySeconds()));
                    } else {
                        router.route(will, null, 0);
                    }
                } else if (e instanceof ChannelEffect.Detach d) {
                    if (session != null) {
                        session.tell(new SessionProtocol.Detach(self, d.inboundQos2(), d.sessionExpirySeconds()));
                    }
                    awaitingDetached = session != null;
                    session = null;
                } else if (e instanceof ChannelEffect.Close c) {
                    closeWhy = c.why();
                }
            }
            flush();
            if (closeWhy != null) close(closeWhy);
        }

        private SessionProtocol.Command toSession(Packet p) {
            return switch (p.type()) {
                case SUBSCRIBE -> new SessionProtocol.SubscribeRequest(self, (Subscribe) p);
                case UNSUBSCRIBE -> new SessionProtocol.UnsubscribeRequest(self, (Unsubscribe) p);
                default -> new SessionProtocol.Acknowledge(self, p);
            };
        }

        /** The ack of a QoS 1/2 message waits until it is routed and stored ({@link RouteTracker}). */
        private void route(ChannelEffect.Route r) {
            Message m = Message.of(r.publish(), channel.clientId(), System.currentTimeMillis());
            if (r.token() == 0 && !m.retain()) {
                router.route(m, null, 0);
                return;
            }
            if (r.token() == 0) {
                if (retainedQos0 == null) retainedQos0 = new RetainedInFlight();
                router.route(m, routeReplies, retainedQos0.start(System.nanoTime())); // see RetainedInFlight
            } else {
                router.route(m, routeReplies, routes().start(m, r.token(), System.nanoTime()));
            }
            if (!timers.isActive(ROUTE_RETRY)) {
                Duration every = settings.routeRetryAfter().dividedBy(2);
                timers.scheduleWithFixedDelay(ROUTE_RETRY, every, every);
            }
        }

        /** Made by the first QoS 1/2 PUBLISH: an idle connection has none. */
        private RouteTracker<Message, Long> routes() {
            if (routes == null) routes = new RouteTracker<>();
            return routes;
        }

        private Message willMessage(Will w) {
            return new Message(w.topic(), w.payload(), w.qos(), w.retain(),
                    w.properties().without(PropertyId.WILL_DELAY_INTERVAL), channel.clientId(),
                    System.currentTimeMillis());
        }

        private String who() {
            return channel.clientId() == null ? remote() : channel.clientId();
        }

        private String remote() {
            return remote.getHostString() + ":" + remote.getPort();
        }

        private void enqueue(Packet p) {
            if (!outbound.offer(p) && outbound.droppedQos0() % 1000 == 1) {
                // A slow reader: QoS 0 is dropped rather than buffered without bound.
                LOG.warn("Client {} too slow: dropped {} QoS 0 messages so far", who(), outbound.droppedQos0());
            }
        }

        /**
         * Encodes what is waiting into one write, if the socket asked for one: packets in order,
         * up to {@link #MAX_WRITE_BYTES}; the rest waits for the next pull.
         */
        private void flush() {
            if (outbound.isEmpty() || !isAvailable(out)) return;
            // The session discards PUBLISHes too large beforehand [MQTT-3.1.2-25]: a bug if one is refused here.
            List<Packet> batch = outbound.nextBatch(MAX_WRITE_BYTES, p -> LOG.warn(
                    "Client {}: {} not sent, larger than the client's Maximum Packet Size of {} [MQTT-3.1.2-24]",
                    who(), p.type(), channel.clientLimits().maxPacketSize()));
            if (batch.isEmpty()) return;
            for (Packet p : batch) {
                if (settings.verbose()) LOG.info(PacketLog.sending(p, who()));
                connections.traffic().sent(p instanceof Publish);
            }
            byte[] encoded = PacketEncoder.encode(batch, channel.version());
            connections.traffic().bytesSent(encoded.length);
            push(out, ByteString.fromArrayUnsafe(encoded));
        }

        /** The channel closed: log why, let what is queued drain (for a while), then end the socket. */
        private void close(String why) {
            LOG.info("Client {} ({}) closed: {}", channel.clientId() == null ? "<unknown>" : channel.clientId(),
                    remote(), why);
            timers.cancelAll();
            timers.scheduleOnce(DRAIN, DRAIN_TIMEOUT);
            completeIfDone();
        }

        /**
         * A closed connection ends its socket once what is queued is written and its session has
         * answered the Detach: a client that reconnects (on another node, too) as soon as it sees the
         * close then finds the session as its DISCONNECT left it.
         */
        private void completeIfDone() {
            if (channel.closing() && outbound.isEmpty() && !awaitingDetached) completeStage();
        }
    }
}
