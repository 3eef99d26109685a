package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.codec.PacketEncoder;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Subscription;

/**
 * Backpressure: a subscriber that stops reading must neither stall the others nor make the node
 * buffer without bound. Its QoS 0 messages beyond the connection's outbound buffer are dropped,
 * counted and logged, while a subscriber that reads gets every message.
 */
class SlowSubscriberIT {
    private static final int MESSAGES = 5000;
    private static final int PAYLOAD = 4096; // 20 MiB in all: more than the kernel buffers hold

    @Test
    @DisplayName("a subscriber that never reads gets its QoS 0 messages dropped (logged); others get everything")
    void slowSubscriberDoesNotStallOthers() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start("slow-subscriber", "swarmmq.outbound-buffer-packets = 100");
             Socket slow = new Socket()) {
            // The slow subscriber: a tiny receive window, and it reads nothing after its SUBACK.
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress(BrokerProcess.HOST, broker.port()));
            OutputStream out = slow.getOutputStream();
            out.write(PacketEncoder.encode(Connect.of(ProtocolVersion.V3_1_1, "slow", true, 0), ProtocolVersion.V3_1_1));
            out.write(PacketEncoder.encode(new Subscribe(1, List.of(new Subscription("flood/#", 0)), Properties.EMPTY),
                    ProtocolVersion.V3_1_1));
            readExactly(slow.getInputStream(), 4 + 5); // CONNACK (4 bytes) and SUBACK (5 bytes)

            try (RawClient fast = RawClient.connect(broker, ProtocolVersion.V3_1_1, "fast", true);
                 RawClient publisher = RawClient.connect(broker, ProtocolVersion.V3_1_1, "publisher", true)) {
                fast.subscribe("flood/#", 1);
                byte[] payload = new byte[PAYLOAD];
                for (int i = 0; i < MESSAGES; i++) {
                    payload[0] = (byte) i;
                    payload[1] = (byte) (i >> 8);
                    publisher.publishAcked(new Publish(false, 1, false, "flood/x", 1 + i % 60000,
                            Bytes.copyOf(payload), Properties.EMPTY));
                    Publish got = fast.expect(Publish.class, Duration.ofSeconds(20));
                    assertEquals(i, (got.payload().get(0) & 0xFF) | (got.payload().get(1) & 0xFF) << 8,
                            "the reading subscriber gets every message, in order");
                    assertEquals(PAYLOAD, got.payload().length());
                    fast.send(new PubAck(got.packetId()));
                }
            }
            String line = broker.awaitLog("Client slow too slow: dropped", Duration.ofSeconds(10));
            assertTrue(line.contains("QoS 0 messages"), line);
            assertTrue(broker.isAlive(), "the node keeps running");
        }
    }

    private static void readExactly(InputStream in, int n) throws Exception {
        byte[] b = new byte[n];
        int read = 0;
        while (read < n) {
            int r = in.read(b, read, n - read);
            if (r < 0) throw new AssertionError("closed after " + read + " bytes");
            read += r;
        }
    }
}
