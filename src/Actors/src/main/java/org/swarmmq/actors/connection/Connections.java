package org.swarmmq.actors.connection;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * The MQTT connections of this node, so a shutting-down node can close them itself: each client
 * then hears why (MQTT 5 DISCONNECT 0x8B) and its session, wherever it lives, hears that the client
 * is gone. Without this the sockets died with the actor system, and a session on another node kept
 * a connection that no longer existed (no expiry, no delayed will).
 */
public final class Connections {
    private final Set<ActorRef<ConnectionProtocol.Command>> open = ConcurrentHashMap.newKeySet();
    private volatile CompletableFuture<Done> allClosed;
    private final Traffic traffic = new Traffic();

    /** What the connections have carried since the node started. */
    public Traffic traffic() {
        return traffic;
    }

    void opened(ActorRef<ConnectionProtocol.Command> connection) {
        open.add(connection);
    }

    /** Called when the connection's socket flow has ended (what it had to write is written). */
    void closed(ActorRef<ConnectionProtocol.Command> connection) {
        open.remove(connection);
        CompletableFuture<Done> waiting = allClosed;
        if (waiting != null && open.isEmpty()) waiting.complete(Done.getInstance());
    }

    public int size() {
        return open.size();
    }

    /**
     * Tells every open connection the server is shutting down; completes once all their sockets
     * are closed. Call after the listener is unbound, so no new connection comes meanwhile.
     */
    public CompletionStage<Done> closeAll() {
        CompletableFuture<Done> waiting = new CompletableFuture<>();
        allClosed = waiting;
        for (ActorRef<ConnectionProtocol.Command> c : open) {
            c.tell(new ConnectionProtocol.Close(ReasonCode.SERVER_SHUTTING_DOWN));
        }
        if (open.isEmpty()) waiting.complete(Done.getInstance());
        return waiting;
    }
}
