package org.swarmmq.actors.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.packets.ReasonCode;

/** A shutting-down node closes its own connections, and waits until their sockets are closed. */
class ConnectionsTest {
    private static ActorTestKit kit;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    @DisplayName("[MQTT-4.13.2-1] closeAll tells every open connection 'server shutting down' (0x8B) and completes when the last one has closed")
    void closeAllTellsEachAndWaits() throws Exception {
        Connections connections = new Connections();
        TestProbe<ConnectionProtocol.Command> a = kit.createTestProbe();
        TestProbe<ConnectionProtocol.Command> b = kit.createTestProbe();
        TestProbe<ConnectionProtocol.Command> gone = kit.createTestProbe();
        connections.opened(a.ref());
        connections.opened(b.ref());
        connections.opened(gone.ref());
        connections.closed(gone.ref());
        assertEquals(2, connections.size());

        CompletableFuture<Done> all = connections.closeAll().toCompletableFuture();
        assertEquals(new ConnectionProtocol.Close(ReasonCode.SERVER_SHUTTING_DOWN), a.expectMessageClass(ConnectionProtocol.Close.class));
        assertEquals(new ConnectionProtocol.Close(ReasonCode.SERVER_SHUTTING_DOWN), b.expectMessageClass(ConnectionProtocol.Close.class));
        gone.expectNoMessage();
        connections.closed(a.ref());
        assertFalse(all.isDone(), "b is still open");
        connections.closed(b.ref());
        all.get(1, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("with no connection open, closeAll is done at once")
    void nothingOpen() {
        assertTrue(new Connections().closeAll().toCompletableFuture().isDone());
    }
}
