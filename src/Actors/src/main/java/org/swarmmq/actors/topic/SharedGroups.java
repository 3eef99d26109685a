package org.swarmmq.actors.topic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.swarmmq.actors.topic.TopicProtocol.Options;
import org.swarmmq.protocol.topics.SubscriptionTrie;
import org.swarmmq.protocol.topics.TopicFilters;

/**
 * The MQTT 5 Shared Subscriptions (4.8.2) of one topic entity, pure: one group per
 * {@code $share/{ShareName}/{filter}} string, its members (client ids) in the order they joined,
 * and whose turn is next. A group lives in the entity of its inner filter's root, as that filter
 * would, so one place in the cluster picks the member of each message.
 *
 * <p>The choice is round robin over the members, skipping those whose sessions said their client
 * is away (a persistent member's session lives on while its client is away, and would only queue
 * what it is given); when all are away, plain round robin, so the message waits in a queue.
 * Presence is memory only: after the entity restarts, every member counts as present until its
 * session says otherwise. Each matching message goes to exactly one member of each group.
 */
final class SharedGroups {
    /** One group: its members in join order, each with its own options [MQTT-4.8.2-3]. */
    private static final class Group {
        final List<String> members = new ArrayList<>();
        final Map<String, Options> options = new HashMap<>();
        /** Members whose clients are away (their sessions said so). */
        final Set<String> away = new HashSet<>();
        /** Index in {@link #members} of whose turn is next. */
        int next;

        /**
         * The next member in turn other than {@code excluded} (may be null), preferring one whose
         * client is present; null if there is none.
         */
        String take(String excluded) {
            String m = take(excluded, true);
            return m != null ? m : take(excluded, false);
        }

        private String take(String excluded, boolean presentOnly) {
            for (int k = 0; k < members.size(); k++) {
                int i = (next + k) % members.size();
                String m = members.get(i);
                if (m.equals(excluded) || (presentOnly && away.contains(m))) continue;
                next = (i + 1) % members.size();
                return m;
            }
            return null;
        }

        void remove(String clientId) {
            int i = members.indexOf(clientId);
            members.remove(i);
            options.remove(clientId);
            away.remove(clientId);
            if (i < next) next--; // the member after the removed one keeps its turn
            if (next >= members.size()) next = 0;
        }
    }

    /** Inner filter -> the shared filters ({@code $share/name/filter}) indexed under it. */
    private final SubscriptionTrie<String> trie = new SubscriptionTrie<>();
    private final Map<String, Group> groups = new HashMap<>();

    /** Whether {@code filter} names a Shared Subscription (checked when subscribed, so well formed here). */
    static boolean isShared(String filter) {
        return filter.startsWith(TopicFilters.SHARED_PREFIX);
    }

    /** Adds or replaces a member's options; returns whether it is a new member. */
    boolean subscribe(String clientId, String sharedFilter, Options o) {
        Group g = groups.get(sharedFilter);
        if (g == null) {
            g = new Group();
            groups.put(sharedFilter, g);
            trie.add(TopicFilters.parseShared(sharedFilter).filter(), sharedFilter);
        }
        boolean added = g.options.put(clientId, o) == null;
        if (added) g.members.add(clientId);
        g.away.remove(clientId); // it subscribes: its client is here
        return added;
    }

    /** Removes a member; the last one leaving removes the group. Returns whether it was one. */
    boolean unsubscribe(String clientId, String sharedFilter) {
        Group g = groups.get(sharedFilter);
        if (g == null || !g.options.containsKey(clientId)) return false;
        g.remove(clientId);
        if (g.members.isEmpty()) {
            groups.remove(sharedFilter);
            trie.remove(TopicFilters.parseShared(sharedFilter).filter(), sharedFilter);
        }
        return true;
    }

    /** A member's session says whether its client is connected; unknown groups or members are ignored. */
    void presence(String sharedFilter, String clientId, boolean present) {
        Group g = groups.get(sharedFilter);
        if (g == null || !g.options.containsKey(clientId)) return;
        if (present) g.away.remove(clientId);
        else g.away.add(clientId);
    }

    boolean isEmpty() {
        return groups.isEmpty();
    }

    boolean hasGroup(String sharedFilter) {
        return groups.containsKey(sharedFilter);
    }

    /** The members of a group in join order; empty when there is no such group. */
    List<String> members(String sharedFilter) {
        Group g = groups.get(sharedFilter);
        return g == null ? List.of() : List.copyOf(g.members);
    }

    /** A member of a group with its options. */
    interface MemberVisitor {
        void accept(String sharedFilter, String clientId, Options options);
    }

    /** Every (shared filter, client id, options). */
    void forEach(MemberVisitor action) {
        groups.forEach((filter, g) -> {
            for (String m : g.members) action.accept(filter, m, g.options.get(m));
        });
    }

    /**
     * For each group whose filter matches {@code topic}: the one member it goes to
     * [MQTT-4.8.2-3: with that member's options], and the group's shared filter.
     */
    void match(String topic, MemberVisitor visitor) {
        trie.match(topic, (inner, sharedFilter) -> {
            Group g = groups.get(sharedFilter);
            String member = g.take(null);
            visitor.accept(sharedFilter, member, g.options.get(member));
        });
    }

    /**
     * A member other than {@code leaver} for a message given back by a member whose session
     * ended (4.8.2); false when the group has no one else (or no longer exists).
     */
    boolean takeOther(String sharedFilter, String leaver, MemberVisitor chosen) {
        Group g = groups.get(sharedFilter);
        String member = g == null ? null : g.take(leaver);
        if (member == null) return false;
        chosen.accept(sharedFilter, member, g.options.get(member));
        return true;
    }
}
