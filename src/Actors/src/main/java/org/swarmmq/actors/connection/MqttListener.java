package org.swarmmq.actors.connection;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.TcpSO;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.TLSClosing;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.swarmmq.actors.BrokerSettings;
import org.swarmmq.actors.topic.Router;
import org.swarmmq.protocol.channel.Channel;

/**
 * The MQTT listener: binds the TCP port and gives every accepted socket its own
 * {@link ConnectionStage} ({@code bytes -> Decoder -> Channel -> encoded batches -> bytes}), with
 * backpressure on both sides, in one stream interpreter per connection.
 */
public final class MqttListener {
    private MqttListener() {
    }

    private static final List<Inet.SocketOption> OPTIONS = List.of(TcpSO.tcpNoDelay(true));

    /** {@code connections}: every accepted connection is in it until its socket flow ends. */
    public static CompletionStage<Tcp.ServerBinding> bind(ActorSystem<?> system, BrokerSettings settings, Router router,
                                                          Connections connections) {
        return serve(system, Tcp.get(system).bind(settings.bind(), settings.port(), 1024, OPTIONS, false,
                Optional.empty()), settings, router, connections);
    }

    /**
     * MQTT over TLS on {@code port} of the same address (mosquitto's {@code listener 8883} with
     * {@code certfile} and {@code keyfile}): Pekko's TLS stage before the same connection flow. A
     * client that fails the handshake (plain MQTT, an untrusted certificate) loses only its own
     * connection.
     */
    public static CompletionStage<Tcp.ServerBinding> bindTls(ActorSystem<?> system, int port, ServerTls tls,
                                                             BrokerSettings settings, Router router,
                                                             Connections connections) {
        return serve(system, Tcp.get(system).bindWithTls(settings.bind(), port, tls::engine, 1024, OPTIONS,
                Optional.empty(), session -> Optional.empty(), TLSClosing.eagerClose()), settings, router, connections);
    }

    private static CompletionStage<Tcp.ServerBinding> serve(
            ActorSystem<?> system, Source<Tcp.IncomingConnection, CompletionStage<Tcp.ServerBinding>> accepted,
            BrokerSettings settings, Router router, Connections connections) {
        Channel.Settings channelSettings = channelSettings(settings); // one for all connections
        return accepted
                .to(Sink.foreach(c -> c.handleWith(
                        connectionFlow(settings, channelSettings, router, c.remoteAddress(), connections), system)))
                .run(system);
    }

    /** The Channel's settings, one instance for all of a listener's connections. */
    static Channel.Settings channelSettings(BrokerSettings settings) {
        return new Channel.Settings(settings.maxPacketSize(), settings.connectTimeout().toSeconds(),
                settings.topicAliasMaximum(), settings.receiveMaximum(), settings.maxKeepAliveSeconds());
    }

    /** One connection's flow, whatever carries its bytes (a TCP socket, TLS, a WebSocket). */
    static Flow<ByteString, ByteString, NotUsed> connectionFlow(BrokerSettings settings, Channel.Settings channelSettings,
                                                                Router router, InetSocketAddress remote,
                                                                Connections connections) {
        return Flow.fromGraph(new ConnectionStage(settings, channelSettings, router, remote, connections));
    }
}
