package org.swarmmq.actors.topic;

import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.swarmmq.actors.CborSerializable;
import org.swarmmq.actors.Message;

/** Every message a topic entity accepts or emits. Commands are imperative, replies past tense. */
public final class TopicProtocol {
    private TopicProtocol() {
    }

    public interface Command extends CborSerializable {
    }

    /**
     * What a subscriber asked for: QoS and the MQTT 5 options, plus the subscription identifier
     * (0 when none) to return with each matching message.
     */
    public record Options(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling,
                          int subscriptionId) implements CborSerializable {
        /** The Subscription Identifiers a matching message carries for this subscription [MQTT-3.3.4-3]. */
        public java.util.List<Integer> subscriptionIds() {
            return subscriptionId > 0 ? java.util.List.of(subscriptionId) : java.util.List.of();
        }
    }

    /**
     * Record {@code clientId}'s subscription to {@code filter}. {@code durable} subscriptions
     * (persistent sessions) are journaled; others live as long as the entity. The reply carries
     * the retained messages that match, taken in the same step, so a retained message
     * acknowledged before the subscribe is always among them. {@code session} is the session
     * entity itself: deliveries go to it directly while it lives, skipping the sharding hops.
     */
    public record Subscribe(String clientId, String filter, Options options, boolean durable,
                            ActorRef<org.swarmmq.actors.session.SessionProtocol.Command> session,
                            ActorRef<Subscribed> replyTo) implements Command {
    }

    public record Subscribed(String filter, List<Message> retained) implements CborSerializable {
    }

    /**
     * Sent by sharding to stop a topic entity that moves (a rebalance, its node leaving). The
     * subscriptions of clean sessions are not journaled, so before it stops the entity asks each
     * such subscriber's session to subscribe again: the entity's next home has them too.
     */
    public record HandOff() implements Command {
    }

    public record Unsubscribe(String clientId, String filter) implements Command {
    }

    /**
     * Route a published message. {@code prior} holds deliveries already found by the wildcard
     * entity, keyed by client id, so the root entity gives each client one copy at the highest
     * QoS [MQTT-3.3.5-1]. {@code replyTo} (null for QoS 0) hears {@link Routed} once the message
     * is handed on and, if retained, stored; then one {@link Confirmed} from each persistent
     * session that stored it. {@code priorSessions}: where the wildcard entity knows those
     * clients' sessions run, so the root reaches them directly (it may know only their entities).
     */
    public record Route(Message message, Map<String, Delivery> prior, ActorRef<RouteReply> replyTo,
                        long correlationId,
                        Map<String, ActorRef<org.swarmmq.actors.session.SessionProtocol.Command>> priorSessions)
            implements Command {
        public Route {
            if (priorSessions == null) priorSessions = Map.of();
        }

        public Route(Message message, Map<String, Delivery> prior, ActorRef<RouteReply> replyTo, long correlationId) {
            this(message, prior, replyTo, correlationId, Map.of());
        }
    }

    /** What a publisher's connection hears about one routed message. */
    public sealed interface RouteReply extends CborSerializable permits Routed, Confirmed {
        long correlationId();
    }

    /**
     * The message left its topic entity (and a retained one is journaled). {@code confirmations}
     * persistent sessions were given it at QoS 1 or 2; each answers {@link Confirmed} once the
     * message is in its stored record. Only then may the publisher be acknowledged: a node that
     * dies afterwards cannot take an acknowledged message with it. {@code matched}: how many clients
     * a subscription matched (0: an MQTT 5 publisher hears 0x10 No matching subscribers), or
     * {@link #UNKNOWN} from a node that did not send it.
     */
    public record Routed(long correlationId, int confirmations, int matched) implements RouteReply {
        public static final int UNKNOWN = -1;

        public Routed(long correlationId, int confirmations) {
            this(correlationId, confirmations, UNKNOWN);
        }

        public boolean noMatchingSubscribers() {
            return matched == 0;
        }
    }

    /** A persistent session stored the message of {@code correlationId}. */
    public record Confirmed(long correlationId) implements RouteReply {
    }

    /**
     * One client's share of a routed message: the QoS to deliver at, what to mark it with, and
     * whether its session is persistent (so it must confirm a QoS 1/2 message once stored).
     * {@code shared}: the Shared Subscriptions ({@code $share/name/filter}) that chose this client
     * for the message, so a session that ends before finishing it can give it back (4.8.2).
     */
    public record Delivery(int qos, boolean retainAsPublished, List<Integer> subscriptionIds, boolean durable,
                           List<String> shared) implements CborSerializable {
        public Delivery {
            if (shared == null) shared = List.of();
        }

        public Delivery(int qos, boolean retainAsPublished, List<Integer> subscriptionIds, boolean durable) {
            this(qos, retainAsPublished, subscriptionIds, durable, List.of());
        }

        Delivery merge(int otherQos, boolean otherRap, int subscriptionId, boolean otherDurable) {
            List<Integer> ids = subscriptionIds;
            if (subscriptionId > 0) {
                ids = new java.util.ArrayList<>(subscriptionIds);
                ids.add(subscriptionId);
            }
            return new Delivery(Math.max(qos, otherQos), retainAsPublished || otherRap, ids, durable || otherDurable,
                    shared);
        }

        /** This delivery, also chosen by the Shared Subscription {@code sharedFilter}. */
        Delivery through(String sharedFilter) {
            List<String> s = new java.util.ArrayList<>(shared);
            s.add(sharedFilter);
            return new Delivery(qos, retainAsPublished, subscriptionIds, durable, List.copyOf(s));
        }

        /** Whether the session must confirm storing it before the publisher is acknowledged. */
        public boolean needsConfirmation() {
            return durable && qos > 0;
        }
    }

    /**
     * A member of the Shared Subscription {@code sharedFilter} ({@code $share/name/filter}) whose
     * session ended gives back a message the group chose it for and it had not finished: the
     * entity holding the group picks another member (never {@code leaver}) and delivers it
     * there; with no other member it is dropped (4.8.2: the Server SHOULD send it to another
     * Client subscribed to the same Shared Subscription). Nobody waits for it: no confirmation.
     */
    public record Redeliver(Message message, String sharedFilter, String leaver) implements Command {
    }

    /**
     * A member's session tells the entity of its Shared Subscription whether its client is
     * connected, so the group's turn skips members whose clients are away while others are there.
     */
    public record SharedPresence(String clientId, String sharedFilter, boolean present) implements Command {
    }

    /** The retained messages of this root matching {@code filter}; used by the wildcard entity. */
    public record QueryRetained(String filter, ActorRef<RetainedFound> replyTo) implements Command {
    }

    public record RetainedFound(List<Message> retained) implements CborSerializable {
    }

    /** Asked of the wildcard entity by a node that starts: are there wildcard-first filters? */
    /**
     * A subscriber's session now runs at {@code session} (its client connected on that node, or
     * left it): deliver there, not through the entity that handed it over. {@code noted} (or
     * null), the session's previous holder, hears {@code SessionNoted} after everything this
     * entity sent it before: it may stop then without losing a delivery.
     */
    public record SessionAt(String clientId, ActorRef<org.swarmmq.actors.session.SessionProtocol.Command> session,
                            ActorRef<org.swarmmq.actors.session.SessionProtocol.Command> noted)
            implements Command {
    }

    public record GetWildcardActive(ActorRef<NodeRoutes.Command> replyTo) implements Command {
    }

    /**
     * Root entity to wildcard entity: this root now holds retained messages, so a wildcard-first
     * subscription must ask it. Acknowledged once journaled.
     */
    public record RegisterRetainedRoot(String entityId, ActorRef<RootRegistered> replyTo) implements Command {
    }

    public record RootRegistered() implements CborSerializable {
    }

    // Events, journaled by the entity.
    public interface Event extends CborSerializable {
    }

    public record SubscriptionAdded(String clientId, String filter, Options options) implements Event {
    }

    public record SubscriptionRemoved(String clientId, String filter) implements Event {
    }

    /** A retained PUBLISH; an empty payload removes the topic's retained message. */
    public record RetainedChanged(Message message) implements Event {
    }

    public record RetainedRootAdded(String entityId) implements Event {
    }
}
