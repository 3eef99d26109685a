package org.swarmmq.actors.topic;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.swarmmq.actors.CborSerializable;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.topic.TopicProtocol.Delivery;
import org.swarmmq.actors.topic.TopicProtocol.Options;
import org.swarmmq.protocol.topics.SubscriptionTrie;
import org.swarmmq.protocol.topics.TopicFilters;

/**
 * The state of one topic entity: subscriptions indexed in a trie, and the retained messages of
 * its topics. Mutable and owned by the entity alone; the journal sees only the durable part
 * (durable subscriptions and retained messages), which is also its snapshot form.
 *
 * <p>Only the {@code @JsonProperty} accessors are that form: Pekko's Jackson default serializes
 * every field, and the trie (whose nodes point at their parents) would recurse without end.
 */
@JsonAutoDetect(fieldVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public final class TopicState implements CborSerializable {
    /** A durable subscription as journaled and snapshotted. */
    public record SubscriptionRecord(String clientId, String filter, Options options) implements CborSerializable {
    }

    private final SubscriptionTrie<String> trie = new SubscriptionTrie<>();
    /** filter -> client id -> options; the trie holds client ids under each filter. */
    private final Map<String, Map<String, Options>> options = new HashMap<>();
    private final Map<String, Boolean> durableKeys = new HashMap<>();
    /** Subscriptions per client id here, so "has this client any" is a lookup. */
    private final Map<String, Integer> perClient = new HashMap<>();
    private final Map<String, Message> retained = new LinkedHashMap<>();
    /** Wildcard entity only: the roots that hold retained messages. */
    private final Set<String> retainedRoots = new TreeSet<>();
    /** The Shared Subscriptions ({@code $share/name/filter}); their durability is in durableKeys too. */
    private final SharedGroups shared = new SharedGroups();

    public TopicState() {
    }

    @JsonCreator
    public TopicState(@JsonProperty("durable") List<SubscriptionRecord> durable,
                      @JsonProperty("retained") List<Message> retainedMessages,
                      @JsonProperty("retainedRoots") List<String> roots) {
        for (SubscriptionRecord r : durable) subscribe(r.clientId(), r.filter(), r.options(), true);
        for (Message m : retainedMessages) retained.put(m.topic(), m);
        if (roots != null) retainedRoots.addAll(roots);
    }

    @JsonProperty("retainedRoots")
    public Set<String> retainedRoots() {
        return retainedRoots;
    }

    public void addRetainedRoot(String entityId) {
        retainedRoots.add(entityId);
    }

    @JsonProperty("durable")
    public List<SubscriptionRecord> durable() {
        List<SubscriptionRecord> out = new ArrayList<>();
        options.forEach((filter, byClient) -> byClient.forEach((clientId, o) -> {
            if (durableKeys.containsKey(key(clientId, filter))) out.add(new SubscriptionRecord(clientId, filter, o));
        }));
        // Shared ones in the same form, the full $share/... filter naming the group: snapshots
        // from before shared subscriptions read as they always did.
        shared.forEach((filter, clientId, o) -> {
            if (durableKeys.containsKey(key(clientId, filter))) out.add(new SubscriptionRecord(clientId, filter, o));
        });
        return out;
    }

    /** The subscriptions that are not journaled (clean sessions'): by client id, their filters. */
    public Map<String, List<String>> notDurable() {
        Map<String, List<String>> out = new HashMap<>();
        options.forEach((filter, byClient) -> byClient.keySet().forEach(clientId -> {
            if (!durableKeys.containsKey(key(clientId, filter))) out.computeIfAbsent(clientId, c -> new ArrayList<>()).add(filter);
        }));
        shared.forEach((filter, clientId, o) -> {
            if (!durableKeys.containsKey(key(clientId, filter))) out.computeIfAbsent(clientId, c -> new ArrayList<>()).add(filter);
        });
        return out;
    }

    @JsonProperty("retained")
    public List<Message> retainedMessages() {
        return new ArrayList<>(retained.values());
    }

    /** Adds or replaces a subscription [MQTT-3.8.4-3]: a second SUBSCRIBE to one filter replaces the first. */
    public void subscribe(String clientId, String filter, Options o, boolean durable) {
        if (SharedGroups.isShared(filter)) {
            if (shared.subscribe(clientId, filter, o)) perClient.merge(clientId, 1, Integer::sum);
        } else {
            Map<String, Options> byClient = options.computeIfAbsent(filter, f -> new HashMap<>());
            if (byClient.put(clientId, o) == null) {
                trie.add(filter, clientId);
                perClient.merge(clientId, 1, Integer::sum);
            }
        }
        if (durable) durableKeys.put(key(clientId, filter), Boolean.TRUE);
        else durableKeys.remove(key(clientId, filter));
    }

    /** Removes a subscription; returns whether it was durable (so the removal must be journaled). */
    public boolean unsubscribe(String clientId, String filter) {
        if (SharedGroups.isShared(filter)) {
            if (!shared.unsubscribe(clientId, filter)) return false;
        } else {
            Map<String, Options> byClient = options.get(filter);
            if (byClient == null || byClient.remove(clientId) == null) return false;
            if (byClient.isEmpty()) options.remove(filter);
            trie.remove(filter, clientId);
        }
        perClient.computeIfPresent(clientId, (k, n) -> n == 1 ? null : n - 1);
        return durableKeys.remove(key(clientId, filter)) != null;
    }

    /** Whether the client has any subscription here. */
    public boolean hasSubscriber(String clientId) {
        return perClient.containsKey(clientId);
    }

    public boolean isDurable(String clientId, String filter) {
        return durableKeys.containsKey(key(clientId, filter));
    }

    @JsonIgnore
    public boolean hasSubscriptions() {
        return !options.isEmpty() || !shared.isEmpty();
    }

    /** A member's session says whether its client is connected, so the group prefers those that are. */
    public void sharedPresence(String sharedFilter, String clientId, boolean present) {
        shared.presence(sharedFilter, clientId, present);
    }

    /** The members of a Shared Subscription here, in the order they joined; empty if there is none. */
    public List<String> sharedMembers(String sharedFilter) {
        return shared.members(sharedFilter);
    }

    /**
     * Adds to {@code into} this entity's deliveries for {@code message}: per client the highest
     * QoS of its matching subscriptions, capped by the message's QoS, and every subscription id.
     * Each Shared Subscription that matches adds exactly one of its members, chosen round robin
     * (4.8.2), at that member's QoS [MQTT-4.8.2-3]; a member who also has an ordinary matching
     * subscription gets one merged delivery that still names the group.
     */
    public void match(Message message, Map<String, Delivery> into) {
        trie.match(message.topic(), (filter, clientId) -> {
            Options o = options.get(filter).get(clientId);
            if (o.noLocal() && clientId.equals(message.publisher())) return; // [MQTT-3.8.3-3]
            add(into, clientId, filter, o, message.qos(), null);
        });
        shared.match(message.topic(), (sharedFilter, clientId, o) ->
                add(into, clientId, sharedFilter, o, message.qos(), sharedFilter));
    }

    /**
     * A message a member of {@code sharedFilter} whose session ended gives back: adds a delivery
     * to another member (never {@code leaver}); false when there is none (4.8.2).
     */
    public boolean redeliver(String sharedFilter, String leaver, Message message, Map<String, Delivery> into) {
        return shared.takeOther(sharedFilter, leaver, (filter, clientId, o) ->
                add(into, clientId, filter, o, message.qos(), filter));
    }

    /** Merges one matching subscription into the client's delivery, at min(granted, message) QoS. */
    private void add(Map<String, Delivery> into, String clientId, String filter, Options o, int messageQos,
                     String sharedFilter) {
        int qos = Math.min(o.qos(), messageQos);
        Delivery d = into.get(clientId);
        boolean durable = durableKeys.containsKey(key(clientId, filter));
        d = d == null ? new Delivery(qos, o.retainAsPublished(), o.subscriptionIds(), durable)
                : d.merge(qos, o.retainAsPublished(), o.subscriptionId(), durable);
        into.put(clientId, sharedFilter == null ? d : d.through(sharedFilter));
    }

    /** Applies a retained PUBLISH: an empty payload removes the topic's message [MQTT-3.3.1-10]. */
    public void retain(Message message) {
        if (message.payload().isEmpty()) retained.remove(message.topic());
        else retained.put(message.topic(), message);
    }

    public boolean hasRetained(String topic) {
        return retained.containsKey(topic);
    }

    public List<Message> retainedMatching(String filter) {
        List<Message> out = new ArrayList<>();
        for (Message m : retained.values()) if (TopicFilters.matches(filter, m.topic())) out.add(m);
        return out;
    }

    private static String key(String clientId, String filter) {
        return clientId + '\u0000' + filter; // U+0000 cannot occur in either [MQTT-1.5.3-2]
    }
}
