package org.swarmmq.actors.topic;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.swarmmq.actors.Message;

/**
 * Where a publishing connection sends a message: the entity of the topic's root, or the wildcard
 * entity first while any wildcard-first filter exists. No actor of its own: one hop fewer.
 */
public final class Router {
    private final ClusterSharding sharding;
    private final NodeRoutes.Flags flags;
    /**
     * EntityRefs by entity id. Making one URL-encodes the id: it was 15% of the CPU of a QoS 0
     * run (JFR, docs/benchmarks.md). Roots are few; the bound only guards against abuse.
     */
    private final Map<String, EntityRef<TopicProtocol.Command>> refs = new ConcurrentHashMap<>();

    public Router(ClusterSharding sharding, NodeRoutes.Flags flags) {
        this.sharding = sharding;
        this.flags = flags;
    }

    /** {@code replyTo} (null for QoS 0) hears {@link TopicProtocol.RouteReply}s with {@code correlationId}. */
    public void route(Message message, ActorRef<TopicProtocol.RouteReply> replyTo, long correlationId) {
        String entity = flags.wildcardActive() ? TopicRoots.WILDCARD : TopicRoots.entityIdOf(message.topic());
        topic(entity).tell(new TopicProtocol.Route(message, Map.of(), replyTo, correlationId));
    }

    private EntityRef<TopicProtocol.Command> topic(String entityId) {
        EntityRef<TopicProtocol.Command> ref = refs.get(entityId);
        if (ref == null) {
            if (refs.size() > 10_000) refs.clear();
            ref = sharding.entityRefFor(TopicEntity.TYPE_KEY, entityId);
            refs.put(entityId, ref);
        }
        return ref;
    }
}
