package org.swarmmq.actors.connection;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.TcpSO;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
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

    /** {@code connections}: every accepted connection is in it until its socket flow ends. */
    public static CompletionStage<Tcp.ServerBinding> bind(ActorSystem<?> system, BrokerSettings settings, Router router,
                                                          Connections connections) {
        List<Inet.SocketOption> options = List.of(TcpSO.tcpNoDelay(true));
        Channel.Settings channelSettings = channelSettings(settings); // one for all connections
        return Tcp.get(system)
                .bind(settings.bind(), settings.port(), 1024, options, false, java.util.Optional.empty())
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
