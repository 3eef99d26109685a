package org.swarmmq.actors.session;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.swarmmq.actors.connection.ConnectionProtocol;
import org.swarmmq.actors.session.SessionProtocol.*;

/**
 * Where a session runs: on its client's node. A session's sharded entity ({@link SessionEntity},
 * one per client id in the cluster, placed by the hash of the id) serves a client connected to
 * its own node itself. For a client connected to another node it hands the session over: once
 * nothing it stored is in flight, it sends everything it holds ({@link SessionImage}) to that
 * node's {@link SessionHost}, which starts a live session there (the same behaviour, serving the
 * connection); the entity then passes on whatever still reaches it, and the live session tells the
 * topic entities of its subscriptions to deliver to it ({@code SessionAt}). So a publish crosses
 * to a node once, and fans out there to that node's subscribers.
 *
 * <p>A live session lives only while its client is connected to its node: when the connection
 * goes, or the client connects on another node, it returns the session to the entity (again once
 * nothing it stored is in flight), passes on what comes after, and stops. If it stops without
 * returning (its node died), the entity restores the session from its stored record, as a
 * restarted entity does. A record a live session wrote names it ({@code liveAt}), so an entity
 * restarted after its own node died passes on to the live session instead of serving a second
 * copy.
 */
final class Relocation {
    /** How long the entity waits for the live session to say it started before serving the session itself. */
    private static final Duration HOST_TIMEOUT = Duration.ofSeconds(10);
    /** How long a live session that returned waits for its connection's Detach, passing messages on. */
    private static final Duration LINGER = Duration.ofSeconds(5);

    private Relocation() {
    }

    private record HostTimedOut() implements Command {
    }

    private record LiveStopped(ActorRef<Command> live) implements Command {
    }

    private record LingerEnded() implements Command {
    }

    /** The entity: hand the session to a live session on the node of {@code attach}'s connection. */
    static Behavior<Command> handOver(SessionEntity e, Attach attach) {
        return e.settleThen(() -> {
            sendToHost(e, attach.connection(), attach); // the live session closes the old connection, if any
            return awaitingHost(e);
        });
    }

    /**
     * Sends all the entity holds to the host of {@code at}'s node, to serve {@code attach} (null:
     * the image's own connection), and waits at most {@link #HOST_TIMEOUT} for it to start.
     */
    private static void sendToHost(SessionEntity e, ActorRef<ConnectionProtocol.Command> at, Attach attach) {
        SessionImage image = e.image();
        if (e.connection() != null) e.context().unwatch(e.connection());
        SessionHost.on(e.context().getSystem(), at.path().address())
                .tell(new SessionHost.Host(e.clientId(), image, attach, e.context().getSelf()));
        e.timers().startSingleTimer(new HostTimedOut(), HOST_TIMEOUT);
    }

    /**
     * The entity, attached to a client on its own node, is stopped by sharding (a rebalance): it
     * hands the session to a live session on that node, which goes on serving the same connection
     * (and tells the entity sharding starts elsewhere, {@code Adopt}), then stops. The client
     * notices nothing.
     */
    static Behavior<Command> handOverThenStop(SessionEntity e) {
        return e.settleThen(() -> {
            sendToHost(e, e.connection(), null);
            return Behaviors.receive(Command.class)
                    .onMessage(Hosted.class, h -> {
                        e.timers().cancel(new HostTimedOut());
                        int roots = e.announce(h.live(), e.context().getSelf());
                        ActorRef<Command> live = h.live();
                        e.timers().startSingleTimer(new LingerEnded(), LINGER);
                        return e.stash().unstashAll(passingOn(live::tell, roots, null)); // what came meanwhile too
                    })
                    .onMessage(HostTimedOut.class, t -> {
                        e.resumeHome();
                        return e.stash().unstashAll(e.stopNow());
                    })
                    .onAnyMessage(m -> {
                        e.stash().stash(m);
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    private static Behavior<Command> awaitingHost(SessionEntity e) {
        return Behaviors.receive(Command.class)
                .onMessage(Hosted.class, h -> {
                    e.timers().cancel(new HostTimedOut());
                    return e.stash().unstashAll(away(e, h.live()));
                })
                .onMessage(HostTimedOut.class, t -> {
                    // The connection's node did not answer: serve the session here; the connection
                    // attaches again (it retries) and the hand-over is tried again.
                    e.context().getLog().warn("Session {}: no live session started within {}; serving it here",
                            e.clientId(), HOST_TIMEOUT);
                    e.resumeHome();
                    return e.stash().unstashAll(e);
                })
                .onAnyMessage(m -> {
                    e.stash().stash(m);
                    return Behaviors.same();
                })
                .build();
    }

    /** The entity while {@code live} holds the session: passes messages on until it is returned. */
    static Behavior<Command> away(SessionEntity e, ActorRef<Command> live) {
        e.clearForAway();
        e.context().watchWith(live, new LiveStopped(live));
        return Behaviors.receive(Command.class)
                .onMessage(Returned.class, r -> {
                    e.context().unwatch(live);
                    e.restoreImage(r.image());
                    e.announce(e.context().getSelf(), live); // the live session stops once all have noted
                    return e;
                })
                .onMessage(LiveStopped.class, l -> l.live().equals(live) ? e.reloadAfter(live) : Behaviors.same())
                .onMessage(SessionEntity.Stop.class, s -> Behaviors.stopped()) // it holds nothing to write
                .onMessage(Hosted.class, h -> {
                    if (!h.live().equals(live)) h.live().tell(new Superseded());
                    return Behaviors.same();
                })
                .onMessage(Adopt.class, m -> {
                    m.live().tell(m.live().equals(live) ? new Adopted(e.context().getSelf()) : new Superseded());
                    return Behaviors.same();
                })
                .onAnyMessage(m -> {
                    if (SessionEntity.passedOn(m)) live.tell(m);
                    return Behaviors.same();
                })
                .build();
    }

    /**
     * A live session: give the session back to the entity, then {@code trigger} (the Detach of its
     * connection, or an Attach from another node), and pass on what comes until its connection's
     * Detach (at most {@link #LINGER}).
     */
    static Behavior<Command> returnHome(SessionEntity e, Command trigger) {
        return e.settleThen(() -> {
            ActorRef<ConnectionProtocol.Command> mine = e.connection();
            e.owner().tell(new Returned(e.image()));
            e.owner().tell(trigger);
            e.timers().cancelAll();
            if (mine != null) e.context().unwatch(mine);
            boolean detached = mine == null || (trigger instanceof Detach d && d.connection().equals(mine));
            e.timers().startSingleTimer(new LingerEnded(), LINGER);
            return e.stash().unstashAll(passingOn(m -> e.owner().tell(m), e.roots().size(), detached ? null : mine));
        });
    }

    /**
     * A holder that gave the session away: passes messages on to the new holder ({@code next})
     * until each of the {@code roots} topic entities has noted where the session is now (what
     * they sent before reached us first) and {@code until} (if not null), its connection, has
     * sent its Detach; at most {@link #LINGER}. Then it stops: nothing routed to it is lost.
     */
    private static Behavior<Command> passingOn(java.util.function.Consumer<Command> next, int roots,
                                               ActorRef<ConnectionProtocol.Command> until) {
        if (roots == 0 && until == null) return Behaviors.stopped();
        return Behaviors.receive(Command.class)
                .onMessage(LingerEnded.class, t -> Behaviors.stopped())
                .onMessage(SessionNoted.class, n -> passingOn(next, roots - 1, until))
                .onAnyMessage(m -> {
                    if (SessionEntity.passedOn(m)) next.accept(m);
                    boolean detached = m instanceof Detach d && d.connection().equals(until);
                    return detached ? passingOn(next, roots, null) : Behaviors.same();
                })
                .build();
    }
}
