package org.swarmmq.actors.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.topic.TopicProtocol;
import org.swarmmq.protocol.channel.OutboundPackets;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Subscription;
import org.swarmmq.protocol.topics.TopicFilters;

/**
 * A session's SUBSCRIBE rules without the actor: which filters are granted and what the SUBACK
 * says for each, the Reason String of a refusal over the quota, and which retained messages go
 * to the client once the topic entities answered. Plain functions of their inputs.
 */
final class SubscribeRules {
    private SubscribeRules() {
    }

    /**
     * The outcome for one SUBSCRIBE: a reason code per filter in order, whether each granted
     * filter is new to the session (for Retain Handling 1), the granted ones, and the session's
     * subscriptions with them.
     */
    record Granted(List<ReasonCode> codes, Map<String, Boolean> isNew, List<Subscription> accepted,
                   Map<String, TopicProtocol.Options> subscriptions) {
    }

    /** A retained message for a new subscription, and when it expires (epoch ms). */
    record Retained(Publish publish, long expiresAtMillis) {
    }

    /** {@code maxSubscriptions}: per client, 0 for no limit. */
    static Granted grant(Subscribe packet, Map<String, TopicProtocol.Options> current, int maxSubscriptions) {
        Map<String, TopicProtocol.Options> after = new HashMap<>(current);
        List<ReasonCode> codes = new ArrayList<>();
        Map<String, Boolean> isNew = new HashMap<>();
        List<Subscription> accepted = new ArrayList<>();
        int subscriptionId = packet.properties().intValue(PropertyId.SUBSCRIPTION_IDENTIFIER, 0);
        for (Subscription s : packet.subscriptions()) {
            String filter = s.topicFilter();
            ReasonCode refusal = TopicFilters.isValidSubscription(filter) // $share/... too, as mosquitto
                    ? null : ReasonCode.TOPIC_FILTER_INVALID; // 3.1.1 encodes it as 0x80 [MQTT-3.9.3-2]
            if (refusal == null && maxSubscriptions > 0 && !after.containsKey(filter) && after.size() >= maxSubscriptions) {
                refusal = ReasonCode.QUOTA_EXCEEDED; // the administrative limit (3.9.3); 3.1.1 says 0x80 Failure
            }
            if (refusal != null) {
                codes.add(refusal);
                continue;
            }
            codes.add(ReasonCode.grantedQos(s.qos()));
            isNew.put(filter, !after.containsKey(filter));
            after.put(filter, new TopicProtocol.Options(s.qos(), s.noLocal(), s.retainAsPublished(),
                    s.retainHandling(), subscriptionId));
            accepted.add(s);
        }
        return new Granted(codes, isNew, accepted, after);
    }

    /**
     * A Reason String naming the filters over the subscription quota (3.9.2.1.1); the connection
     * drops it for a client that asked for no problem information [MQTT-3.1.2-29] or when it does
     * not fit [MQTT-3.9.2-1].
     */
    static Properties refusalReason(List<Subscription> subs, List<ReasonCode> codes, int maxSubscriptions) {
        StringBuilder why = new StringBuilder();
        for (int i = 0; i < subs.size(); i++) {
            if (codes.get(i) != ReasonCode.QUOTA_EXCEEDED) continue;
            why.append(why.length() == 0 ? "over the quota of " + maxSubscriptions + " subscriptions: " : ", ")
                    .append(subs.get(i).topicFilter());
        }
        return why.length() == 0 ? Properties.EMPTY : Properties.EMPTY.with(PropertyId.REASON_STRING,
                OutboundPackets.reasonString(why.toString()));
    }

    /**
     * The retained messages the topic entities found for each filter of the SUBSCRIBE, as the
     * client gets them: at min(message, subscription) QoS, RETAIN=1 [MQTT-3.3.1-8], with the
     * subscription's identifiers, and as its Retain Handling says (0 send, 1 only for a new
     * subscription, 2 never [MQTT-3.3.1-9..11 (v5)]). Filters the entities did not answer for
     * are not in {@code found}.
     */
    static List<Retained> retainedToSend(List<Subscription> subs, Map<String, List<Message>> found,
                                         Map<String, Boolean> isNew, Map<String, TopicProtocol.Options> subscriptions) {
        List<Retained> out = new ArrayList<>();
        for (Subscription s : subs) {
            List<Message> messages = found.get(s.topicFilter());
            if (messages == null) continue;
            if (s.retainHandling() == 2 || (s.retainHandling() == 1 && !isNew.get(s.topicFilter()))) continue;
            TopicProtocol.Options o = subscriptions.get(s.topicFilter());
            for (Message m : messages) {
                out.add(new Retained(m.toPublish(Math.min(m.qos(), o.qos()), true, o.subscriptionIds()),
                        m.expiresAtMillis()));
            }
        }
        return out;
    }
}
