package org.swarmmq.actors.session;

import org.apache.pekko.actor.typed.ActorRef;
import org.swarmmq.actors.CborSerializable;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.connection.ConnectionProtocol;
import org.swarmmq.actors.topic.TopicProtocol;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Unsubscribe;

/** Every message the session entity accepts. Commands are imperative; events past tense. */
public final class SessionProtocol {
    private SessionProtocol() {
    }

    public interface Command extends CborSerializable {
    }

    /**
     * A connection with this client id completed CONNECT. {@code cleanStart} discards any earlier
     * session [MQTT-3.1.2-6]; {@code sessionExpirySeconds} is how long this one outlives the
     * connection: 0 ends it with the connection, {@code Channel.NEVER_EXPIRES} (clean session 0)
     * keeps it until a clean start. {@code maxPacketSize}: the MQTT 5 client's Maximum Packet Size,
     * nothing larger is sent to it [MQTT-3.1.2-24]; 0 (a sender that did not know the field) or
     * Integer.MAX_VALUE: no limit.
     */
    public record Attach(ActorRef<ConnectionProtocol.Command> connection, ProtocolVersion version,
                         boolean cleanStart, long sessionExpirySeconds, int receiveMaximum, int maxPacketSize)
            implements Command {
        public Attach(ActorRef<ConnectionProtocol.Command> connection, ProtocolVersion version,
                      boolean cleanStart, long sessionExpirySeconds, int receiveMaximum) {
            this(connection, version, cleanStart, sessionExpirySeconds, receiveMaximum, Outbox.NO_LIMIT);
        }

        public boolean persistent() {
            return sessionExpirySeconds > 0;
        }
    }

    /**
     * The connection ended (gracefully or not); the session stays for {@code sessionExpirySeconds}
     * (as at CONNECT, or as an MQTT 5 DISCONNECT changed it), with the inbound QoS 2 ids the
     * connection had not seen released.
     */
    public record Detach(ActorRef<ConnectionProtocol.Command> connection, java.util.List<Integer> inboundQos2,
                         long sessionExpirySeconds) implements Command {
    }

    public record SubscribeRequest(ActorRef<ConnectionProtocol.Command> connection, Subscribe packet)
            implements Command {
    }

    public record UnsubscribeRequest(ActorRef<ConnectionProtocol.Command> connection, Unsubscribe packet)
            implements Command {
    }

    /** PUBACK, PUBREC or PUBCOMP from the client for a message we sent. */
    public record Acknowledge(ActorRef<ConnectionProtocol.Command> connection, Packet ack) implements Command {
    }

    /**
     * A message routed to this client by a topic entity. {@code confirmTo} (null when not needed)
     * hears {@link TopicProtocol.Confirmed} with {@code correlationId} once the message is in the
     * session's stored record, or at once if it was not kept (a full queue).
     */
    public record Deliver(Message message, TopicProtocol.Delivery delivery,
                          ActorRef<TopicProtocol.RouteReply> confirmTo, long correlationId) implements Command {
        /** A delivery for a publisher waiting at {@code replyTo}: confirmed only if the Delivery needs it. */
        public static Deliver of(Message message, TopicProtocol.Delivery delivery,
                                 ActorRef<TopicProtocol.RouteReply> replyTo, long correlationId) {
            return new Deliver(message, delivery, delivery.needsConfirmation() ? replyTo : null, correlationId);
        }
    }

    /**
     * The connection ended abnormally and its will has a Will Delay Interval: publish it when the
     * delay or the session ends, whichever is first; not at all if the client is back before
     * [MQTT-3.1.3-9].
     */
    public record PublishWillLater(ActorRef<ConnectionProtocol.Command> connection, Message will, long delaySeconds)
            implements Command {
    }

    // Where a session runs: the sharded entity hands it to a live session on its client's node
    // and takes it back when the client goes (SessionEntity, "Where a session runs").

    /**
     * All a session holds, handed between the sharded entity and a live session: the record as it
     * would be stored (and the store's revision it is at), whether the session exists and is
     * persistent, its connection (or null) and what that client allows (in-flight window,
     * Maximum Packet Size), and a will waiting for its delay (or null) with when its delay ends
     * (epoch ms).
     */
    public record SessionImage(SessionRecord record, long revision, boolean exists, boolean persistent,
                               ActorRef<ConnectionProtocol.Command> connection, int maxInflight, int maxPacketSize,
                               Message pendingWill, long willAtMillis) implements CborSerializable {
    }

    /** A live session started on its client's node with the image it was sent; it serves the client now. */
    public record Hosted(ActorRef<Command> live) implements Command {
    }

    /** The live session's client went (or connected on another node): the session is the entity's again. */
    public record Returned(SessionImage image) implements Command {
    }

    /**
     * A topic entity that moves lost these of our subscriptions (clean sessions' are not
     * journaled): subscribe to them again where it goes (TopicProtocol.HandOff).
     */
    public record Resubscribe(java.util.List<String> filters) implements Command {
    }

    /** A topic entity delivers to the session's new holder from now on (TopicProtocol.SessionAt). */
    public record SessionNoted() implements Command {
    }

    /** To a live session the entity no longer counts on (it answered too late): close and stop. */
    public record Superseded() implements Command {
    }

    /**
     * From a live session whose entity stopped (its node died, or sharding moved it): to the
     * entity started in its place, which did not hand the session over and may not know of it (a
     * clean session leaves no record naming it).
     */
    public record Adopt(ActorRef<Command> live) implements Command {
    }

    /** The entity's answer to {@link Adopt}: it passes on to the live session; watch it instead. */
    public record Adopted(ActorRef<Command> owner) implements Command {
    }
}
