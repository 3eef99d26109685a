package org.swarmmq.actors.topic;

import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.swarmmq.actors.Message;

/**
 * Where a publishing connection sends a message: the entity of the topic's root, or the wildcard
 * entity first while any wildcard-first filter exists. No actor of its own: one hop fewer.
 */
public final class Router {
    private final ClusterSharding sharding;
    private final NodeRoutes.Flags flags;

    public Router(ClusterSharding sharding, NodeRoutes.Flags flags) {
        this.sharding = sharding;
        this.flags = flags;
    }

    /** {@code replyTo} (null for QoS 0) hears {@link TopicProtocol.Routed} with {@code correlationId}. */
    public void route(Message message, ActorRef<TopicProtocol.Routed> replyTo, long correlationId) {
        String entity = flags.wildcardActive() ? TopicRoots.WILDCARD : TopicRoots.entityIdOf(message.topic());
        sharding.entityRefFor(TopicEntity.TYPE_KEY, entity)
                .tell(new TopicProtocol.Route(message, Map.of(), replyTo, correlationId));
    }
}
