package org.swarmmq.actors.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.topic.TopicProtocol;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.topics.TopicFilters;

/**
 * What a session does as a member of Shared Subscriptions, beside ordinary subscribing.
 *
 * <p>It says when its client comes and goes ({@link #presence}), so a group prefers members that
 * are connected. And when it ends (clean session disconnect, MQTT 5 session expiry, clean
 * start), what Shared Subscriptions chose it for and it had not finished goes back to each
 * group, for another member
 * (4.8.2: "If the Client's Session terminates before the Client reconnects, the Server SHOULD
 * send the Application Message to another Client that is subscribed to the same Shared
 * Subscription"). Which messages those are is {@link Outbox#sharedToGiveBack}'s rule.
 */
final class SharedMember {
    private SharedMember() {
    }

    /** Tells the entity of each shared filter among {@code filters} whether the client is connected. */
    static void presence(String clientId, Collection<String> filters, boolean present,
                         Consumer<TopicProtocol.SharedPresence> send) {
        for (String f : filters) {
            if (f.startsWith(TopicFilters.SHARED_PREFIX)) send.accept(new TopicProtocol.SharedPresence(clientId, f, present));
        }
    }

    /**
     * Gives back what the ending session holds, to each group's entity ({@code send}); after the
     * session's unsubscribes, which the same entities then have handled, so the leaver is gone.
     */
    static void send(String clientId, List<Outbox.GivenBack> given, Consumer<TopicProtocol.Redeliver> send) {
        of(clientId, given, System.currentTimeMillis()).forEach(send);
    }

    /** A delivery that reached the session after it ended (racing its unsubscribes): to another member too. */
    static void send(String clientId, SessionProtocol.Deliver d, Consumer<TopicProtocol.Redeliver> send) {
        for (String filter : d.delivery().shared()) send.accept(new TopicProtocol.Redeliver(d.message(), filter, clientId));
    }

    /** One {@link TopicProtocol.Redeliver} per message and group; expired messages are not given back. */
    static List<TopicProtocol.Redeliver> of(String clientId, List<Outbox.GivenBack> given, long now) {
        List<TopicProtocol.Redeliver> out = new ArrayList<>();
        for (Outbox.GivenBack g : given) {
            SharedOrigin o = g.origin();
            if (now >= o.expiresAtMillis()) continue; // [MQTT-3.3.2-5]
            Message m = message(g.publish(), o, now);
            for (String filter : o.filters()) out.add(new TopicProtocol.Redeliver(m, filter, clientId));
        }
        return out;
    }

    /**
     * The application message again, as it was published: at its own QoS, without the
     * Subscription Identifiers this session's subscriptions added, and with the Message Expiry
     * Interval that is left counted from now.
     */
    static Message message(Publish p, SharedOrigin o, long now) {
        Properties props = p.properties().without(PropertyId.SUBSCRIPTION_IDENTIFIER)
                .without(PropertyId.MESSAGE_EXPIRY_INTERVAL);
        if (o.expiresAtMillis() != Outbox.NEVER) {
            props = props.with(PropertyId.MESSAGE_EXPIRY_INTERVAL, (o.expiresAtMillis() - now + 999) / 1000);
        }
        return new Message(p.topic(), p.payload(), o.qos(), p.retain(), props, null, now);
    }
}
