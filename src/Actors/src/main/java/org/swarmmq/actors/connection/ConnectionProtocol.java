package org.swarmmq.actors.connection;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.swarmmq.actors.CborSerializable;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.ReasonCode;

/** Every message a connection ({@link ConnectionStage}'s actor) accepts from its session; and what the decoder emits. */
public final class ConnectionProtocol {
    private ConnectionProtocol() {
    }

    public interface Command extends CborSerializable {
    }

    // From the session (may come from another node).

    /**
     * The session accepted the connection; CONNACK may go out. {@code inboundQos2}: QoS 2 ids
     * received on an earlier connection and not yet released by PUBREL. {@code session}: the
     * entity itself, to talk to without the sharding hops while it lives.
     */
    public record Attached(boolean sessionPresent, java.util.List<Integer> inboundQos2,
                           ActorRef<org.swarmmq.actors.session.SessionProtocol.Command> session) implements Command {
    }

    /**
     * Packets for the client, in order. {@code retained}: a SUBACK and the retained messages of its
     * new subscriptions, buffered whole, QoS 0 too, where other QoS 0 is dropped once the client's
     * buffer is full. A one-off burst, already in memory in this message: a subscriber to {@code #}
     * gets every retained message, as from mosquitto.
     */
    public record Send(List<Packet> packets, boolean retained) implements Command {
        public Send(List<Packet> packets) {
            this(packets, false);
        }
    }

    /**
     * The session has handled this connection's Detach: the socket may close now, so a client that
     * reconnects once it sees the close finds the session as the DISCONNECT left it (ended, or
     * with its new expiry). {@code sessionEnded}: whether the session ended with it.
     */
    public record Detached(boolean sessionEnded) implements Command {
    }

    /** Another connection took the session over [MQTT-3.1.4-2], or the server closes it. */
    public record Close(ReasonCode reason) implements Command {
    }

    /** What the decode stage emits besides packets: the first rule a client broke. */
    public record Violation(ProtocolException error) {
    }
}
