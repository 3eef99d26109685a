package org.swarmmq.actors.topic;

import org.swarmmq.protocol.topics.TopicFilters;

/**
 * How topics are sharded: by their first level, the root. A filter lives in the entity of its
 * root, so one entity sees every subscription a topic can match, except filters whose first level
 * is a wildcard: those live in the one wildcard entity.
 */
public final class TopicRoots {
    /** The entity id of the wildcard entity; no root entity id can equal it (they start with "r:"). */
    public static final String WILDCARD = "#";

    private TopicRoots() {
    }

    /**
     * The entity id of a topic filter as subscribed: a Shared Subscription
     * {@code $share/name/f} lives where {@code f} would (4.8.2), so one entity picks its members.
     */
    public static String entityIdOfFilter(String filter) {
        if (!filter.startsWith(TopicFilters.SHARED_PREFIX)) return entityIdOf(filter);
        int nameEnd = filter.indexOf('/', TopicFilters.SHARED_PREFIX.length());
        return entityIdOf(nameEnd < 0 ? filter : filter.substring(nameEnd + 1));
    }

    /** The entity id for a topic name or an ordinary (not shared) topic filter. */
    public static String entityIdOf(String topicOrFilter) {
        int slash = topicOrFilter.indexOf('/');
        String first = slash < 0 ? topicOrFilter : topicOrFilter.substring(0, slash);
        if (first.equals("+") || first.equals("#")) return WILDCARD;
        return "r:" + first;
    }
}
