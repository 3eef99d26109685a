package org.swarmmq.protocol.channel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.channel.ChannelEffect.*;
import org.swarmmq.protocol.channel.auth.AuthExchange;
import org.swarmmq.protocol.channel.auth.Authentication;
import org.swarmmq.protocol.codec.FrameReader;
import org.swarmmq.protocol.packets.*;

/**
 * The rules of one MQTT network connection, as a state machine with no I/O: CONNECT first, the
 * client identifier, keep alive, inbound QoS 1/2 acknowledgements in PUBLISH order, exactly-once
 * for inbound QoS 2, the will, and how a connection ends. Each call takes what happened (a packet,
 * a timer, the session's answer) and returns the {@link ChannelEffect}s to carry out, in order;
 * time comes in as a parameter. The connection (ConnectionStage) owns the socket, the timers and the session.
 */
public final class Channel {
    /**
     * @param maxPacketSize        the largest packet accepted; announced to MQTT 5 clients when below the protocol's limit
     * @param topicAliasMaximum    MQTT 5 topic aliases a client may set (0: none), announced in CONNACK
     * @param receiveMaximum       MQTT 5 QoS 1/2 PUBLISHes a client may have unacknowledged (65535: no limit announced)
     * @param maxKeepAliveSeconds  the longest keep alive allowed (0: any); MQTT 5 clients asking for more,
     *                             or for none, are told the Server Keep Alive
     */
    public record Settings(int maxPacketSize, long connectTimeoutSeconds, int topicAliasMaximum, int receiveMaximum,
                           int maxKeepAliveSeconds) {
        /** The protocol's defaults beyond the two limits every connection has. */
        public static Settings of(int maxPacketSize, long connectTimeoutSeconds) {
            return new Settings(maxPacketSize, connectTimeoutSeconds, 0, 65_535, 0);
        }
    }

    /** A session that never expires: MQTT 3 clean session 0, or MQTT 5 Session Expiry 0xFFFFFFFF. */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    private final Settings settings;
    private long sessionExpirySeconds;
    private ProtocolVersion version;
    private String clientId;
    private Will will;
    private Properties connackProperties = Properties.EMPTY;
    /** What the client's CONNECT allows us to send it (MQTT 5; none for MQTT 3). */
    private ClientLimits clientLimits = ClientLimits.NONE;
    private boolean connected;
    private boolean attaching;
    private boolean closing;
    private long keepAliveNanos;
    private long lastReceivedNanos;
    /** QoS 2 packet ids received and not yet released by PUBREL [MQTT-4.3.3-9]; Set.of() until the first. */
    private Set<Integer> inboundQos2 = Set.of();
    /** Acknowledgements in PUBLISH order; each leaves once it and all before it are ready [MQTT-4.6.0-2]. */
    private InboundAcks acks; // see acks()
    /** MQTT 5 topic aliases the client set: alias -> topic name [MQTT-3.3.2-12]; Map.of() until the first. */
    private Map<Integer, String> topicAliases = Map.of();
    /** Authentication at CONNECT and MQTT 5 re-authentication (4.12); the Attach waits for it. */
    private final AuthExchange auth;
    private Attach attachAfterAuth;
    private Will willAfterAuth;

    public Channel(Settings settings, long nowNanos) {
        this(settings, Authentication.NONE, nowNanos);
    }

    public Channel(Settings settings, Authentication authentication, long nowNanos) {
        this.settings = settings;
        this.auth = new AuthExchange(authentication);
        this.lastReceivedNanos = nowNanos;
    }

    public ProtocolVersion version() {
        return version;
    }

    public String clientId() {
        return clientId;
    }

    public boolean connected() {
        return connected;
    }

    public boolean closing() {
        return closing;
    }

    /** Before CONNACK, waiting for the client's next AUTH: its packets must be read. */
    public boolean authenticating() {
        return !closing && auth.beforeConnAck();
    }

    /** Who the client authenticated as, or null. */
    public String user() {
        return auth.user();
    }

    /** What the client's CONNECT allows us to send it; {@link ClientLimits#NONE} before CONNECT and for MQTT 3. */
    public ClientLimits clientLimits() {
        return clientLimits;
    }

    /** The acknowledgements owed, made by the first QoS 1/2 PUBLISH or PUBREL: an idle connection has none. */
    private InboundAcks acks() {
        if (acks == null) acks = new InboundAcks();
        return acks;
    }

    /** A packet from the client, decoded. */
    public List<ChannelEffect> handle(Packet p, long nowNanos) {
        List<ChannelEffect> out = new ArrayList<>();
        if (closing) return out;
        lastReceivedNanos = nowNanos;
        if (version == null) onFirstPacket(p, out, nowNanos);
        else if (connected) onPacket(p, out, nowNanos);
        else if (p instanceof Disconnect && auth.beforeConnAck()) close(null, false, "client left during authentication", out);
        else if (auth.beforeConnAck()) onAuthStep(auth.beforeConnAck(p, nowNanos), false, out);
        // else: held back by the connection until CONNACK; cannot happen
        return out;
    }

    /** The decoder refused what the client sent. */
    public List<ChannelEffect> violation(ProtocolException e) {
        List<ChannelEffect> out = new ArrayList<>();
        if (closing) return out;
        String why = "malformed packet: " + e.getMessage();
        if (!connected && e.reasonCode() == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION) {
            // [MQTT-3.1.2-2] answer an unknown protocol level with CONNACK 0x01 (3.1.1 form), then close
            version = ProtocolVersion.V3_1_1;
            out.add(new Send(ConnAck.refused(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION)));
            close(null, false, why, out);
            return out;
        }
        close(e.reasonCode(), true, why, out);
        return out;
    }

    private void onFirstPacket(Packet p, List<ChannelEffect> out, long nowNanos) {
        if (!(p instanceof Connect c)) {
            close(null, false, "first packet was " + p.type() + ", not CONNECT [MQTT-3.1.0-1]", out);
            return;
        }
        version = c.version();
        String id = c.clientId();
        Properties props = Properties.EMPTY;
        if (id.isEmpty()) {
            // [MQTT-3.1.3-8] an empty id needs clean session in 3.1.1; 3.1 requires an id
            if ((!c.cleanStart() && !version.isV5()) || version == ProtocolVersion.V3_1) {
                out.add(new Send(ConnAck.refused(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID)));
                close(null, false, "empty client id without clean session", out);
                return;
            }
            id = "auto-" + UUID.randomUUID();
            if (version.isV5()) props = props.with(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, id);
        } else if (version == ProtocolVersion.V3_1 && id.length() > 23) {
            out.add(new Send(ConnAck.refused(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID))); // 3.1: 1 to 23 characters
            close(null, false, "MQTT 3.1 client id longer than 23 characters", out);
            return;
        }
        if (version.isV5() && settings.maxPacketSize() < FrameReader.MAX_PACKET_SIZE) {
            // Without this property a client may send up to 256 MiB in good faith (3.2.2.3.6),
            // and we would disconnect it for a limit it was never told. Capped at 268435455:
            // python paho refuses larger values, and announcing less than we accept is safe.
            long announced = Math.min(settings.maxPacketSize(), FrameReader.MAX_REMAINING_LENGTH);
            props = props.with(PropertyId.MAXIMUM_PACKET_SIZE, announced);
        }
        clientId = id;
        clientLimits = ClientLimits.of(c);
        willAfterAuth = c.will(); // a client that never authenticated has no will
        if (version.isV5() && c.properties().intValue(PropertyId.REQUEST_RESPONSE_INFORMATION, 0) == 1) {
            // 3.2.2.3.15: a topic prefix this client may use for response topics (request/response)
            props = props.with(PropertyId.RESPONSE_INFORMATION, "response/" + id + "/");
        }
        if (version.isV5() && settings.topicAliasMaximum() > 0) {
            props = props.with(PropertyId.TOPIC_ALIAS_MAXIMUM, settings.topicAliasMaximum());
        }
        if (version.isV5() && settings.receiveMaximum() < 65_535) {
            props = props.with(PropertyId.RECEIVE_MAXIMUM, settings.receiveMaximum());
        }
        int keepAlive = c.keepAlive();
        int max = settings.maxKeepAliveSeconds();
        if (version.isV5() && max > 0 && (keepAlive == 0 || keepAlive > max)) {
            keepAlive = max; // [MQTT-3.2.2-21] the client must use the Server Keep Alive we send
            props = props.with(PropertyId.SERVER_KEEP_ALIVE, max);
        }
        connackProperties = props;
        if (keepAlive > 0) {
            keepAliveNanos = keepAlive * 1_000_000_000L;
            out.add(new StartKeepAlive(Math.max(250_000_000L, keepAlive * 250_000_000L)));
        }
        sessionExpirySeconds = version.isV5()
                ? c.properties().longValue(PropertyId.SESSION_EXPIRY_INTERVAL, 0) // 3.1.2.11.2: absent is 0
                : c.cleanStart() ? 0 : NEVER_EXPIRES;
        int receiveMaximum = c.properties().intValue(PropertyId.RECEIVE_MAXIMUM, 65_535);
        attachAfterAuth = new Attach(clientId, version, c.cleanStart(), sessionExpirySeconds, receiveMaximum,
                clientLimits.maxPacketSize());
        onAuthStep(auth.connect(c, nowNanos), false, out);
    }

    /** Carries out what the authentication decided; {@code begins}: a re-authentication starts. */
    private void onAuthStep(AuthExchange.Step step, boolean begins, List<ChannelEffect> out) {
        if (step instanceof AuthExchange.Reply r) {
            out.add(new Send(r.auth())); // [MQTT-4.12.0-2] AUTH 0x18 (the CONNACK waits), or 0x00 ending a re-authentication
            if (begins && auth.inProgress()) out.add(new StartAuthTimer(settings.connectTimeoutSeconds() * 1_000_000_000L));
        } else if (step instanceof AuthExchange.Accept a) {
            for (Property p : a.connackProperties().asList()) connackProperties = connackProperties.with(p.id(), p.value());
            attaching = true;
            will = willAfterAuth;
            out.add(attachAfterAuth); // the session is touched only once the client is who it says
            attachAfterAuth = null;
        } else if (step instanceof AuthExchange.Refuse r) {
            // [MQTT-4.12.0-4] before CONNACK: CONNACK with the reason; [MQTT-4.12.1-2] after: DISCONNECT; close
            if (!connected) out.add(new Send(ConnAck.refused(r.reasonCode())));
            close(connected ? r.reasonCode() : null, connected, r.why(), out);
        }
    }

    /** A re-authentication must finish within the connect timeout (the timer of {@link StartAuthTimer}). */
    public List<ChannelEffect> authTimeoutCheck(long nowNanos) {
        List<ChannelEffect> out = new ArrayList<>();
        if (!closing && connected) onAuthStep(auth.overdue(nowNanos, settings.connectTimeoutSeconds()), false, out);
        return out;
    }

    /** The session answered the Attach: CONNACK, and from now on packets flow. */
    public List<ChannelEffect> attached(boolean sessionPresent, List<Integer> inboundQos2Kept) {
        return attached(sessionPresent, inboundQos2Kept, lastReceivedNanos);
    }

    /**
     * The session answered: CONNACK. The keep alive counts from now: until CONNACK the connection
     * reads nothing more from the client, so its silence while the session was slow to answer (its
     * shard on a node that died) is ours, not the client's [MQTT-3.1.2-24].
     */
    public List<ChannelEffect> attached(boolean sessionPresent, List<Integer> inboundQos2Kept, long nowNanos) {
        List<ChannelEffect> out = new ArrayList<>();
        if (closing || connected) return out;
        connected = true;
        lastReceivedNanos = Math.max(lastReceivedNanos, nowNanos);
        attaching = false;
        for (int id : inboundQos2Kept) awaitingRelease(id);
        out.add(new Send(new ConnAck(sessionPresent, ReasonCode.SUCCESS, connackProperties)));
        return out;
    }

    private void onPacket(Packet p, List<ChannelEffect> out, long nowNanos) {
        switch (p.type()) {
            case AUTH -> onAuthStep(auth.auth((Auth) p, nowNanos), ((Auth) p).reasonCode() == ReasonCode.RE_AUTHENTICATE, out);
            case PUBLISH -> onPublish((Publish) p, out);
            case PUBREL -> {
                int id = ((PubRel) p).packetId();
                if (!inboundQos2.isEmpty()) inboundQos2.remove(id);
                acks().now(new PubComp(id), out); // [MQTT-4.3.3-11]
            }
            case PUBACK, PUBREC, PUBCOMP, SUBSCRIBE, UNSUBSCRIBE -> out.add(new ToSession(p));
            case PINGREQ -> out.add(new Send(PingResp.INSTANCE)); // [MQTT-3.12.4-1]
            case DISCONNECT -> {
                Disconnect d = (Disconnect) p;
                if (d.properties().has(PropertyId.SESSION_EXPIRY_INTERVAL)) {
                    long expiry = d.properties().longValue(PropertyId.SESSION_EXPIRY_INTERVAL, 0);
                    if (sessionExpirySeconds == 0 && expiry > 0) {
                        close(ReasonCode.PROTOCOL_ERROR, true,
                                "DISCONNECT set a Session Expiry Interval after CONNECT's 0 [MQTT-3.14.2-2]", out);
                        return;
                    }
                    sessionExpirySeconds = expiry; // 3.14.2.2.2: the session now ends after this
                }
                // [MQTT-3.14.4-3] a normal DISCONNECT discards the will; 0x04 asks for it
                boolean withWill = d.reasonCode() == ReasonCode.DISCONNECT_WITH_WILL_MESSAGE;
                close(null, withWill, "client disconnected", out);
            }
            case CONNECT -> close(ReasonCode.PROTOCOL_ERROR, true, "second CONNECT [MQTT-3.1.0-2]", out);
            default -> close(ReasonCode.PROTOCOL_ERROR, true, p.type() + " is not a packet a client sends", out);
        }
    }

    private void onPublish(Publish p, List<ChannelEffect> out) {
        p = resolveTopicAlias(p, out);
        if (p == null) return;
        boolean isNew = p.qos() == 1 || (p.qos() == 2 && !inboundQos2.contains(p.packetId()));
        if (version.isV5() && isNew && acks().unackedQos1() + inboundQos2.size() >= settings.receiveMaximum()) {
            // [MQTT-3.3.4-9] more unacknowledged QoS 1/2 PUBLISHes than the Receive Maximum we sent
            close(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, true, "more than " + settings.receiveMaximum()
                    + " QoS 1/2 PUBLISHes unacknowledged (Receive Maximum) [MQTT-3.3.4-9]", out);
            return;
        }
        if (p.topic().startsWith(SYS)) {
            refusePublishToSys(p, out);
            return;
        }
        switch (p.qos()) {
            case 0 -> out.add(new Route(p, 0));
            case 1 -> out.add(new Route(p, acks().afterRouting(new PubAck(p.packetId()))));
            default -> {
                if (awaitingRelease(p.packetId())) {
                    out.add(new Route(p, acks().afterRouting(new PubRec(p.packetId()))));
                } else {
                    acks().now(new PubRec(p.packetId()), out); // a re-sent PUBLISH before PUBREL: acknowledge again, deliver once [MQTT-4.3.3-10]
                }
            }
        }
    }

    /** An inbound QoS 2 id now awaits its PUBREL; false if it did already (the set is made by the first). */
    private boolean awaitingRelease(int packetId) {
        if (!(inboundQos2 instanceof HashSet)) inboundQos2 = new HashSet<>();
        return inboundQos2.add(packetId);
    }

    /** Topics the broker publishes; a client's PUBLISH to them is not routed (as mosquitto). */
    private static final String SYS = "$SYS";

    /**
     * A client's PUBLISH to {@code $SYS...}: acknowledged and dropped, as mosquitto does (its
     * topics are the broker's, 4.7.2); MQTT 5 clients hear why, 0x87 Not authorized. A 3.1.1
     * QoS 2 flow runs to its PUBCOMP as usual.
     */
    private void refusePublishToSys(Publish p, List<ChannelEffect> out) {
        ReasonCode rc = version.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.SUCCESS;
        if (p.qos() == 1) {
            acks().now(new PubAck(p.packetId(), rc, Properties.EMPTY), out);
        } else if (p.qos() == 2) {
            if (!version.isV5()) awaitingRelease(p.packetId());
            acks().now(new PubRec(p.packetId(), rc, Properties.EMPTY), out); // v5: a reason >= 0x80 ends the flow (4.3.3)
        }
    }

    /**
     * MQTT 5 topic aliases [MQTT-3.3.2-7..12]: a PUBLISH with a topic and an alias sets the alias;
     * one with an empty topic uses it. Aliases are this connection's: the message is routed with
     * its topic name and without the alias. Null when the PUBLISH broke a rule (closing).
     */
    private Publish resolveTopicAlias(Publish p, List<ChannelEffect> out) {
        if (!p.properties().has(PropertyId.TOPIC_ALIAS)) return p;
        int alias = p.properties().intValue(PropertyId.TOPIC_ALIAS, 0);
        if (alias == 0 || alias > settings.topicAliasMaximum()) {
            // [MQTT-3.3.2-8] 0 is not an alias; [MQTT-3.3.2-9] none above the maximum we sent
            close(ReasonCode.TOPIC_ALIAS_INVALID, true, "topic alias " + alias + " outside 1.."
                    + settings.topicAliasMaximum() + " [MQTT-3.3.2-9]", out);
            return null;
        }
        String topic = p.topic();
        if (topic.isEmpty()) {
            topic = topicAliases.get(alias);
            if (topic == null) {
                close(ReasonCode.PROTOCOL_ERROR, true, "topic alias " + alias + " used before it was set", out);
                return null;
            }
        } else {
            if (!(topicAliases instanceof HashMap)) topicAliases = new HashMap<>();
            topicAliases.put(alias, topic);
        }
        return new Publish(p.dup(), p.qos(), p.retain(), topic, p.packetId(), p.payload(),
                p.properties().without(PropertyId.TOPIC_ALIAS));
    }

    /** The message of {@code token} is routed (and stored where it must be): its ack may go, in order. */
    public List<ChannelEffect> routed(long token) {
        return routed(token, false);
    }

    /**
     * {@link #routed(long)}, knowing whether any subscription matched: if none did, an MQTT 5
     * client's PUBACK or PUBREC says 0x10 No matching subscribers (3.4.2.1, 3.5.2.1), as mosquitto's do.
     */
    public List<ChannelEffect> routed(long token, boolean noMatchingSubscribers) {
        List<ChannelEffect> out = new ArrayList<>();
        if (!closing) acks().routed(token, noMatchingSubscribers && version.isV5(), out);
        return out;
    }

    /** [MQTT-3.1.2-24] close a connection silent for one and a half keep alive periods. */
    public List<ChannelEffect> keepAliveCheck(long nowNanos) {
        List<ChannelEffect> out = new ArrayList<>();
        // Not before CONNACK: we hold the client's packets back until then (see attached).
        if (!closing && connected && keepAliveNanos > 0 && nowNanos - lastReceivedNanos > keepAliveNanos * 3 / 2) {
            close(ReasonCode.KEEP_ALIVE_TIMEOUT, true, "keep alive expired", out);
        }
        return out;
    }

    /** The connect timeout passed: close if no CONNECT came, or its authentication has not finished. */
    public List<ChannelEffect> connectTimedOut() {
        List<ChannelEffect> out = new ArrayList<>();
        if (version == null && !closing) {
            close(null, false, "no CONNECT within " + settings.connectTimeoutSeconds() + " s", out);
        } else if (authenticating()) {
            onAuthStep(auth.timedOut(settings.connectTimeoutSeconds()), false, out);
        }
        return out;
    }

    /** The socket ended or failed without DISCONNECT: an abnormal loss, so the will goes out [MQTT-3.1.2-8]. */
    public List<ChannelEffect> streamEnded(String why) {
        List<ChannelEffect> out = new ArrayList<>();
        if (!closing) close(null, true, why, out);
        return out;
    }

    /**
     * Another connection took the session over [MQTT-3.1.4-2]. No detach: the session lives on
     * [MQTT-3.1.4-3]. The will is published (5.0 3.1.4: "If the existing Client has a Will
     * Message, that Will Message is published"), as mosquitto does; but not one with a Will Delay
     * Interval: the new connection came within it [MQTT-3.1.3-9].
     */
    public List<ChannelEffect> takenOver() {
        List<ChannelEffect> out = new ArrayList<>();
        attaching = false;
        boolean willNow = will != null && will.properties().longValue(PropertyId.WILL_DELAY_INTERVAL, 0) == 0;
        if (!closing) close(ReasonCode.SESSION_TAKEN_OVER, willNow, "session taken over by another connection", out, false);
        return out;
    }

    /** The session entity stopped (its node shuts down, or its shard moved): nothing to detach from. */
    public List<ChannelEffect> sessionStopped() {
        List<ChannelEffect> out = new ArrayList<>();
        if (!closing) close(ReasonCode.SERVER_SHUTTING_DOWN, true, "session stopped (node shutting down or moved)", out, false);
        return out;
    }

    /**
     * This node shuts down while the client is connected: an MQTT 5 client hears DISCONNECT 0x8B
     * before the socket closes [MQTT-4.13.2-1]. The session (maybe on another node, which stays)
     * is detached so it starts its expiry and queues for the client's return elsewhere; the will
     * goes as on any close without the client's DISCONNECT [MQTT-3.1.2-8], delayed by the session.
     */
    public List<ChannelEffect> serverShuttingDown() {
        List<ChannelEffect> out = new ArrayList<>();
        if (!closing) close(ReasonCode.SERVER_SHUTTING_DOWN, true, "node shutting down", out);
        return out;
    }

    private void close(ReasonCode reason, boolean publishWill, String why, List<ChannelEffect> out) {
        close(reason, publishWill, why, out, true);
    }

    private void close(ReasonCode reason, boolean publishWill, String why, List<ChannelEffect> out, boolean detach) {
        closing = true;
        if (publishWill && will != null && !will.topic().startsWith(SYS)) { // a will to $SYS: dropped, as mosquitto
            // Will Delay matters only while a session outlives us; a stopped session cannot wait.
            long delay = detach && sessionExpirySeconds > 0 ? will.properties().longValue(PropertyId.WILL_DELAY_INTERVAL, 0) : 0;
            out.add(new PublishWill(will, delay));
        }
        will = null;
        if (reason != null && version != null && version.isV5() && connected) {
            // [MQTT-4.13.2-1] server DISCONNECT before closing (5.0), saying why (3.14.2.2.3); the
            // connection drops the Reason String if it would not fit the client's Maximum Packet Size.
            out.add(new Send(new Disconnect(reason, Properties.EMPTY.with(PropertyId.REASON_STRING,
                    OutboundPackets.reasonString(why)))));
        }
        if (detach && (connected || attaching)) out.add(new Detach(List.copyOf(inboundQos2), sessionExpirySeconds));
        out.add(new Close(why));
    }
}
