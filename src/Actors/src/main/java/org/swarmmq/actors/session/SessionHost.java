package org.swarmmq.actors.session;

import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.swarmmq.actors.CborSerializable;
import org.swarmmq.actors.session.SessionProtocol.Attach;
import org.swarmmq.actors.session.SessionProtocol.SessionImage;
import org.swarmmq.actors.topic.Router;
import org.apache.pekko.persistence.state.javadsl.DurableStateUpdateStore;

/**
 * One per node, at {@link #PATH}: starts the live sessions of clients connected to this node
 * whose sharded session entity lives on another node (SessionEntity, "Where a session runs").
 * Sharding cannot place one client's entity where that client connects (its shards are hashes of
 * many ids), so the entity sends its session here instead, and the node's subscribers are
 * reached on this node.
 */
public final class SessionHost {
    public static final String NAME = "session-host";
    public static final String PATH = "/system/" + NAME;

    private SessionHost() {
    }

    /**
     * Start a live session for {@code clientId} from {@code image}, serving {@code attach} (null:
     * the image's connection, attached already); {@code owner} hears Hosted.
     */
    public record Host(String clientId, SessionImage image, Attach attach, ActorRef<SessionProtocol.Command> owner)
            implements CborSerializable {
    }

    /** The host of the node at {@code address}. */
    public static ActorRef<Host> on(ActorSystem<?> system, Address address) {
        return ActorRefResolver.get(system).resolveActorRef(address + PATH);
    }

    public static Behavior<Host> create(SessionEntity.Limits limits, DurableStateUpdateStore<SessionRecord> store,
                                        Router router) {
        return Behaviors.receive((ctx, h) -> {
            ctx.spawnAnonymous(SessionEntity.live(h.clientId(), limits, store, router, h.image(), h.attach(),
                    h.owner()));
            return Behaviors.same();
        });
    }

    /** Starts the host on {@code system}; every node that runs sessions has one. */
    public static void start(ActorSystem<?> system, SessionEntity.Limits limits,
                             DurableStateUpdateStore<SessionRecord> store, Router router) {
        system.systemActorOf(create(limits, store, router), NAME, Props.empty());
    }
}
