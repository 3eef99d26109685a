package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;






import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.Publish;

/**
 * MQTT over WebSocket (section 6), as a browser's MQTT.js uses it: Eclipse Paho over ws:// talking
 * to TCP clients through the same node, and the section's rules seen with the JDK's own WebSocket
 * client, frame by frame.
 */
@DisplayName("MQTT over WebSocket")
class WebSocketIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static BrokerProcess broker;
    private static int wsPort;

    @BeforeAll
    static void start() {
        wsPort = BrokerProcess.freePort();
        broker = BrokerProcess.start("websocket", "swarmmq.websocket-port = " + wsPort);
    }

    @AfterAll
    static void stop() {
        if (broker != null) broker.close();
    }

    private static String wsUri() {
        return "ws://" + BrokerProcess.HOST + ":" + wsPort + "/mqtt";
    }

    @Test
    @DisplayName("Paho 3.1.1 over ws:// and a TCP client exchange QoS 1 messages both ways")
    void pahoOverWebSocketAndTcp() throws Exception {
        String topic = Ids.unique("ws") + "/t";
        try (StockClient paho = new PahoV3Client(wsUri(), Ids.unique("wspaho"), o -> { });
             RawClient tcp = RawClient.connect(broker, V3_1_1, Ids.unique("wstcp"), true)) {
            paho.subscribe(topic + "/to-ws", 1);
            tcp.subscribe(topic + "/to-tcp", 1);
            tcp.publishAcked(new Publish(false, 1, false, topic + "/to-ws", 7, Bytes.utf8("over tcp"), Properties.EMPTY));
            StockClient.Message m = paho.next();
            assertEquals("over tcp", m.text(), "the ws client got the TCP client's message");
            assertEquals(1, m.qos());
            paho.publish(topic + "/to-tcp", "over ws", 1);
            Publish p = tcp.expect(Publish.class);
            assertEquals("over ws", p.payload().utf8String());
        }
    }

    @Test
    @DisplayName("[MQTT-6.0.0-4] the server selects the subprotocol mqtt; [MQTT-6.0.0-2] packets span frames and share them")
    void packetsAreNotAlignedOnFrames() throws Exception {
        Frames ws = Frames.open("mqtt");
        assertEquals("mqtt", ws.socket.getSubprotocol());
        byte[] connect = Hex.bytes("10 17 00 04 4d 51 54 54 04 02 00 3c 00 0b 77 73 2d 73 70 6c 69 74 2d 69 64");
        ws.send(Arrays.copyOfRange(connect, 0, 5)).send(Arrays.copyOfRange(connect, 5, connect.length));
        assertArrayEquals(Hex.bytes("20 02 00 00"), ws.read(4), "CONNACK, accepted, after a CONNECT in two frames");
        ws.send(Hex.bytes("c0 00 c0 00")); // two PINGREQs in one frame
        assertArrayEquals(Hex.bytes("d0 00 d0 00"), ws.read(4), "a PINGRESP for each");
        ws.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("[MQTT-6.0.0-1] a text frame closes the connection")
    void textFrameCloses() throws Exception {
        Frames ws = Frames.open("mqtt");
        ws.send(Hex.bytes("10 12 00 04 4d 51 54 54 04 02 00 3c 00 06 77 73 74 65 78 74"));
        assertArrayEquals(Hex.bytes("20 02 00 00"), ws.read(4));
        ws.socket.sendText("c0 00", true).get(5, TimeUnit.SECONDS);
        assertTrue(ws.closed.await(WAIT), "closed after a text frame");
        broker.awaitLog("MQTT needs binary frames [MQTT-6.0.0-1]", WAIT);
    }

    @Test
    @DisplayName("[MQTT-6.0.0-3] a WebSocket that does not offer the subprotocol mqtt is refused")
    void subprotocolRequired() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> Frames.open("chat"));
        assertTrue(e.getCause() instanceof java.net.http.WebSocketHandshakeException, "handshake refused: " + e);
        assertEquals(400, ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }

    /** The JDK's WebSocket client, keeping what comes as one byte stream. */
    private static final class Frames implements WebSocket.Listener {
        final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        final Latch closed = new Latch();
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        WebSocket socket;

        static Frames open(String subprotocol) throws Exception {
            Frames f = new Frames();
            f.socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(subprotocol)
                    .buildAsync(URI.create(wsUri()), f).get(10, TimeUnit.SECONDS);
            return f;
        }

        Frames send(byte[] bytes) throws Exception {
            socket.sendBinary(ByteBuffer.wrap(bytes), true).get(5, TimeUnit.SECONDS);
            return this;
        }

        byte[] read(int n) throws InterruptedException {
            while (pending.size() < n) {
                byte[] c = chunks.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                if (c == null) throw new AssertionError("only " + pending.size() + " of " + n + " bytes came");
                pending.writeBytes(c);
            }
            byte[] all = pending.toByteArray();
            pending.reset();
            pending.write(all, n, all.length - n);
            return Arrays.copyOf(all, n);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            chunks.add(b);
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.open();
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.open();
        }
    }

    private static final class Latch {
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        void open() {
            done.complete(null);
        }

        boolean await(Duration d) {
            try {
                done.get(d.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }
    }
}
