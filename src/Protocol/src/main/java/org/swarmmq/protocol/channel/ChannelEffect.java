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

    /** CONNECT accepted so far: attach to (or create) the client's session. */
    record Attach(String clientId, ProtocolVersion version, boolean cleanStart, boolean persistent,
                  int receiveMaximum) implements ChannelEffect {
    }

    /** For the session: PUBACK, PUBREC, PUBCOMP of messages it sent, SUBSCRIBE, UNSUBSCRIBE. */
    record ToSession(Packet packet) implements ChannelEffect {
    }

    /** Check the keep alive every {@code everyNanos} ({@link Channel#keepAliveCheck(long)}). */
    record StartKeepAlive(long everyNanos) implements ChannelEffect {
    }

    /** Publish the will [MQTT-3.1.2-8]. */
    record PublishWill(Will will) implements ChannelEffect {
    }

    /** The connection ends: leave the session (with the unreleased inbound QoS 2 ids), if attached. */
    record Detach(List<Integer> inboundQos2) implements ChannelEffect {
    }

    /** Close the socket once what was sent is written; {@code why} is for the log, with the rule. */
    record Close(String why) implements ChannelEffect {
    }
}
