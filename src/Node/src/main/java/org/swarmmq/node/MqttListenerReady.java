package org.swarmmq.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Pekko Management readiness check (application.conf): ready once this node's MQTT listener is
 * bound. Pekko's own check adds "a cluster member Up"; together they say "send clients here".
 */
public final class MqttListenerReady implements Supplier<CompletionStage<Boolean>> {
    private static final AtomicBoolean BOUND = new AtomicBoolean();

    public MqttListenerReady(ActorSystem system) {
    }

    /** The node calls this once the listener is bound, and with false when it unbinds. */
    static void bound(boolean bound) {
        BOUND.set(bound);
    }

    @Override
    public CompletionStage<Boolean> get() {
        return CompletableFuture.completedFuture(BOUND.get());
    }
}
