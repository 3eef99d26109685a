package org.swarmmq.actors.topic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.swarmmq.actors.Message;
import org.swarmmq.actors.session.SessionProtocol;
import org.swarmmq.actors.topic.TopicProtocol.Delivery;
import org.swarmmq.actors.topic.TopicProtocol.RouteReply;

/**
 * A topic entity's fan-out: one message to the sessions it matched, crossing to each other node
 * once. Sessions on this node, and those only known by their EntityRef, are told directly; those
 * on another node are gathered into one {@link NodeRoutes.Fanout} to that node's route actor,
 * which tells its sessions there. So a message to 1000 subscribers on three nodes is serialized
 * twice, not 1000 times.
 */
final class Fanout {
    private final ActorSystem<?> system;
    private final Map<Address, ActorRef<NodeRoutes.Command>> nodes = new HashMap<>();

    Fanout(ActorSystem<?> system) {
        this.system = system;
    }

    /**
     * Delivers {@code message}; returns how many persistent sessions will confirm it to
     * {@code replyTo} once stored ({@link Delivery#needsConfirmation()}).
     */
    int deliver(Message message, Map<String, Delivery> deliveries,
                Function<String, RecipientRef<SessionProtocol.Command>> sessionOf,
                ActorRef<RouteReply> replyTo, long correlationId) {
        int confirmations = 0;
        Map<Address, List<NodeRoutes.Target>> remote = null;
        for (Map.Entry<String, Delivery> e : deliveries.entrySet()) {
            Delivery d = e.getValue();
            if (replyTo != null && d.needsConfirmation()) confirmations++;
            RecipientRef<SessionProtocol.Command> ref = sessionOf.apply(e.getKey());
            if (ref instanceof ActorRef<SessionProtocol.Command> actor && actor.path().address().hasGlobalScope()) {
                if (remote == null) remote = new HashMap<>();
                remote.computeIfAbsent(actor.path().address(), a -> new ArrayList<>())
                        .add(new NodeRoutes.Target(actor, d));
            } else {
                ref.tell(SessionProtocol.Deliver.of(message, d, replyTo, correlationId));
            }
        }
        if (remote != null) {
            remote.forEach((node, targets) -> {
                if (targets.size() == 1) {
                    NodeRoutes.Target t = targets.get(0);
                    t.session().tell(SessionProtocol.Deliver.of(message, t.delivery(), replyTo, correlationId));
                } else {
                    nodes.computeIfAbsent(node, a -> NodeRoutes.on(system, a))
                            .tell(new NodeRoutes.Fanout(message, targets, replyTo, correlationId));
                }
            });
        }
        return confirmations;
    }
}
