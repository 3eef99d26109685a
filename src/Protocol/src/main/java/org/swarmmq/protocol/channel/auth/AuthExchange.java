package org.swarmmq.protocol.channel.auth;

import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.auth.AuthResult;
import org.swarmmq.protocol.auth.AuthSession;
import org.swarmmq.protocol.auth.Authenticator;
import org.swarmmq.protocol.packets.Auth;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * A connection's authentication (MQTT 5.0 section 4.12), pure: at CONNECT the plain user name and
 * password or an enhanced authentication exchange with AUTH packets, and later re-authentication
 * (4.12.1). The {@code Channel} hands it CONNECT and AUTH packets and carries out the
 * {@link Step} it returns; the exchange itself never sends or closes anything.
 */
public final class AuthExchange {
    /** What the channel does next. */
    public sealed interface Step {
    }

    /** Let the client in; {@code connackProperties} (Authentication Method and Data) go into the CONNACK. */
    public record Accept(Properties connackProperties) implements Step {
    }

    /** Send {@code auth}: 0x18 asks for more [MQTT-4.12.0-2], 0x00 ends a re-authentication. */
    public record Reply(Auth auth) implements Step {
    }

    /** Refuse with {@code reasonCode} (CONNACK before, DISCONNECT after CONNACK) and close; {@code why} for the log. */
    public record Refuse(ReasonCode reasonCode, String why) implements Step {
    }

    private final Authentication config;
    /** The Authentication Method of the CONNECT, or null: no enhanced authentication on this connection. */
    private String method;
    private AuthSession session;
    private boolean beforeConnAck;
    private long startedNanos;
    private String user;

    public AuthExchange(Authentication config) {
        this.config = config;
    }

    /** Whether an exchange is under way (before CONNACK or a re-authentication). */
    public boolean inProgress() {
        return session != null;
    }

    /** Whether the CONNACK waits for this exchange to finish. */
    public boolean beforeConnAck() {
        return beforeConnAck && session != null;
    }

    /** Who the client authenticated as (SCRAM user, or the CONNECT's checked User Name); null if nobody. */
    public String user() {
        return user;
    }

    /** The CONNECT: accept, refuse, or start an exchange. */
    public Step connect(Connect c, long nowNanos) {
        String m = c.version().isV5() ? c.properties().string(PropertyId.AUTHENTICATION_METHOD) : null;
        if (m == null) return plain(c);
        Authenticator a = config.mechanisms().get(m);
        if (a == null) {
            // [MQTT-4.12.0-1] a method we do not support: CONNACK 0x8C, close
            return new Refuse(ReasonCode.BAD_AUTHENTICATION_METHOD,
                    "Authentication Method '" + m + "' not supported [MQTT-4.12.0-1]");
        }
        method = m;
        session = a.newSession();
        beforeConnAck = true;
        startedNanos = nowNanos;
        return step(data(c.properties()), true);
    }

    /** An AUTH from the client, before CONNACK or after it. */
    public Step auth(Auth p, long nowNanos) {
        if (method == null) {
            return new Refuse(ReasonCode.PROTOCOL_ERROR, "AUTH without an Authentication Method in CONNECT [MQTT-4.12.0-7]");
        }
        String m = p.properties().string(PropertyId.AUTHENTICATION_METHOD);
        if (!method.equals(m)) {
            return new Refuse(ReasonCode.PROTOCOL_ERROR, "AUTH with Authentication Method '" + m + "', not '" + method
                    + "' of the CONNECT [MQTT-4.12.0-5] [MQTT-4.12.1-1]");
        }
        ReasonCode rc = p.reasonCode();
        if (rc == ReasonCode.CONTINUE_AUTHENTICATION && session != null) {
            return step(data(p.properties()), beforeConnAck); // [MQTT-4.12.0-3]
        }
        if (rc == ReasonCode.RE_AUTHENTICATE && session == null && !beforeConnAck) {
            // [MQTT-4.12.1-1] a new exchange; packets keep flowing meanwhile
            session = config.mechanisms().get(method).newSession();
            startedNanos = nowNanos;
            return step(data(p.properties()), false);
        }
        return new Refuse(ReasonCode.PROTOCOL_ERROR, "AUTH " + rc + (session == null
                ? " with no authentication under way [MQTT-4.12.0-3]"
                : " while an authentication is under way [MQTT-4.12.0-3]"));
    }

    /**
     * [MQTT-3.1.2-30] before CONNACK the client sends only AUTH (or DISCONNECT, which the channel
     * handles): anything else is a Protocol Error.
     */
    public Step beforeConnAck(Packet p, long nowNanos) {
        if (p instanceof Auth a) return auth(a, nowNanos);
        return new Refuse(ReasonCode.PROTOCOL_ERROR, p.type() + " before CONNACK during enhanced authentication [MQTT-3.1.2-30]");
    }

    /** A refusal if the exchange under way began {@code timeoutSeconds} or more before {@code nowNanos}; else null. */
    public Step overdue(long nowNanos, long timeoutSeconds) {
        if (session == null || nowNanos - startedNanos < timeoutSeconds * 1_000_000_000L) return null;
        return timedOut(timeoutSeconds);
    }

    /** The time for the exchange under way ran out. */
    public Step timedOut(long timeoutSeconds) {
        session = null;
        return new Refuse(ReasonCode.NOT_AUTHORIZED, "authentication not finished within " + timeoutSeconds + " s");
    }

    private Step plain(Connect c) {
        if (c.userName() != null && config.passwords() != null) {
            if (!config.passwords().check(c.userName(), c.password())) {
                return new Refuse(ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                        "wrong password or unknown user '" + c.userName() + "' (3.1.3.5, 3.1.3.6)");
            }
            user = c.userName();
            return new Accept(Properties.EMPTY);
        }
        if (config.required()) {
            return new Refuse(ReasonCode.NOT_AUTHORIZED, "authentication required (swarmmq.auth.required),"
                    + " and the CONNECT carries no credentials");
        }
        return new Accept(Properties.EMPTY);
    }

    private Step step(byte[] data, boolean connecting) {
        AuthResult r;
        try {
            r = session.step(data);
        } catch (RuntimeException e) {
            r = new AuthResult.Failure(ReasonCode.NOT_AUTHORIZED, "authentication mechanism failed: " + e);
        }
        if (r instanceof AuthResult.Continue c) return new Reply(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, props(c.data())));
        session = null;
        beforeConnAck = false;
        if (r instanceof AuthResult.Failure f) return new Refuse(f.reasonCode(), method + ": " + f.why());
        AuthResult.Success s = (AuthResult.Success) r;
        if (!connecting && user != null && !user.equals(s.username())) {
            return new Refuse(ReasonCode.NOT_AUTHORIZED, "re-authenticated as '" + s.username() + "', not as '" + user + "'");
        }
        user = s.username();
        Properties props = props(s.data());
        // [MQTT-4.12.0-5] the successful CONNACK carries the method of the CONNECT
        return connecting ? new Accept(props) : new Reply(new Auth(ReasonCode.SUCCESS, props));
    }

    private Properties props(byte[] data) {
        Properties p = Properties.EMPTY.with(PropertyId.AUTHENTICATION_METHOD, method);
        return data.length == 0 ? p : p.with(PropertyId.AUTHENTICATION_DATA, Bytes.wrap(data));
    }

    private static byte[] data(Properties p) {
        Bytes d = p.binary(PropertyId.AUTHENTICATION_DATA);
        return d == null ? new byte[0] : d.toByteArray();
    }
}
