package org.swarmmq.actors.connection;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.swarmmq.actors.BrokerSettings;
import org.swarmmq.actors.topic.Router;
import org.swarmmq.protocol.channel.Channel;

/**
 * MQTT over WebSocket (MQTT 3.1.1 and 5.0, section 6), for browser clients such as MQTT.js: an
 * HTTP listener (pekko-http) whose WebSocket connections, on any path, run the same flow as a TCP
 * socket's ({@link MqttListener#connectionFlow}). The binary frames' bytes are one stream: packets
 * may span frames and a frame may hold several [MQTT-6.0.0-2]. A text frame ends the connection
 * [MQTT-6.0.0-1] as a socket error does (the will is published). The client must offer the
 * subprotocol {@code mqtt} [MQTT-6.0.0-3] (MQTT 3.1 clients: {@code mqttv3.1}), and we select it
 * [MQTT-6.0.0-4]; a request offering neither gets 400.
 */
public final class WebSocketListener {
    private static final String[] SUBPROTOCOLS = {"mqtt", "mqttv3.1"};

    private WebSocketListener() {
    }

    /** Binds {@code port} on the MQTT listener's address. */
    public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, int port, BrokerSettings settings,
                                                      Router router, Connections connections) {
        Channel.Settings channelSettings = MqttListener.channelSettings(settings);
        return Http.get(system).newServerAt(settings.bind(), port)
                .bindSync(request -> handle(system, request, settings, channelSettings, router, connections));
    }

    private static HttpResponse handle(ActorSystem<?> system, HttpRequest request, BrokerSettings settings,
                                       Channel.Settings channelSettings, Router router, Connections connections) {
        Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
        if (upgrade.isEmpty()) {
            request.discardEntityBytes(system);
            return HttpResponse.create().withStatus(StatusCodes.BAD_REQUEST)
                    .withEntity("MQTT over WebSocket only: upgrade to a WebSocket with subprotocol mqtt\n");
        }
        Optional<String> subprotocol = chosen(upgrade.get().getRequestedProtocols());
        if (subprotocol.isEmpty()) {
            return HttpResponse.create().withStatus(StatusCodes.BAD_REQUEST)
                    .withEntity("the WebSocket subprotocol mqtt is required [MQTT-6.0.0-3]\n");
        }
        InetSocketAddress remote = request.getAttribute(AttributeKeys.remoteAddress)
                .flatMap(r -> r.getAddress().map(a -> new InetSocketAddress(a, r.getPort())))
                .orElse(InetSocketAddress.createUnresolved("websocket", 0));
        return upgrade.get().handleMessagesWith(
                messageFlow(MqttListener.connectionFlow(settings, channelSettings, router, remote, connections)),
                subprotocol.get());
    }

    private static Optional<String> chosen(Iterable<String> offered) {
        for (String ours : SUBPROTOCOLS) {
            for (String p : offered) if (p.equalsIgnoreCase(ours)) return Optional.of(ours);
        }
        return Optional.empty();
    }

    private static Source<ByteString, ?> bytesOf(Message m) {
        if (m.isText()) {
            return Source.failed(new IllegalArgumentException("text frame received; MQTT needs binary frames [MQTT-6.0.0-1]"));
        }
        return m.asBinaryMessage().getStreamedData();
    }

    /** WebSocket messages around a connection's byte flow. */
    static Flow<Message, Message, NotUsed> messageFlow(Flow<ByteString, ByteString, NotUsed> bytes) {
        return Flow.<Message>create()
                .flatMapConcat(WebSocketListener::bytesOf)
                .via(bytes)
                .map(b -> (Message) BinaryMessage.create(b));
    }
}
