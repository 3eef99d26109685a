package org.swarmmq.protocol.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.channel.ChannelEffect.*;
import org.swarmmq.protocol.packets.*;

/** The connection's rules without a socket: packets and time in, effects out. */
class ChannelTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Channel.Settings SETTINGS = Channel.Settings.of(256 * 1024 * 1024, 20);

    private static Channel connected(ProtocolVersion v, int keepAlive, Will will) {
        Channel c = new Channel(SETTINGS, 0);
        List<ChannelEffect> e = c.handle(new Connect(v, "c1", true, keepAlive, will, null, null, Properties.EMPTY), 0);
        assertTrue(e.stream().anyMatch(x -> x instanceof Attach), e::toString);
        ConnAck ack = (ConnAck) only(c.attached(false, List.of()), Send.class).packet();
        assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
        return c;
    }

    private static Channel connected() {
        return connected(ProtocolVersion.V3_1_1, 0, null);
    }

    private static Will will() {
        return new Will("w", Bytes.utf8("gone"), 1, false, Properties.EMPTY);
    }

    private static Publish publish(int qos, int id) {
        return new Publish(false, qos, false, "t", id, Bytes.utf8("p"), Properties.EMPTY);
    }

    private static <T> T only(List<ChannelEffect> effects, Class<T> type) {
        List<ChannelEffect> matching = effects.stream().filter(type::isInstance).toList();
        assertEquals(1, matching.size(), () -> "one " + type.getSimpleName() + " in " + effects);
        return type.cast(matching.get(0));
    }

    /** A server DISCONNECT with {@code code}, saying why in a Reason String (3.14.2.2.3). */
    private static void assertDisconnect(ReasonCode code, ChannelEffect e) {
        Disconnect d = (Disconnect) assertInstanceOf(Send.class, e).packet();
        assertEquals(code, d.reasonCode());
        assertTrue(d.properties().has(PropertyId.REASON_STRING), d::toString);
    }

    private static boolean closes(List<ChannelEffect> effects) {
        return !effects.isEmpty() && effects.get(effects.size() - 1) instanceof Close;
    }

    @Test
    @DisplayName("[MQTT-3.1.0-1] a first packet other than CONNECT closes the connection, nothing sent")
    void firstPacketMustBeConnect() {
        Channel c = new Channel(SETTINGS, 0);
        List<ChannelEffect> e = c.handle(PingReq.INSTANCE, 0);
        assertEquals(1, e.size());
        assertTrue(only(e, Close.class).why().contains("MQTT-3.1.0-1"));
    }

    @Test
    @DisplayName("[MQTT-3.1.0-2] a second CONNECT is a protocol error: the will goes, the session is detached")
    void secondConnectIsAProtocolError_MQTT_3_1_0_2() {
        Channel c = connected(ProtocolVersion.V3_1_1, 0, will());
        List<ChannelEffect> e = c.handle(Connect.of(ProtocolVersion.V3_1_1, "c1", true, 0), 1);
        assertEquals(will(), only(e, PublishWill.class).will());
        only(e, Detach.class);
        assertTrue(only(e, Close.class).why().contains("MQTT-3.1.0-2"));
        assertTrue(e.stream().noneMatch(x -> x instanceof Send), "3.1.1 has no server DISCONNECT");
    }

    @Test
    @DisplayName("[MQTT-4.13.2-1] an MQTT 5 protocol error sends DISCONNECT with the reason code first")
    void v5ProtocolErrorSendsDisconnect() {
        Channel c = connected(ProtocolVersion.V5, 0, null);
        List<ChannelEffect> e = c.handle(Connect.of(ProtocolVersion.V5, "c1", true, 0), 1);
        assertDisconnect(ReasonCode.PROTOCOL_ERROR, e.get(0));
        assertTrue(closes(e));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-2] an unsupported protocol level is answered with CONNACK 0x01, then closed")
    void unsupportedProtocolLevel() {
        Channel c = new Channel(SETTINGS, 0);
        List<ChannelEffect> e = c.violation(new ProtocolException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, "level 9"));
        assertEquals(new Send(ConnAck.refused(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION)), e.get(0));
        assertEquals(ProtocolVersion.V3_1_1, c.version(), "the CONNACK is written in 3.1.1 form");
        assertTrue(closes(e));
    }

    @Test
    @DisplayName("[MQTT-3.1.3-8] an empty client id without clean session is refused with 0x02; with it, one is assigned")
    void emptyClientId() {
        Channel refused = new Channel(SETTINGS, 0);
        List<ChannelEffect> e = refused.handle(Connect.of(ProtocolVersion.V3_1_1, "", false, 0), 0);
        assertEquals(new Send(ConnAck.refused(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID)), e.get(0));
        assertTrue(closes(e));

        Channel v5 = new Channel(SETTINGS, 0);
        Attach a = only(v5.handle(Connect.of(ProtocolVersion.V5, "", true, 0), 0), Attach.class);
        assertTrue(a.clientId().startsWith("auto-"));
        ConnAck ack = (ConnAck) only(v5.attached(false, List.of()), Send.class).packet();
        assertEquals(a.clientId(), ack.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER));
    }

    @Test
    @DisplayName("MQTT 3.1: a client id is 1 to 23 characters")
    void mqtt31ClientIdLength() {
        Channel c = new Channel(SETTINGS, 0);
        List<ChannelEffect> e = c.handle(Connect.of(ProtocolVersion.V3_1, "x".repeat(24), true, 0), 0);
        assertEquals(new Send(ConnAck.refused(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID)), e.get(0));
        assertTrue(closes(e));
    }

    @Test
    @DisplayName("MQTT 5: a maximum packet size below the protocol's is announced in CONNACK")
    void maximumPacketSizeAnnounced() {
        Channel c = new Channel(Channel.Settings.of(1024, 20), 0);
        c.handle(Connect.of(ProtocolVersion.V5, "c", true, 0), 0);
        ConnAck ack = (ConnAck) only(c.attached(false, List.of()), Send.class).packet();
        assertEquals(1024L, ack.properties().longValue(PropertyId.MAXIMUM_PACKET_SIZE, 0));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] keep alive: open at 1.5x the period, closed after it, with the will")
    void keepAlive_MQTT_3_1_2_24() {
        Channel c = new Channel(SETTINGS, 0);
        StartKeepAlive k = only(c.handle(new Connect(ProtocolVersion.V3_1_1, "c", true, 10, will(), null, null,
                Properties.EMPTY), 0), StartKeepAlive.class);
        assertEquals(2_500_000_000L, k.everyNanos());
        c.attached(false, List.of());
        assertEquals(List.of(), c.keepAliveCheck(15 * SECOND), "exactly 1.5x is still alive");
        c.handle(PingReq.INSTANCE, 14 * SECOND);
        assertEquals(List.of(), c.keepAliveCheck(29 * SECOND), "a packet restarts the period");
        List<ChannelEffect> e = c.keepAliveCheck(29 * SECOND + 1);
        only(e, PublishWill.class);
        assertEquals("keep alive expired", only(e, Close.class).why());
    }

    @Test
    @DisplayName("a client's PUBLISH or will to $SYS... is not routed, as mosquitto; a PUBLISH is acknowledged (MQTT 5: 0x87)")
    void publishToSysIsDropped() {
        Channel v3 = connected();
        Publish sys1 = new Publish(false, 1, true, "$SYS/broker/version", 4, Bytes.utf8("spoof"), Properties.EMPTY);
        assertEquals(new PubAck(4), only(v3.handle(sys1, 1), Send.class).packet());
        Publish sys2 = new Publish(false, 2, false, "$SYSX/a", 5, Bytes.utf8("spoof"), Properties.EMPTY);
        assertEquals(new PubRec(5), only(v3.handle(sys2, 1), Send.class).packet());
        assertEquals(new PubComp(5), only(v3.handle(new PubRel(5), 1), Send.class).packet(), "3.1.1: the flow ends as usual");
        assertEquals(List.of(), v3.handle(new Publish(false, 0, false, "$SYS", 0, Bytes.utf8("x"), Properties.EMPTY), 1));
        only(v3.handle(new Publish(false, 0, false, "$foo/a", 0, Bytes.utf8("x"), Properties.EMPTY), 1), Route.class);

        Channel willToSys = connected(ProtocolVersion.V3_1_1, 0,
                new Will("$SYS/broker/x", Bytes.utf8("gone"), 1, false, Properties.EMPTY));
        List<ChannelEffect> lost = willToSys.streamEnded("socket error");
        assertTrue(lost.stream().noneMatch(e -> e instanceof PublishWill), "nor a will to $SYS: " + lost);
        assertTrue(connected(ProtocolVersion.V3_1_1, 0, will()).streamEnded("socket error").stream()
                .anyMatch(e -> e instanceof PublishWill), "another will is published");

        Channel v5 = connected(ProtocolVersion.V5, 0, null);
        PubAck ack = (PubAck) only(v5.handle(sys1, 1), Send.class).packet();
        assertEquals(ReasonCode.NOT_AUTHORIZED, ack.reasonCode());
        PubRec rec = (PubRec) only(v5.handle(sys2, 1), Send.class).packet();
        assertEquals(ReasonCode.NOT_AUTHORIZED, rec.reasonCode());
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] keep alive counts from CONNACK: a session slow to answer does not expire its client")
    void keepAliveCountsFromConnAck() {
        Channel c = new Channel(SETTINGS, 0);
        c.handle(new Connect(ProtocolVersion.V3_1_1, "c", false, 5, null, null, null, Properties.EMPTY), 0);
        assertEquals(List.of(), c.keepAliveCheck(12 * SECOND), "no keep alive before CONNACK: the server holds back");
        only(c.attached(true, List.of(), 12 * SECOND), Send.class); // the session's shard moved: 12 s late
        assertEquals(List.of(), c.keepAliveCheck(19 * SECOND), "7 s after CONNACK: within 1.5 x 5 s");
        assertEquals("keep alive expired", only(c.keepAliveCheck(20 * SECOND), Close.class).why());
    }

    @Test
    @DisplayName("no CONNECT within the connect timeout: closed; after CONNECT the timeout does nothing")
    void connectTimeout() {
        assertEquals("no CONNECT within 20 s", only(new Channel(SETTINGS, 0).connectTimedOut(), Close.class).why());
        assertEquals(List.of(), connected().connectTimedOut());
    }

    @Test
    @DisplayName("[MQTT-3.14.4-3] DISCONNECT discards the will; MQTT 5 reason 0x04 publishes it")
    void disconnectAndWill() {
        Channel normal = connected(ProtocolVersion.V5, 0, will());
        List<ChannelEffect> e = normal.handle(Disconnect.of(ReasonCode.SUCCESS), 1);
        assertTrue(e.stream().noneMatch(x -> x instanceof PublishWill), e::toString);
        assertTrue(closes(e));

        Channel withWill = connected(ProtocolVersion.V5, 0, will());
        only(withWill.handle(Disconnect.of(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE), 1), PublishWill.class);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] a socket lost without DISCONNECT publishes the will; a taken-over one too, without detaching [MQTT-3.1.4-3]")
    void abnormalLossAndTakeover() {
        Channel lost = connected(ProtocolVersion.V3_1_1, 0, will());
        List<ChannelEffect> e = lost.streamEnded("socket error");
        only(e, PublishWill.class);
        only(e, Detach.class);

        Channel taken = connected(ProtocolVersion.V5, 0, will());
        List<ChannelEffect> t = taken.takenOver();
        only(t, PublishWill.class);
        assertDisconnect(ReasonCode.SESSION_TAKEN_OVER, only(t, Send.class));
        assertTrue(t.stream().noneMatch(x -> x instanceof Detach), "the session lives on with the new connection");
    }

    @Test
    @DisplayName("[MQTT-4.6.0-2] PUBACKs leave in PUBLISH order, whatever order the messages are routed in")
    void acksInPublishOrder_MQTT_4_6_0_2() {
        Channel c = connected();
        long t1 = only(c.handle(publish(1, 1), 1), Route.class).token();
        long t2 = only(c.handle(publish(1, 2), 1), Route.class).token();
        long t3 = only(c.handle(publish(1, 3), 1), Route.class).token();
        assertEquals(List.of(), c.routed(t3));
        assertEquals(List.of(), c.routed(t2));
        assertEquals(List.of(new Send(new PubAck(1)), new Send(new PubAck(2)), new Send(new PubAck(3))), c.routed(t1));
        assertEquals(List.of(), c.routed(t1), "a token counts once");
    }

    @Test
    @DisplayName("QoS 0 is routed with no token and no acknowledgement")
    void qos0NoAck() {
        assertEquals(List.of(new Route(publish(0, 0), 0)), connected().handle(publish(0, 0), 1));
    }

    @Test
    @DisplayName("[MQTT-4.3.3-10] a QoS 2 PUBLISH re-sent before PUBREL is acknowledged again, routed once; [MQTT-4.3.3-11] PUBREL gets PUBCOMP")
    void qos2ExactlyOnce() {
        Channel c = connected();
        long token = only(c.handle(publish(2, 7), 1), Route.class).token();
        assertEquals(List.of(new Send(new PubRec(7))), c.routed(token));
        List<ChannelEffect> again = c.handle(new Publish(true, 2, false, "t", 7, Bytes.utf8("p"), Properties.EMPTY), 2);
        assertEquals(List.of(new Send(new PubRec(7))), again, "no second Route");
        assertEquals(List.of(new Send(new PubComp(7))), c.handle(new PubRel(7), 3));
        assertInstanceOf(Route.class, c.handle(publish(2, 7), 4).get(0), "released: the id is new again");
    }

    @Test
    @DisplayName("inbound QoS 2 ids kept by the session are honoured after reconnecting")
    void keptInboundQos2() {
        Channel c = new Channel(SETTINGS, 0);
        c.handle(Connect.of(ProtocolVersion.V3_1_1, "c1", false, 0), 0);
        c.attached(true, List.of(9));
        assertEquals(List.of(new Send(new PubRec(9))), c.handle(publish(2, 9), 1));
        assertEquals(List.of(9), only(c.streamEnded("gone"), Detach.class).inboundQos2(), "not released: kept");
    }

    @Test
    @DisplayName("[MQTT-3.3.2-9] a topic alias, with Topic Alias Maximum 0 announced, is refused with 0x94")
    void topicAliasRefused() {
        Channel c = connected(ProtocolVersion.V5, 0, null);
        Publish aliased = new Publish(false, 0, false, "t", 0, Bytes.EMPTY,
                Properties.EMPTY.with(PropertyId.TOPIC_ALIAS, 1));
        assertDisconnect(ReasonCode.TOPIC_ALIAS_INVALID, c.handle(aliased, 1).get(0));
    }

    @Test
    @DisplayName("[MQTT-3.12.4-1] PINGREQ is answered with PINGRESP; acks of sent messages and SUBSCRIBE go to the session")
    void pingAndSessionPackets() {
        Channel c = connected();
        assertEquals(List.of(new Send(PingResp.INSTANCE)), c.handle(PingReq.INSTANCE, 1));
        assertEquals(List.of(new ToSession(new PubAck(4))), c.handle(new PubAck(4), 1));
        Subscribe s = new Subscribe(1, List.of(new Subscription("a", 1)), Properties.EMPTY);
        assertEquals(List.of(new ToSession(s)), c.handle(s, 1));
    }

    @Test
    @DisplayName("a packet only a server sends (CONNACK) is a protocol error")
    void serverOnlyPacket() {
        assertTrue(closes(connected().handle(ConnAck.accepted(false), 1)));
    }

    @Test
    @DisplayName("after closing, nothing more happens")
    void closedIsClosed() {
        Channel c = connected();
        c.handle(Disconnect.of(ReasonCode.SUCCESS), 1);
        assertEquals(List.of(), c.handle(PingReq.INSTANCE, 2));
        assertEquals(List.of(), c.keepAliveCheck(100 * SECOND));
        assertEquals(List.of(), c.streamEnded("late"));
    }

    // -- MQTT 5: topic aliases, Receive Maximum, Server Keep Alive --

    private static final Channel.Settings V5_LIMITS = new Channel.Settings(256 * 1024 * 1024, 20, 2, 3, 60);

    private static Channel v5(Channel.Settings settings, int keepAlive) {
        Channel c = new Channel(settings, 0);
        c.handle(Connect.of(ProtocolVersion.V5, "c5", true, keepAlive), 0);
        return c;
    }

    private static Publish aliased(String topic, int alias, int qos, int id) {
        return new Publish(false, qos, false, topic, id, Bytes.utf8("p"), Properties.EMPTY.with(PropertyId.TOPIC_ALIAS, alias));
    }

    @Test
    @DisplayName("CONNACK announces Topic Alias Maximum, Receive Maximum and, when it overrides, Server Keep Alive")
    void v5LimitsAnnounced() {
        Channel c = v5(V5_LIMITS, 0);
        ConnAck ack = (ConnAck) only(c.attached(false, List.of()), Send.class).packet();
        assertEquals(2, ack.properties().intValue(PropertyId.TOPIC_ALIAS_MAXIMUM, 0));
        assertEquals(3, ack.properties().intValue(PropertyId.RECEIVE_MAXIMUM, 0));
        assertEquals(60, ack.properties().intValue(PropertyId.SERVER_KEEP_ALIVE, 0), "keep alive 0 (none) is not allowed");
    }

    @Test
    @DisplayName("[MQTT-3.2.2-21] a keep alive above the maximum is replaced by the Server Keep Alive, and enforced")
    void serverKeepAlive() {
        Channel c = new Channel(V5_LIMITS, 0);
        StartKeepAlive k = only(c.handle(Connect.of(ProtocolVersion.V5, "c5", true, 600), 0), StartKeepAlive.class);
        assertEquals(15 * SECOND, k.everyNanos(), "checked at a quarter of the 60 s used");
        ConnAck ack = (ConnAck) only(c.attached(false, List.of()), Send.class).packet();
        assertEquals(60, ack.properties().intValue(PropertyId.SERVER_KEEP_ALIVE, 0));
        assertTrue(closes(c.keepAliveCheck(91 * SECOND)), "1.5 x 60 s, not 600 s");

        Channel within = new Channel(V5_LIMITS, 0);
        within.handle(Connect.of(ProtocolVersion.V5, "c6", true, 30), 0);
        ConnAck kept = (ConnAck) only(within.attached(false, List.of()), Send.class).packet();
        assertTrue(!kept.properties().has(PropertyId.SERVER_KEEP_ALIVE), "30 s is allowed: nothing to tell");
    }

    @Test
    @DisplayName("[MQTT-3.3.2-12] a topic alias set with a topic name is used by a PUBLISH with an empty one; routed without the alias")
    void topicAliasSetAndUsed() {
        Channel c = v5(V5_LIMITS, 0);
        c.attached(false, List.of());
        Route first = only(c.handle(aliased("a/b", 1, 0, 0), 1), Route.class);
        assertEquals("a/b", first.publish().topic());
        assertTrue(!first.publish().properties().has(PropertyId.TOPIC_ALIAS), "aliases are per connection");
        assertEquals("a/b", only(c.handle(aliased("", 1, 0, 0), 2), Route.class).publish().topic());
        c.handle(aliased("c/d", 1, 0, 0), 3); // re-mapped
        assertEquals("c/d", only(c.handle(aliased("", 1, 0, 0), 4), Route.class).publish().topic());
    }

    @Test
    @DisplayName("[MQTT-3.3.2-8][MQTT-3.3.2-9] alias 0, or above the Topic Alias Maximum, is DISCONNECT 0x94; an unset alias 0x82")
    void topicAliasInvalid() {
        for (int bad : new int[] {0, 3}) {
            Channel c = v5(V5_LIMITS, 0);
            c.attached(false, List.of());
            assertDisconnect(ReasonCode.TOPIC_ALIAS_INVALID, c.handle(aliased("x", bad, 0, 0), 1).get(0));
        }
        Channel unset = v5(V5_LIMITS, 0);
        unset.attached(false, List.of());
        assertDisconnect(ReasonCode.PROTOCOL_ERROR, unset.handle(aliased("", 2, 0, 0), 1).get(0));
    }

    @Test
    @DisplayName("[MQTT-3.3.4-9] more unacknowledged QoS 1/2 PUBLISHes than the Receive Maximum is DISCONNECT 0x93")
    void receiveMaximumExceeded() {
        Channel c = v5(V5_LIMITS, 0);
        c.attached(false, List.of());
        long t1 = only(c.handle(publish(1, 1), 1), Route.class).token();
        only(c.handle(publish(2, 2), 1), Route.class);
        only(c.handle(publish(1, 3), 1), Route.class);
        // a re-sent QoS 2 PUBLISH is not a new one (its PUBREC waits its turn behind PUBACK 1)
        assertEquals(List.of(), c.handle(new Publish(true, 2, false, "t", 2, Bytes.utf8("p"), Properties.EMPTY), 1));
        c.routed(t1); // PUBACK 1 sent: one slot free
        only(c.handle(publish(1, 4), 1), Route.class);
        List<ChannelEffect> e = c.handle(publish(1, 5), 1);
        assertDisconnect(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, e.get(0));
        assertTrue(closes(e));
    }

    @Test
    @DisplayName("QoS 0 never counts against the Receive Maximum")
    void receiveMaximumIgnoresQos0() {
        Channel c = v5(V5_LIMITS, 0);
        c.attached(false, List.of());
        for (int i = 0; i < 10; i++) only(c.handle(publish(0, 0), 1), Route.class);
    }

    @Test
    @DisplayName("MQTT 5 Request Response Information 1: CONNACK gives a response topic prefix; 0 or absent: none")
    void responseInformation() {
        Channel asked = new Channel(V5_LIMITS, 0);
        asked.handle(new Connect(ProtocolVersion.V5, "rr", true, 30, null, null, null,
                Properties.EMPTY.with(PropertyId.REQUEST_RESPONSE_INFORMATION, 1)), 0);
        ConnAck ack = (ConnAck) only(asked.attached(false, List.of()), Send.class).packet();
        assertEquals("response/rr/", ack.properties().string(PropertyId.RESPONSE_INFORMATION));

        Channel silent = v5(V5_LIMITS, 30);
        ConnAck none = (ConnAck) only(silent.attached(false, List.of()), Send.class).packet();
        assertTrue(!none.properties().has(PropertyId.RESPONSE_INFORMATION));
    }

    // -- Session Expiry Interval --

    private static Channel withExpiry(long seconds) {
        Channel c = new Channel(V5_LIMITS, 0);
        Properties p = seconds < 0 ? Properties.EMPTY : Properties.EMPTY.with(PropertyId.SESSION_EXPIRY_INTERVAL, seconds);
        Attach a = only(c.handle(new Connect(ProtocolVersion.V5, "se", true, 30, null, null, null, p), 0), Attach.class);
        assertEquals(Math.max(0, seconds), a.sessionExpirySeconds());
        c.attached(false, List.of());
        return c;
    }

    @Test
    @DisplayName("Session Expiry: MQTT 5 takes CONNECT's interval (absent: 0, ends with the connection); MQTT 3 clean session 0 never expires")
    void sessionExpiryFromConnect() {
        withExpiry(-1);
        withExpiry(120);
        Channel v3 = new Channel(SETTINGS, 0);
        Attach a = only(v3.handle(Connect.of(ProtocolVersion.V3_1_1, "p", false, 0), 0), Attach.class);
        assertEquals(Channel.NEVER_EXPIRES, a.sessionExpirySeconds());
        assertTrue(a.persistent());
    }

    @Test
    @DisplayName("Session Expiry: a DISCONNECT may change it (the session then ends sooner, or at once with 0)")
    void sessionExpiryChangedAtDisconnect() {
        Channel c = withExpiry(120);
        Detach d = only(c.handle(new Disconnect(ReasonCode.SUCCESS,
                Properties.EMPTY.with(PropertyId.SESSION_EXPIRY_INTERVAL, 0L)), 1), Detach.class);
        assertEquals(0, d.sessionExpirySeconds());
        Channel kept = withExpiry(120);
        assertEquals(120, only(kept.handle(Disconnect.of(ReasonCode.SUCCESS), 1), Detach.class).sessionExpirySeconds());
    }

    @Test
    @DisplayName("[MQTT-3.14.2-2] a DISCONNECT setting a Session Expiry Interval after CONNECT's 0 is a protocol error")
    void sessionExpiryCannotBeSetAtDisconnect_MQTT_3_14_2_2() {
        Channel c = withExpiry(0);
        List<ChannelEffect> e = c.handle(new Disconnect(ReasonCode.SUCCESS,
                Properties.EMPTY.with(PropertyId.SESSION_EXPIRY_INTERVAL, 60L)), 1);
        assertDisconnect(ReasonCode.PROTOCOL_ERROR, e.get(0));
        assertEquals(0, only(e, Detach.class).sessionExpirySeconds(), "the session still ends with the connection");
        assertTrue(only(e, Close.class).why().contains("MQTT-3.14.2-2"));
    }

    // -- Will Delay Interval --

    private static Will delayedWill(long seconds) {
        return new Will("w", Bytes.utf8("gone"), 1, false, Properties.EMPTY.with(PropertyId.WILL_DELAY_INTERVAL, seconds));
    }

    private static Channel v5WithWill(Will will, long sessionExpiry) {
        Channel c = new Channel(V5_LIMITS, 0);
        c.handle(new Connect(ProtocolVersion.V5, "wd", true, 30, will, null, null,
                Properties.EMPTY.with(PropertyId.SESSION_EXPIRY_INTERVAL, sessionExpiry)), 0);
        c.attached(false, List.of());
        return c;
    }

    @Test
    @DisplayName("Will Delay: with a session that outlives the connection, the session is asked to publish the will later")
    void willDelayGoesToTheSession() {
        PublishWill w = only(v5WithWill(delayedWill(30), 300).streamEnded("lost"), PublishWill.class);
        assertEquals(30, w.delaySeconds());
        PublishWill now = only(v5WithWill(delayedWill(30), 0).streamEnded("lost"), PublishWill.class);
        assertEquals(0, now.delaySeconds(), "the session ends with the connection: the will goes now");
    }

    @Test
    @DisplayName("[MQTT-3.1.3-9] Will Delay: taken over by a new connection within the delay, the will is not published")
    void willDelayAndTakeover() {
        assertTrue(v5WithWill(delayedWill(30), 300).takenOver().stream().noneMatch(e -> e instanceof PublishWill));
        only(v5WithWill(delayedWill(0), 300).takenOver(), PublishWill.class);
    }

    @Test
    @DisplayName("[MQTT-4.13.2-1] the node shuts down: DISCONNECT 0x8B to an MQTT 5 client, the session detached with its expiry, the will handed over with its delay")
    void serverShuttingDown_MQTT_4_13_2_1() {
        Channel c = v5WithWill(delayedWill(30), 300);
        List<ChannelEffect> e = c.serverShuttingDown();
        assertDisconnect(ReasonCode.SERVER_SHUTTING_DOWN, only(e, Send.class));
        assertEquals(300, only(e, Detach.class).sessionExpirySeconds(), "the session lives on, elsewhere");
        assertEquals(30, only(e, PublishWill.class).delaySeconds());
        assertTrue(closes(e));
        assertTrue(c.serverShuttingDown().isEmpty(), "once");

        List<ChannelEffect> v3 = connected(ProtocolVersion.V3_1_1, 0, null).serverShuttingDown();
        assertTrue(v3.stream().noneMatch(x -> x instanceof Send), "3.1.1 has no server DISCONNECT: " + v3);
        assertTrue(closes(v3));
    }
}
