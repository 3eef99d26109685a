package org.swarmmq.actors.session;

import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.swarmmq.actors.CborSerializable;
import org.swarmmq.actors.topic.TopicProtocol;
import org.swarmmq.protocol.packets.Publish;

/**
 * What a persistent session keeps across connections and node restarts, as written to the
 * durable state store: its subscriptions, its outbound messages (in flight as sent, PUBRELs
 * awaiting PUBCOMP, queued with when each expires) and the inbound QoS 2 ids not yet released
 * [MQTT-4.1.0-1], and when the session expires if its client stays away (MQTT 5 Session Expiry).
 * {@code inflightShared}: which in-flight messages Shared Subscriptions chose us for, by packet id
 * (null in records from before shared subscriptions; the queued ones say so themselves).
 *
 * <p>{@code expirySeconds} is the Session Expiry Interval the client connected with (added later:
 * a record written before it reads as 0). While the client is connected {@code expiresAtMillis}
 * is {@link #NO_EXPIRY}; a session restored from such a record lost its connection with its node,
 * and its expiry runs from the restore.
 *
 * <p>{@code liveAt} (null in older records, and while the sharded entity itself holds the
 * session): the live session on the client's node that wrote it ({@link SessionEntity}, "Where a
 * session runs"), so an entity restarted after its node died forwards to it instead of serving a
 * second copy.
 */
public record SessionRecord(
        int protocolLevel,
        Map<String, TopicProtocol.Options> subscriptions,
        List<Publish> inflight,
        List<Integer> releasing,
        List<Outbox.Queued> queued,
        List<Integer> inboundQos2,
        long expiresAtMillis,
        long expirySeconds,
        Map<Integer, SharedOrigin> inflightShared,
        ActorRef<SessionProtocol.Command> liveAt) implements CborSerializable {
    public SessionRecord(int protocolLevel, Map<String, TopicProtocol.Options> subscriptions, List<Publish> inflight,
                         List<Integer> releasing, List<Outbox.Queued> queued, List<Integer> inboundQos2,
                         long expiresAtMillis, long expirySeconds, Map<Integer, SharedOrigin> inflightShared) {
        this(protocolLevel, subscriptions, inflight, releasing, queued, inboundQos2, expiresAtMillis, expirySeconds,
                inflightShared, null);
    }

    public SessionRecord(int protocolLevel, Map<String, TopicProtocol.Options> subscriptions, List<Publish> inflight,
                         List<Integer> releasing, List<Outbox.Queued> queued, List<Integer> inboundQos2,
                         long expiresAtMillis) {
        this(protocolLevel, subscriptions, inflight, releasing, queued, inboundQos2, expiresAtMillis, 0, Map.of());
    }

    public SessionRecord(int protocolLevel, Map<String, TopicProtocol.Options> subscriptions, List<Publish> inflight,
                         List<Integer> releasing, List<Outbox.Queued> queued, List<Integer> inboundQos2,
                         long expiresAtMillis, long expirySeconds) {
        this(protocolLevel, subscriptions, inflight, releasing, queued, inboundQos2, expiresAtMillis, expirySeconds,
                Map.of());
    }

    public SessionRecord(int protocolLevel, Map<String, TopicProtocol.Options> subscriptions, List<Publish> inflight,
                         List<Integer> releasing, List<Outbox.Queued> queued, List<Integer> inboundQos2,
                         long expiresAtMillis, Map<Integer, SharedOrigin> inflightShared) {
        this(protocolLevel, subscriptions, inflight, releasing, queued, inboundQos2, expiresAtMillis, 0, inflightShared);
    }

    /** {@link #expiresAtMillis} of a session that does not expire while its client is away, or is online. */
    public static final long NO_EXPIRY = 0;
}
