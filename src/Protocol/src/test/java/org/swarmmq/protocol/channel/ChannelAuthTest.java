package org.swarmmq.protocol.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.auth.AuthSession;
import org.swarmmq.protocol.auth.Authenticator;
import org.swarmmq.protocol.auth.PasswordCheck;
import org.swarmmq.protocol.auth.ScramCredentials;
import org.swarmmq.protocol.auth.ScramSha256;
import org.swarmmq.protocol.channel.ChannelEffect.*;
import org.swarmmq.protocol.channel.auth.Authentication;
import org.swarmmq.protocol.packets.*;

/** MQTT 5 enhanced authentication (4.12) and plain credentials in the Channel: packets and time in, effects out. */
class ChannelAuthTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Channel.Settings SETTINGS = Channel.Settings.of(256 * 1024 * 1024, 20);
    // RFC 7677 section 3: user "user", password "pencil"
    private static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";
    private static final String SCRAM = "SCRAM-SHA-256";

    private static Map<String, ScramCredentials> users(String password) {
        return Map.of("user", ScramCredentials.fromPassword(password, Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096));
    }

    private static Authentication scram(String password, boolean required) {
        Map<String, ScramCredentials> users = users(password);
        return Authentication.of(List.of(new ScramSha256(users::get, () -> SERVER_NONCE)), PasswordCheck.of(users), required);
    }

    private static Channel channel(Authentication a) {
        return new Channel(SETTINGS, a, 0);
    }

    private static Properties authProps(String method, String data) {
        Properties p = Properties.EMPTY.with(PropertyId.AUTHENTICATION_METHOD, method);
        return data == null ? p : p.with(PropertyId.AUTHENTICATION_DATA, Bytes.utf8(data));
    }

    private static Connect connect(String method, String data) {
        return new Connect(ProtocolVersion.V5, "c1", true, 0, will(), null, null, authProps(method, data));
    }

    private static Will will() {
        return new Will("w", Bytes.utf8("gone"), 0, false, Properties.EMPTY);
    }

    private static Auth auth(ReasonCode rc, String method, String data) {
        return new Auth(rc, authProps(method, data));
    }

    private static String data(Properties p) {
        return p.binary(PropertyId.AUTHENTICATION_DATA).utf8String();
    }

    private static <T> T only(List<ChannelEffect> effects, Class<T> type) {
        List<ChannelEffect> matching = effects.stream().filter(type::isInstance).toList();
        assertEquals(1, matching.size(), () -> "one " + type.getSimpleName() + " in " + effects);
        return type.cast(matching.get(0));
    }

    private static boolean none(List<ChannelEffect> effects, Class<?> type) {
        return effects.stream().noneMatch(type::isInstance);
    }

    private static boolean closes(List<ChannelEffect> effects) {
        return !effects.isEmpty() && effects.get(effects.size() - 1) instanceof Close;
    }

    private static <T extends Packet> T sent(List<ChannelEffect> effects, Class<T> type) {
        return type.cast(only(effects, Send.class).packet());
    }

    /** CONNECT with SCRAM's client-first, AUTH with client-final, the session attached: connected. */
    private static Channel scramConnected(Channel c) {
        c.handle(connect(SCRAM, CLIENT_FIRST), 0);
        only(c.handle(auth(ReasonCode.CONTINUE_AUTHENTICATION, SCRAM, CLIENT_FINAL), SECOND), Attach.class);
        c.attached(false, List.of());
        assertTrue(c.connected());
        return c;
    }

    @Test
    @DisplayName("[MQTT-4.12.0-1] an Authentication Method we do not offer: CONNACK 0x8C, closed, no session")
    void unsupportedMethod() {
        for (Authentication a : List.of(Authentication.NONE, scram("pencil", false))) {
            Channel c = channel(a);
            List<ChannelEffect> e = c.handle(connect("GS2-KRB5", "x"), 0);
            assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, sent(e, ConnAck.class).reasonCode());
            assertTrue(closes(e) && none(e, Attach.class) && none(e, PublishWill.class), e::toString);
        }
    }

    @Test
    @DisplayName("[MQTT-4.12.0-2] [MQTT-4.12.0-5] SCRAM: AUTH 0x18 with server-first, then CONNACK 0x00 with the method and server-final; Attach only after")
    void scramExchange() {
        Channel c = channel(scram("pencil", false));
        List<ChannelEffect> e = c.handle(connect(SCRAM, CLIENT_FIRST), 0);
        Auth challenge = sent(e, Auth.class);
        assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, challenge.reasonCode());
        assertEquals(SCRAM, challenge.properties().string(PropertyId.AUTHENTICATION_METHOD));
        assertEquals(SERVER_FIRST, data(challenge.properties()));
        assertTrue(none(e, Attach.class) && !closes(e), e::toString);
        assertTrue(c.authenticating(), "the connection reads the client's next AUTH");

        e = c.handle(auth(ReasonCode.CONTINUE_AUTHENTICATION, SCRAM, CLIENT_FINAL), SECOND);
        assertEquals("c1", only(e, Attach.class).clientId());
        assertTrue(none(e, Send.class), "CONNACK waits for the session");
        assertTrue(!c.authenticating());
        ConnAck ack = sent(c.attached(false, List.of()), ConnAck.class);
        assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
        assertEquals(SCRAM, ack.properties().string(PropertyId.AUTHENTICATION_METHOD));
        assertEquals(SERVER_FINAL, data(ack.properties()));
        assertEquals("user", c.user());
    }

    @Test
    @DisplayName("[MQTT-4.12.0-4] a wrong password: CONNACK 0x86, closed, no session, no will")
    void wrongPassword() {
        Channel c = channel(scram("not-pencil", false));
        c.handle(connect(SCRAM, CLIENT_FIRST), 0);
        List<ChannelEffect> e = c.handle(auth(ReasonCode.CONTINUE_AUTHENTICATION, SCRAM, CLIENT_FINAL), SECOND);
        assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, sent(e, ConnAck.class).reasonCode());
        assertTrue(closes(e) && none(e, Attach.class) && none(e, PublishWill.class) && none(e, Detach.class), e::toString);
    }

    @Test
    @DisplayName("bad Authentication Data (not SCRAM, not UTF-8) is a refusal, CONNACK 0x87, never an exception")
    void badAuthenticationData() {
        Channel c = channel(scram("pencil", false));
        Connect bad = new Connect(ProtocolVersion.V5, "c1", true, 0, null, null, null,
                Properties.EMPTY.with(PropertyId.AUTHENTICATION_METHOD, SCRAM)
                        .with(PropertyId.AUTHENTICATION_DATA, Bytes.wrap(new byte[] {(byte) 0xFF, 0, ','})));
        List<ChannelEffect> e = c.handle(bad, 0);
        assertEquals(ReasonCode.NOT_AUTHORIZED, sent(e, ConnAck.class).reasonCode());
        assertTrue(closes(e));

        c = channel(scram("pencil", false));
        c.handle(connect(SCRAM, CLIENT_FIRST), 0);
        e = c.handle(auth(ReasonCode.CONTINUE_AUTHENTICATION, SCRAM, "p=,c=,r="), SECOND);
        assertEquals(ReasonCode.NOT_AUTHORIZED, sent(e, ConnAck.class).reasonCode());
        assertTrue(closes(e));
    }

    @Test
    @DisplayName("a mechanism that throws is a refusal (CONNACK 0x87), not a crash of the connection")
    void throwingMechanismIsARefusal() {
        Authenticator broken = new Authenticator() {
            public String method() {
                return "BROKEN";
            }

            public AuthSession newSession() {
                return data -> {
                    throw new IllegalStateException("bug");
                };
            }
        };
        Channel c = channel(Authentication.of(List.of(broken), null, false));
        List<ChannelEffect> e = c.handle(connect("BROKEN", "x"), 0);
        assertEquals(ReasonCode.NOT_AUTHORIZED, sent(e, ConnAck.class).reasonCode());
        assertTrue(closes(e));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-30] before CONNACK only AUTH or DISCONNECT: a PUBLISH is CONNACK 0x82 and close")
    void onlyAuthBeforeConnAck() {
        Channel c = channel(scram("pencil", false));
        c.handle(connect(SCRAM, CLIENT_FIRST), 0);
        List<ChannelEffect> e = c.handle(new Publish(false, 0, false, "t", 0, Bytes.utf8("p"), Properties.EMPTY), SECOND);
        assertEquals(ReasonCode.PROTOCOL_ERROR, sent(e, ConnAck.class).reasonCode());
        assertTrue(closes(e) && none(e, Route.class), e::toString);
        assertTrue(only(e, Close.class).why().contains("MQTT-3.1.2-30"));

        c = channel(scram("pencil", false));
        c.handle(connect(SCRAM, CLIENT_FIRST), 0);
        e = c.handle(Disconnect.NORMAL, SECOND);
        assertTrue(closes(e) && none(e, Send.class) && none(e, PublishWill.class), e::toString);
    }

    @Test
    @DisplayName("[MQTT-4.12.0-5] an AUTH with another method during the exchange: CONNACK 0x82; [MQTT-4.12.0-3] not 0x18: 0x82")
    void sameMethodAndContinueDuringExchange() {
        Channel c = channel(scram("pencil", false));
        c.handle(connect(SCRAM, CLIENT_FIRST), 0);
        List<ChannelEffect> e = c.handle(auth(ReasonCode.CONTINUE_AUTHENTICATION, "SCRAM-SHA-1", CLIENT_FINAL), SECOND);
        assertEquals(ReasonCode.PROTOCOL_ERROR, sent(e, ConnAck.class).reasonCode());
        assertTrue(closes(e));

        c = channel(scram("pencil", false));
        c.handle(connect(SCRAM, CLIENT_FIRST), 0);
        e = c.handle(auth(ReasonCode.RE_AUTHENTICATE, SCRAM, CLIENT_FINAL), SECOND);
        assertEquals(ReasonCode.PROTOCOL_ERROR, sent(e, ConnAck.class).reasonCode());
        assertTrue(closes(e));
    }

    @Test
    @DisplayName("[MQTT-4.12.0-7] AUTH from a client that named no method in CONNECT: DISCONNECT 0x82, closed")
    void authWithoutMethodInConnect() {
        Channel c = channel(scram("pencil", false));
        c.handle(Connect.of(ProtocolVersion.V5, "c1", true, 0), 0);
        c.attached(false, List.of());
        List<ChannelEffect> e = c.handle(auth(ReasonCode.RE_AUTHENTICATE, SCRAM, CLIENT_FIRST), SECOND);
        assertEquals(ReasonCode.PROTOCOL_ERROR, sent(e, Disconnect.class).reasonCode());
        assertTrue(closes(e));
        assertTrue(only(e, Close.class).why().contains("MQTT-4.12.0-7"));
    }

    @Test
    @DisplayName("[MQTT-4.12.1-1] re-authentication: AUTH 0x19, server AUTH 0x18, PUBLISH still routed meanwhile, then AUTH 0x00 with server-final")
    void reauthentication() {
        Channel c = scramConnected(channel(scram("pencil", false)));
        List<ChannelEffect> e = c.handle(auth(ReasonCode.RE_AUTHENTICATE, SCRAM, CLIENT_FIRST), 10 * SECOND);
        Auth challenge = sent(e, Auth.class);
        assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, challenge.reasonCode());
        assertEquals(SERVER_FIRST, data(challenge.properties()));
        assertEquals(20 * SECOND, only(e, StartAuthTimer.class).afterNanos());

        e = c.handle(new Publish(false, 0, false, "t", 0, Bytes.utf8("p"), Properties.EMPTY), 11 * SECOND);
        only(e, Route.class);

        e = c.handle(auth(ReasonCode.CONTINUE_AUTHENTICATION, SCRAM, CLIENT_FINAL), 12 * SECOND);
        Auth done = sent(e, Auth.class);
        assertEquals(ReasonCode.SUCCESS, done.reasonCode());
        assertEquals(SCRAM, done.properties().string(PropertyId.AUTHENTICATION_METHOD));
        assertEquals(SERVER_FINAL, data(done.properties()));
        assertTrue(!closes(e) && c.connected());
        assertTrue(c.authTimeoutCheck(40 * SECOND).isEmpty(), "no exchange under way: the timer does nothing");
    }

    @Test
    @DisplayName("[MQTT-4.12.1-1] re-authentication with another method: DISCONNECT 0x82, closed")
    void reauthenticationWithAnotherMethod() {
        Channel c = scramConnected(channel(scram("pencil", false)));
        List<ChannelEffect> e = c.handle(auth(ReasonCode.RE_AUTHENTICATE, "SCRAM-SHA-1", CLIENT_FIRST), 10 * SECOND);
        assertEquals(ReasonCode.PROTOCOL_ERROR, sent(e, Disconnect.class).reasonCode());
        assertTrue(closes(e));
        only(e, Detach.class);
    }

    @Test
    @DisplayName("[MQTT-4.12.1-2] a failed re-authentication: DISCONNECT with the reason code, closed, the will published")
    void failedReauthentication() {
        Channel c = scramConnected(channel(scram("pencil", false)));
        c.handle(auth(ReasonCode.RE_AUTHENTICATE, SCRAM, CLIENT_FIRST), 10 * SECOND);
        String wrongProof = CLIENT_FINAL.substring(0, CLIENT_FINAL.indexOf(",p=") + 3)
                + Base64.getEncoder().encodeToString(new byte[32]);
        List<ChannelEffect> e = c.handle(auth(ReasonCode.CONTINUE_AUTHENTICATION, SCRAM, wrongProof), 11 * SECOND);
        assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, sent(e, Disconnect.class).reasonCode());
        assertTrue(closes(e));
        only(e, PublishWill.class);
    }

    @Test
    @DisplayName("[MQTT-4.12.0-3] AUTH 0x18 with no exchange under way, or 0x19 during one: DISCONNECT 0x82")
    void continueOrReauthOutOfTurn() {
        Channel c = scramConnected(channel(scram("pencil", false)));
        List<ChannelEffect> e = c.handle(auth(ReasonCode.CONTINUE_AUTHENTICATION, SCRAM, CLIENT_FINAL), 10 * SECOND);
        assertEquals(ReasonCode.PROTOCOL_ERROR, sent(e, Disconnect.class).reasonCode());

        c = scramConnected(channel(scram("pencil", false)));
        c.handle(auth(ReasonCode.RE_AUTHENTICATE, SCRAM, CLIENT_FIRST), 10 * SECOND);
        e = c.handle(auth(ReasonCode.RE_AUTHENTICATE, SCRAM, CLIENT_FIRST), 11 * SECOND);
        assertEquals(ReasonCode.PROTOCOL_ERROR, sent(e, Disconnect.class).reasonCode());
    }

    @Test
    @DisplayName("an exchange must finish within the connect timeout: at CONNECT CONNACK 0x87, a re-authentication DISCONNECT 0x87")
    void exchangeTimesOut() {
        Channel c = channel(scram("pencil", false));
        c.handle(connect(SCRAM, CLIENT_FIRST), 0);
        List<ChannelEffect> e = c.connectTimedOut();
        assertEquals(ReasonCode.NOT_AUTHORIZED, sent(e, ConnAck.class).reasonCode());
        assertTrue(closes(e) && none(e, Attach.class));

        c = scramConnected(channel(scram("pencil", false)));
        assertTrue(c.connectTimedOut().isEmpty(), "connected: the connect timeout does nothing");
        c.handle(auth(ReasonCode.RE_AUTHENTICATE, SCRAM, CLIENT_FIRST), 10 * SECOND);
        assertTrue(c.authTimeoutCheck(29 * SECOND).isEmpty(), "19 s of the 20 s");
        e = c.authTimeoutCheck(30 * SECOND);
        assertEquals(ReasonCode.NOT_AUTHORIZED, sent(e, Disconnect.class).reasonCode());
        assertTrue(closes(e));
    }

    @Test
    @DisplayName("plain CONNECT: let in without credentials by default; with users, a User Name is checked (0x86 if wrong)")
    void plainConnect() {
        Channel c = channel(scram("pencil", false));
        only(c.handle(Connect.of(ProtocolVersion.V5, "c1", true, 0), 0), Attach.class);
        assertNull(c.user());

        c = channel(scram("pencil", false));
        only(c.handle(new Connect(ProtocolVersion.V3_1_1, "c1", true, 0, null, "user", Bytes.utf8("pencil"), Properties.EMPTY), 0),
                Attach.class);
        assertEquals("user", c.user());

        for (Connect bad : List.of(
                new Connect(ProtocolVersion.V5, "c1", true, 0, null, "user", Bytes.utf8("nope"), Properties.EMPTY),
                new Connect(ProtocolVersion.V5, "c1", true, 0, null, "nobody", Bytes.utf8("pencil"), Properties.EMPTY),
                new Connect(ProtocolVersion.V5, "c1", true, 0, null, "user", null, Properties.EMPTY))) {
            c = channel(scram("pencil", false));
            List<ChannelEffect> e = c.handle(bad, 0);
            assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, sent(e, ConnAck.class).reasonCode(), bad::toString);
            assertTrue(closes(e) && none(e, Attach.class));
        }
    }

    @Test
    @DisplayName("swarmmq.auth.required: a CONNECT without credentials is refused, CONNACK 0x87 (3.1.1: 0x05)")
    void authenticationRequired() {
        for (ProtocolVersion v : List.of(ProtocolVersion.V5, ProtocolVersion.V3_1_1)) {
            Channel c = channel(scram("pencil", true));
            List<ChannelEffect> e = c.handle(Connect.of(v, "c1", true, 0), 0);
            assertEquals(ReasonCode.NOT_AUTHORIZED, sent(e, ConnAck.class).reasonCode());
            assertTrue(closes(e) && none(e, Attach.class));
        }
        Channel c = channel(scram("pencil", true));
        only(c.handle(new Connect(ProtocolVersion.V3_1_1, "c1", true, 0, null, "user", Bytes.utf8("pencil"), Properties.EMPTY), 0),
                Attach.class);
        assertInstanceOf(Auth.class, sent(channel(scram("pencil", true)).handle(connect(SCRAM, CLIENT_FIRST), 0), Auth.class));
    }

    @Test
    @DisplayName("a client that drops the connection during the exchange never authenticated: no will, no session to detach")
    void noWillBeforeAuthentication() {
        Channel c = channel(scram("pencil", false));
        c.handle(connect(SCRAM, CLIENT_FIRST), 0);
        List<ChannelEffect> e = c.streamEnded("connection reset");
        assertTrue(closes(e) && none(e, PublishWill.class) && none(e, Detach.class), e::toString);

        c = scramConnected(channel(scram("pencil", false)));
        only(c.streamEnded("connection reset"), PublishWill.class); // authenticated: the will is its own
    }

    /** A two-step mechanism for the tests: "hello" first, then the client's data is the user it logs in as. */
    private static final Authenticator NAME = new Authenticator() {
        public String method() {
            return "NAME";
        }

        public AuthSession newSession() {
            return new AuthSession() {
                boolean greeted;

                public org.swarmmq.protocol.auth.AuthResult step(byte[] data) {
                    if (!greeted) {
                        greeted = true;
                        return new org.swarmmq.protocol.auth.AuthResult.Continue(Bytes.utf8("hello").toByteArray());
                    }
                    return new org.swarmmq.protocol.auth.AuthResult.Success(new byte[0], new String(data));
                }
            };
        }
    };

    @Test
    @DisplayName("re-authentication as another user than at CONNECT: DISCONNECT 0x87; as the same user: AUTH 0x00")
    void reauthenticationKeepsTheUser() {
        Channel c = channel(Authentication.of(List.of(NAME), null, false));
        c.handle(connect("NAME", null), 0);
        c.handle(auth(ReasonCode.CONTINUE_AUTHENTICATION, "NAME", "ann"), 0);
        c.attached(false, List.of());
        assertEquals("ann", c.user());

        c.handle(auth(ReasonCode.RE_AUTHENTICATE, "NAME", null), SECOND);
        List<ChannelEffect> e = c.handle(auth(ReasonCode.CONTINUE_AUTHENTICATION, "NAME", "ann"), 2 * SECOND);
        Auth ok = sent(e, Auth.class);
        assertEquals(ReasonCode.SUCCESS, ok.reasonCode());
        assertTrue(!ok.properties().has(PropertyId.AUTHENTICATION_DATA), "no data from the mechanism, none sent");

        c.handle(auth(ReasonCode.RE_AUTHENTICATE, "NAME", null), 3 * SECOND);
        e = c.handle(auth(ReasonCode.CONTINUE_AUTHENTICATION, "NAME", "bob"), 4 * SECOND);
        assertEquals(ReasonCode.NOT_AUTHORIZED, sent(e, Disconnect.class).reasonCode());
        assertTrue(closes(e));
    }
}
