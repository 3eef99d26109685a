package org.swarmmq.actors.connection;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.TcpSO;
import org.apache.pekko.stream.TLSClosing;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Tcp;
import org.swarmmq.actors.BrokerSettings;
import org.swarmmq.actors.topic.Router;
import org.swarmmq.protocol.channel.Channel;

/**
 * MQTT over TLS (port 8883 by convention, mosquitto's {@code listener 8883} with {@code certfile}
 * and {@code keyfile}): Pekko's TLS stage between the socket and the same connection flow as
 * plain TCP's. A client that fails the handshake (plain MQTT, an untrusted certificate) loses
 * only its own connection.
 */
public final class TlsListener {
    private TlsListener() {
    }

    /** Binds {@code port} on the MQTT listener's address. */
    public static CompletionStage<Tcp.ServerBinding> bind(ActorSystem<?> system, int port, ServerTls tls,
                                                          BrokerSettings settings, Router router,
                                                          Connections connections) {
        List<Inet.SocketOption> options = List.of(TcpSO.tcpNoDelay(true));
        Channel.Settings channelSettings = MqttListener.channelSettings(settings);
        return Tcp.get(system)
                .bindWithTls(settings.bind(), port, tls::engine, 1024, options, Optional.empty(),
                        session -> Optional.empty(), TLSClosing.eagerClose())
                .to(Sink.foreach(c -> c.handleWith(
                        MqttListener.connectionFlow(settings, channelSettings, router, c.remoteAddress(), connections),
                        system)))
                .run(system);
    }
}
