package org.swarmmq.actors.connection;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.TcpSO;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.CompletionStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.stream.typed.javadsl.ActorSource;
import org.apache.pekko.util.ByteString;
import org.swarmmq.actors.BrokerSettings;
import org.swarmmq.actors.connection.ConnectionProtocol.*;
import org.swarmmq.actors.topic.Router;

/**
 * The MQTT listener: binds the TCP port and gives every accepted socket its own flow,
 * {@code bytes -> DecodeStage -> ConnectionActor -> encoded batches -> bytes}, with backpressure
 * on both sides.
 */
public final class MqttListener {
    private static final AtomicLong SEQ = new AtomicLong();

    private MqttListener() {
    }

    /** {@code connections}: every accepted connection is in it until its socket flow ends. */
    public static CompletionStage<Tcp.ServerBinding> bind(ActorSystem<?> system, BrokerSettings settings, Router router,
                                                          Connections connections) {
        List<Inet.SocketOption> options = List.of(TcpSO.tcpNoDelay(true));
        return Tcp.get(system)
                .bind(settings.bind(), settings.port(), 1024, options, false, java.util.Optional.empty())
                .to(Sink.foreach(c -> c.handleWith(connectionFlow(system, settings, router,
                        c.remoteAddress().getHostString() + ":" + c.remoteAddress().getPort(), connections), system)))
                .run(system);
    }

    static Flow<ByteString, ByteString, NotUsed> connectionFlow(ActorSystem<?> system, BrokerSettings settings,
                                                                Router router, String remote, Connections connections) {
        ActorRef<Command> actor = system.systemActorOf(ConnectionActor.create(settings, router, remote),
                "mqtt-connection-" + SEQ.incrementAndGet(), Props.empty());
        connections.opened(actor);
        Pair<ActorRef<Object>, Source<Object, NotUsed>> out = ActorSource.<Object, Command>actorRefWithBackpressure(
                        actor, new OutboundReady(),
                        m -> m == ConnectionActor.END_OF_OUTPUT
                                ? Optional.of(CompletionStrategy.draining()) : Optional.empty(),
                        m -> m == ConnectionActor.ABORT_OUTPUT
                                ? Optional.of(new IllegalStateException("connection actor stopped")) : Optional.empty())
                .preMaterialize(system);
        actor.tell(new ConnectionActor.OutboundAttached(out.first()));
        Sink<Object, NotUsed> in = ActorSink.actorRefWithBackpressure(actor,
                (ActorRef<Ack> ackTo, Object element) -> new Received(element, ackTo),
                StreamStarted::new, Ack.INSTANCE, new StreamEnded(), StreamFailed::new);
        return Flow.fromSinkAndSourceCoupled(DecodeStage.flow(settings.maxPacketSize()).to(in),
                        out.second().map(o -> (ByteString) o))
                .watchTermination((notUsed, done) -> {
                    done.whenComplete((d, e) -> connections.closed(actor));
                    return notUsed;
                });
    }
}
