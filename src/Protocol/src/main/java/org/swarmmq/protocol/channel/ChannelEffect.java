package org.swarmmq.protocol.channel;

import java.util.List;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.Will;

/** What a {@link Channel} asks its connection to do, as plain data, in the order given. */
public sealed interface ChannelEffect {
    /** Write a packet to the client. */
    record Send(Packet packet) implements ChannelEffect {
    }

    /**
     * Route an application message. {@code token} 0: nothing waits (QoS 0); otherwise an
     * acknowledgement waits until the connection reports {@link Channel#routed(long)}.
     */
    record Route(Publish publish, long token) implements ChannelEffect {
    }

    /**
     * CONNECT accepted so far: attach to (or create) the client's session. {@code sessionExpirySeconds}:
     * how long the session outlives the connection (0: it ends with it; {@link Channel#NEVER_EXPIRES}:
     * an MQTT 3 persistent session, or MQTT 5's 0xFFFFFFFF). {@code maxPacketSize}: the client's
     * (MQTT 5 CONNECT), the largest PUBLISH its session may send it ({@link ClientLimits#NO_LIMIT}: none).
     */
    record Attach(String clientId, ProtocolVersion version, boolean cleanStart, long sessionExpirySeconds,
                  int receiveMaximum, int maxPacketSize) implements ChannelEffect {
        public Attach(String clientId, ProtocolVersion version, boolean cleanStart, long sessionExpirySeconds,
                      int receiveMaximum) {
            this(clientId, version, cleanStart, sessionExpirySeconds, receiveMaximum, ClientLimits.NO_LIMIT);
        }

        public boolean persistent() {
            return sessionExpirySeconds > 0;
        }
    }

    /** For the session: PUBACK, PUBREC, PUBCOMP of messages it sent, SUBSCRIBE, UNSUBSCRIBE. */
    record ToSession(Packet packet) implements ChannelEffect {
    }

    /** Check the keep alive every {@code everyNanos} ({@link Channel#keepAliveCheck(long)}). */
    record StartKeepAlive(long everyNanos) implements ChannelEffect {
    }

    /**
     * Publish the will [MQTT-3.1.2-8]; {@code delaySeconds} above 0 (MQTT 5 Will Delay Interval,
     * with a session that outlives the connection): the session publishes it when the delay or
     * the session ends, whichever is first, and not at all if the client is back before.
     */
    record PublishWill(Will will, long delaySeconds) implements ChannelEffect {
    }

    /**
     * The connection ends: leave the session (with the unreleased inbound QoS 2 ids), if attached.
     * {@code sessionExpirySeconds}: as at CONNECT, or as the MQTT 5 DISCONNECT changed it.
     */
    record Detach(List<Integer> inboundQos2, long sessionExpirySeconds) implements ChannelEffect {
    }

    /** An MQTT 5 re-authentication began: call {@link Channel#authTimeoutCheck(long)} after {@code afterNanos}. */
    record StartAuthTimer(long afterNanos) implements ChannelEffect {
    }

    /** Close the socket once what was sent is written; {@code why} is for the log, with the rule. */
    record Close(String why) implements ChannelEffect {
    }
}
