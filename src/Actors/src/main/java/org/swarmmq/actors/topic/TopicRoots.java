package org.swarmmq.actors.topic;

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

    /** The entity id for a topic name or a topic filter. */
    public static String entityIdOf(String topicOrFilter) {
        int slash = topicOrFilter.indexOf('/');
        String first = slash < 0 ? topicOrFilter : topicOrFilter.substring(0, slash);
        if (first.equals("+") || first.equals("#")) return WILDCARD;
        return "r:" + first;
    }
}
