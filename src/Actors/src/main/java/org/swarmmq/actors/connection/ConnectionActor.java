package org.swarmmq.actors.connection;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.util.ByteString;
import org.swarmmq.actors.BrokerSettings;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.connection.ConnectionProtocol.*;
import org.swarmmq.actors.session.SessionEntity;
import org.swarmmq.actors.session.SessionProtocol;
import org.swarmmq.actors.topic.Router;
import org.swarmmq.actors.topic.TopicProtocol;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.codec.FrameReader;
import org.swarmmq.protocol.codec.PacketEncoder;
import org.swarmmq.protocol.packets.*;

/**
 * One per TCP connection. It runs the rules of a network connection (CONNECT first, keep alive,
 * inbound QoS acknowledgements in order, the will) and carries out what they ask: packets to the
 * client, messages to the session and the topics, and closing. Inbound packets arrive one at a
 * time (each acknowledged to the stream); outbound packets leave in batches, one batch in flight
 * to the socket at a time, so a slow reader backs up into a bounded buffer here.
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

    private static final class PendingAck {
        final Packet ack;
        boolean ready;

        PendingAck(Packet ack, boolean ready) {
            this.ack = ack;
            this.ready = ready;
        }
    }

    private final BrokerSettings settings;
    private final TimerScheduler<Command> timers;
    private final ClusterSharding sharding;
    private final Router router;
    private final String remote;
    private final ActorRef<TopicProtocol.RouteReply> routeReplies;
    private ActorRef<Object> out;
    private ActorRef<Ack> inboundAck;

    private ProtocolVersion version;
    private String clientId;
    /** The session: its EntityRef until it answers Attach, then the entity itself (watched). */
    private RecipientRef<SessionProtocol.Command> session;
    private Will will;
    /** CONNACK properties decided at CONNECT (Assigned Client Identifier, ...), sent once attached. */
    private Properties pendingConnackProperties = Properties.EMPTY;
    private boolean connected;
    private boolean closing;
    private long keepAliveNanos;
    private long lastReceived = System.nanoTime();

    private final ArrayDeque<Packet> outbound = new ArrayDeque<>();
    private boolean outboundReady = true;
    private long droppedQos0;
    private final ArrayDeque<PendingAck> pendingAcks = new ArrayDeque<>();
    /** QoS 1/2 publishes not yet safe to acknowledge: routed, and stored by every persistent session. */
    private final RouteTracker<Message, PendingAck> routes = new RouteTracker<>();
    /** QoS 2 packet ids received and not yet released by PUBREL [MQTT-4.3.3-9]. */
    private final Set<Integer> inboundQos2 = new HashSet<>();

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
                .onMessage(StreamEnded.class, m -> onStreamEnd("connection closed by client"))
                .onMessage(StreamFailed.class, m -> onStreamEnd("socket error: " + m.cause().getMessage()))
                .onMessage(OutboundReady.class, m -> {
                    outboundReady = true;
                    flush();
                    return this;
                })
                .onMessage(Attached.class, this::onAttached)
                .onMessage(Send.class, m -> {
                    for (Packet p : m.packets()) enqueue(p);
                    flush();
                    return this;
                })
                .onMessage(Close.class, m -> {
                    // Taken over: the session lives on, so no detach [MQTT-3.1.4-3]. The old
                    // connection ends without a DISCONNECT from its client, so its will is
                    // published [MQTT-3.1.2-8] (5.0 3.1.4: "If the existing Client has a Will
                    // Message, that Will Message is published"); mosquitto does the same.
                    session = null;
                    return close(m.reason(), true, "session taken over by another connection");
                })
                .onMessage(SessionStopped.class, m -> {
                    session = null; // it is gone: nothing to detach from
                    return close(ReasonCode.SERVER_SHUTTING_DOWN, true, "session stopped (node shutting down or moved)");
                })
                .onMessage(RouteReplied.class, m -> {
                    PendingAck a = m.reply() instanceof TopicProtocol.Routed r
                            ? routes.routed(r.correlationId(), r.confirmations())
                            : routes.confirmed(m.reply().correlationId());
                    if (a != null) {
                        a.ready = true;
                        flushAcks();
                    }
                    return this;
                })
                .onMessage(RouteRetryCheck.class, m -> {
                    var retries = routes.overdue(System.nanoTime(), settings.routeRetryAfter().toNanos());
                    if (!retries.isEmpty()) {
                        getContext().getLog().warn("Client {}: {} messages not confirmed within {} ms; routing them again",
                                clientId, retries.size(), settings.routeRetryAfter().toMillis());
                    }
                    for (var r : retries) router.route(r.message(), routeReplies, r.correlationId());
                    if (routes.isEmpty()) timers.cancel(RouteRetryCheck.class);
                    return this;
                })
                .onMessage(KeepAliveCheck.class, m -> {
                    // [MQTT-3.1.2-24] no packet within one and a half keep alive periods
                    if (System.nanoTime() - lastReceived > keepAliveNanos * 3 / 2) {
                        return close(ReasonCode.KEEP_ALIVE_TIMEOUT, true, "keep alive expired");
                    }
                    return this;
                })
                .onMessage(ConnectTimedOut.class, m -> version == null
                        ? close(null, false, "no CONNECT within " + settings.connectTimeout().toSeconds() + " s")
                        : this)
                .onSignal(PostStop.class, s -> abortOutput())
                .build();
    }

    private Behavior<Command> onReceived(Received r) {
        if (closing) return this;
        lastReceived = System.nanoTime();
        Object element = r.element();
        if (element instanceof Violation v) return onViolation(v.error());
        Packet p = (Packet) element;
        if (settings.verbose()) getContext().getLog().info(PacketLog.received(p, clientId == null ? remote : clientId));
        Behavior<Command> next = connected || clientId != null ? onPacket(p) : onFirstPacket(p);
        if (!closing && connected) inboundAck.tell(Ack.INSTANCE); // until CONNACK, hold the next packet back
        return next;
    }

    private Behavior<Command> onViolation(ProtocolException e) {
        String why = "malformed packet: " + e.getMessage();
        if (!connected && e.reasonCode() == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION) {
            // [MQTT-3.1.2-2] answer an unknown protocol level with CONNACK 0x01 (3.1.1 form), then close
            version = ProtocolVersion.V3_1_1;
            enqueue(ConnAck.refused(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION));
            return close(null, false, why);
        }
        return close(e.reasonCode(), true, why);
    }

    private Behavior<Command> onFirstPacket(Packet p) {
        if (!(p instanceof Connect c)) {
            return close(null, false, "first packet was " + p.type() + ", not CONNECT [MQTT-3.1.0-1]");
        }
        version = c.version();
        timers.cancel(ConnectTimedOut.class);
        String id = c.clientId();
        Properties connackProps = Properties.EMPTY;
        if (id.isEmpty()) {
            // [MQTT-3.1.3-8] an empty id needs clean session in 3.1.1; 3.1 requires an id
            if ((!c.cleanStart() && !version.isV5()) || version == ProtocolVersion.V3_1) {
                enqueue(ConnAck.refused(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID));
                return close(null, false, "empty client id without clean session");
            }
            id = "auto-" + UUID.randomUUID();
            if (version.isV5()) connackProps = connackProps.with(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, id);
        } else if (version == ProtocolVersion.V3_1 && id.length() > 23) {
            enqueue(ConnAck.refused(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID)); // 3.1: 1 to 23 characters
            return close(null, false, "MQTT 3.1 client id longer than 23 characters");
        }
        if (version.isV5() && settings.maxPacketSize() < FrameReader.MAX_PACKET_SIZE) {
            // Without this property a client may send up to 256 MiB in good faith (3.2.2.3.6),
            // and we would disconnect it for a limit it was never told. Capped at 268435455:
            // python paho refuses larger values, and announcing less than we accept is safe.
            long announced = Math.min(settings.maxPacketSize(), FrameReader.MAX_REMAINING_LENGTH);
            connackProps = connackProps.with(PropertyId.MAXIMUM_PACKET_SIZE, announced);
        }
        clientId = id;
        pendingConnackProperties = connackProps;
        will = c.will();
        if (c.keepAlive() > 0) {
            keepAliveNanos = Duration.ofSeconds(c.keepAlive()).toNanos();
            timers.startTimerWithFixedDelay(new KeepAliveCheck(), Duration.ofMillis(Math.max(250, c.keepAlive() * 250L)));
        }
        boolean persistent = version.isV5()
                ? c.properties().longValue(PropertyId.SESSION_EXPIRY_INTERVAL, 0) > 0
                : !c.cleanStart();
        int receiveMaximum = c.properties().intValue(PropertyId.RECEIVE_MAXIMUM, 65_535);
        EntityRef<SessionProtocol.Command> entity = sharding.entityRefFor(SessionEntity.TYPE_KEY, clientId);
        session = entity;
        entity.tell(new SessionProtocol.Attach(getContext().getSelf(), version, c.cleanStart(), persistent, receiveMaximum));
        return this;
    }

    private Behavior<Command> onAttached(Attached a) {
        if (closing || connected) return this;
        connected = true;
        session = a.session();
        getContext().watchWith(a.session(), new SessionStopped());
        inboundQos2.addAll(a.inboundQos2());
        enqueue(new ConnAck(a.sessionPresent(), ReasonCode.SUCCESS, pendingConnackProperties));
        flush();
        inboundAck.tell(Ack.INSTANCE);
        return this;
    }

    private Behavior<Command> onPacket(Packet p) {
        if (!connected) return this; // cannot happen: we hold packets back until CONNACK
        switch (p.type()) {
            case PUBLISH -> {
                return onPublish((Publish) p);
            }
            case PUBREL -> {
                inboundQos2.remove(((PubRel) p).packetId());
                pendingAcks.add(new PendingAck(new PubComp(((PubRel) p).packetId()), true)); // [MQTT-4.3.3-11]
                flushAcks();
            }
            case PUBACK, PUBREC, PUBCOMP -> session.tell(new SessionProtocol.Acknowledge(getContext().getSelf(), p));
            case SUBSCRIBE -> session.tell(new SessionProtocol.SubscribeRequest(getContext().getSelf(), (Subscribe) p));
            case UNSUBSCRIBE -> session.tell(new SessionProtocol.UnsubscribeRequest(getContext().getSelf(), (Unsubscribe) p));
            case PINGREQ -> {
                enqueue(PingResp.INSTANCE); // [MQTT-3.12.4-1]
                flush();
            }
            case DISCONNECT -> {
                Disconnect d = (Disconnect) p;
                // [MQTT-3.14.4-3] a normal DISCONNECT discards the will; 0x04 asks for it
                boolean withWill = d.reasonCode() == ReasonCode.DISCONNECT_WITH_WILL_MESSAGE;
                return close(null, withWill, "client disconnected");
            }
            case CONNECT -> {
                return close(ReasonCode.PROTOCOL_ERROR, true, "second CONNECT [MQTT-3.1.0-2]");
            }
            default -> {
                return close(ReasonCode.PROTOCOL_ERROR, true, p.type() + " is not a packet a client sends");
            }
        }
        return this;
    }

    private Behavior<Command> onPublish(Publish p) {
        if (p.properties().has(PropertyId.TOPIC_ALIAS)) {
            // We advertise Topic Alias Maximum 0 (the default) [MQTT-3.3.2-9]
            return close(ReasonCode.TOPIC_ALIAS_INVALID, true, "topic alias sent, none allowed");
        }
        Message m = Message.of(p, clientId, System.currentTimeMillis());
        switch (p.qos()) {
            case 0 -> router.route(m, null, 0);
            case 1 -> ackAfterRouting(m, new PubAck(p.packetId()));
            default -> {
                if (inboundQos2.add(p.packetId())) {
                    ackAfterRouting(m, new PubRec(p.packetId()));
                } else {
                    // a re-sent PUBLISH before PUBREL: acknowledge again, deliver once [MQTT-4.3.3-10]
                    pendingAcks.add(new PendingAck(new PubRec(p.packetId()), true));
                    flushAcks();
                }
            }
        }
        return this;
    }

    /** The ack goes out once the message is routed, in the order the PUBLISHes came [MQTT-4.6.0-2]. */
    private void ackAfterRouting(Message m, Packet ack) {
        PendingAck pending = new PendingAck(ack, false);
        pendingAcks.add(pending);
        long id = routes.start(m, pending, System.nanoTime());
        router.route(m, routeReplies, id);
        if (!timers.isTimerActive(RouteRetryCheck.class)) {
            Duration every = settings.routeRetryAfter().dividedBy(2);
            timers.startTimerWithFixedDelay(RouteRetryCheck.class, new RouteRetryCheck(), every);
        }
    }

    private void flushAcks() {
        while (!pendingAcks.isEmpty() && pendingAcks.peek().ready) enqueue(pendingAcks.poll().ack);
        flush();
    }

    private void enqueue(Packet p) {
        if (p instanceof Publish pub && pub.qos() == 0 && outbound.size() >= settings.outboundBufferPackets()) {
            // A slow reader: QoS 0 is dropped rather than buffered without bound.
            if (droppedQos0++ % 1000 == 0) {
                getContext().getLog().warn("Client {} too slow: dropped {} QoS 0 messages so far", clientId, droppedQos0);
            }
            return;
        }
        outbound.add(p);
    }

    /** Bytes of payload gathered into one write at most (one packet always goes, whatever its size). */
    private static final long MAX_WRITE_BYTES = 16L << 20;

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
            if (settings.verbose()) getContext().getLog().info(PacketLog.sending(p, clientId == null ? remote : clientId));
            batch.add(p);
        }
        outboundReady = false;
        out.tell(ByteString.fromArrayUnsafe(PacketEncoder.encode(batch, version)));
    }

    /**
     * Ends the connection: logs why, publishes the will if the loss was abnormal, answers an MQTT 5
     * client with DISCONNECT and a reason code when one applies, and lets the output drain.
     */
    private Behavior<Command> close(ReasonCode reason, boolean publishWill, String why) {
        if (closing) return this;
        closing = true;
        getContext().getLog().info("Client {} ({}) closed: {}", clientId == null ? "<unknown>" : clientId, remote, why);
        if (publishWill && will != null) publishWill();
        will = null;
        if (reason != null && version != null && version.isV5() && connected) {
            enqueue(Disconnect.of(reason)); // [MQTT-4.13.2-1] server DISCONNECT before closing (5.0)
        }
        flush();
        if (session != null) session.tell(new SessionProtocol.Detach(getContext().getSelf(), List.copyOf(inboundQos2)));
        session = null;
        timers.cancelAll();
        // flush() sent what was pending if the socket was free; otherwise the next OutboundReady
        // sends it. The end of output may only follow an acknowledgement of the last write.
        if (out != null && outboundReady) out.tell(END_OF_OUTPUT);
        // Give the socket a moment to drain what is queued; the stream's end stops us.
        timers.startSingleTimer(new ConnectTimedOut(), Duration.ofSeconds(5));
        return Behaviors.receive(Command.class)
                .onMessage(OutboundReady.class, m -> {
                    outboundReady = true;
                    if (outbound.isEmpty()) out.tell(END_OF_OUTPUT);
                    else flush();
                    return Behaviors.same();
                })
                .onMessage(StreamEnded.class, m -> Behaviors.stopped())
                .onMessage(StreamFailed.class, m -> Behaviors.stopped())
                .onMessage(ConnectTimedOut.class, m -> Behaviors.stopped())
                .onMessage(Received.class, m -> Behaviors.same())
                .onAnyMessage(m -> Behaviors.same())
                .onSignal(PostStop.class, s -> abortOutput())
                .build();
    }

    /** However we stop, the socket must not outlive us: a no-op if the output already ended. */
    private Behavior<Command> abortOutput() {
        if (out != null) out.tell(ABORT_OUTPUT);
        return Behaviors.same();
    }

    private void publishWill() {
        Will w = will;
        router.route(new Message(w.topic(), w.payload(), w.qos(), w.retain(), w.properties(), clientId,
                System.currentTimeMillis()), null, 0);
    }

    private Behavior<Command> onStreamEnd(String why) {
        if (closing) return Behaviors.stopped();
        close(null, true, why); // an abnormal loss: the will goes out [MQTT-3.1.2-8]
        return Behaviors.stopped();
    }

}
