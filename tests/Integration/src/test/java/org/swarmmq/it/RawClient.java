package org.swarmmq.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.codec.Frame;
import org.swarmmq.protocol.codec.FrameReader;
import org.swarmmq.protocol.codec.PacketDecoder;
import org.swarmmq.protocol.codec.PacketEncoder;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.PubComp;
import org.swarmmq.protocol.packets.PubRec;
import org.swarmmq.protocol.packets.PubRel;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.SubAck;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Subscription;
import org.swarmmq.protocol.packets.UnsubAck;
import org.swarmmq.protocol.packets.Unsubscribe;

/**
 * A bare MQTT client on a TCP socket, built on our own codec: it sends exactly the packets (or
 * bytes) a test gives it and hands back every packet the broker sends, as decoded packet and raw
 * frame, so tests can assert flags, packet ids and reason codes byte for byte. It never answers
 * anything by itself: acknowledgements, pings and DISCONNECT are the test's business.
 *
 * <p>A reader thread decodes incoming frames into a queue; {@link #next} and {@link #expect} take
 * from it with a timeout. A broker packet our decoder rejects fails the test: the broker must only
 * send well-formed packets.
 */
public final class RawClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One received packet with the frame it came in. */
    public record Incoming(Packet packet, Frame frame) {
    }

    private static final Object CLOSED = new Object();

    private final Socket socket;
    private final OutputStream out;
    private final LinkedBlockingQueue<Object> incoming = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile ProtocolVersion version;
    private Frame lastFrame;
    /** Packet ids for our SUBSCRIBE/UNSUBSCRIBE; tests choose PUBLISH ids themselves. */
    private int nextSubscribeId = 1;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        Thread reader = new Thread(this::readLoop, "raw-client-" + socket.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens a TCP connection to the broker; nothing is sent yet. */
    public static RawClient open(BrokerProcess broker) {
        try {
            Socket s = new Socket(BrokerProcess.HOST, broker.port());
            s.setTcpNoDelay(true);
            return new RawClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a connection and completes CONNECT/CONNACK with a plain CONNECT; fails unless accepted. */
    public static RawClient connect(BrokerProcess broker, ProtocolVersion v, String clientId, boolean cleanStart) {
        RawClient c = open(broker);
        c.connect(Connect.of(v, clientId, cleanStart, 60));
        return c;
    }

    /** Sends CONNECT and expects a successful CONNACK, which it returns. */
    public ConnAck connect(Connect connect) {
        send(connect);
        ConnAck ack = expect(ConnAck.class);
        if (ack.reasonCode() != ReasonCode.SUCCESS) throw new AssertionError("CONNECT refused: " + ack);
        return ack;
    }

    /**
     * SUBSCRIBE to one filter and expect the SUBACK right away, with our packet id [MQTT-3.8.4-2]
     * and the requested QoS granted [MQTT-3.8.4-5].
     */
    public SubAck subscribe(String filter, int qos) {
        int id = nextSubscribeId++;
        send(new Subscribe(id, List.of(new Subscription(filter, qos)), Properties.EMPTY));
        SubAck ack = expect(SubAck.class);
        if (ack.packetId() != id) throw new AssertionError("[MQTT-3.8.4-2] SUBACK id " + ack.packetId() + " for SUBSCRIBE " + id);
        if (!ack.reasonCodes().equals(List.of(ReasonCode.grantedQos(qos)))) {
            throw new AssertionError("[MQTT-3.8.4-5] SUBACK for " + filter + " at QoS " + qos + ": " + ack.reasonCodes());
        }
        return ack;
    }

    /** UNSUBSCRIBE one filter and expect the UNSUBACK with our packet id [MQTT-3.10.4-4]. */
    public UnsubAck unsubscribe(String filter) {
        int id = nextSubscribeId++;
        send(new Unsubscribe(id, List.of(filter), Properties.EMPTY));
        UnsubAck ack = expect(UnsubAck.class);
        if (ack.packetId() != id) throw new AssertionError("[MQTT-3.10.4-4] UNSUBACK id " + ack.packetId() + " for " + id);
        return ack;
    }

    /**
     * Publishes and completes the publisher's side of the flow: PUBACK for QoS 1 [MQTT-4.3.2-2];
     * PUBREC, our PUBREL, PUBCOMP for QoS 2 [MQTT-4.3.3-2], each with the PUBLISH's packet id.
     */
    public void publishAcked(Publish p) {
        send(p);
        if (p.qos() == 1) {
            PubAck ack = expect(PubAck.class);
            if (ack.packetId() != p.packetId()) throw new AssertionError("PUBACK " + ack + " for " + p);
        } else if (p.qos() == 2) {
            PubRec rec = expect(PubRec.class);
            if (rec.packetId() != p.packetId()) throw new AssertionError("PUBREC " + rec + " for " + p);
            send(new PubRel(p.packetId()));
            PubComp comp = expect(PubComp.class);
            if (comp.packetId() != p.packetId()) throw new AssertionError("PUBCOMP " + comp + " for " + p);
        }
    }

    /** DISCONNECT (normal), then close the socket. */
    public void disconnect() {
        send(Disconnect.NORMAL);
        close();
    }

    /** The local port: the broker logs connections as 127.0.0.1:thisPort. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /**
     * Encodes and sends a packet in the connection's version; a CONNECT sets that version (it is
     * needed to decode what comes back).
     */
    public void send(Packet p) {
        if (p instanceof Connect c) version = c.version();
        if (version == null) throw new IllegalStateException("send a CONNECT first, or use version(v)");
        sendBytes(PacketEncoder.encode(p, version));
    }

    /** Sets the version used to encode and decode without sending a CONNECT (raw-byte tests). */
    public RawClient version(ProtocolVersion v) {
        this.version = v;
        return this;
    }

    /** The version packets are encoded and decoded in (set by CONNECT or {@link #version(ProtocolVersion)}). */
    public ProtocolVersion version() {
        return version;
    }

    public void sendBytes(byte[] bytes) {
        try {
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("send failed (closed by the broker?)", e);
        }
    }

    /** Sends bytes, tolerating a broker that already closed the connection (for broken input). */
    public void sendBytesIgnoringClose(byte[] bytes) {
        try {
            sendBytes(bytes);
        } catch (UncheckedIOException e) {
            // The broker may close while we write; that is what such tests look for.
        }
    }

    /** The next packet from the broker; fails if none comes within {@code timeout} or the connection closed. */
    public Packet next(Duration timeout) {
        Incoming in = nextIncoming(timeout, true);
        if (in == null) throw new AssertionError("no packet from the broker within " + timeout);
        return in.packet();
    }

    public Packet next() {
        return next(TIMEOUT);
    }

    /** The next packet, which must be of the given type. */
    public <T extends Packet> T expect(Class<T> type, Duration timeout) {
        Packet p = next(timeout);
        if (!type.isInstance(p)) throw new AssertionError("expected " + type.getSimpleName() + ", got " + p);
        return type.cast(p);
    }

    public <T extends Packet> T expect(Class<T> type) {
        return expect(type, TIMEOUT);
    }

    /** The next packet within {@code timeout}, or null when none came (the connection may be open or closed). */
    public Packet poll(Duration timeout) {
        Incoming in = nextIncoming(timeout, false);
        return in == null ? null : in.packet();
    }

    /**
     * Asserts that no packet arrives within {@code quiet} and the connection stays open. This waits
     * the whole period on purpose: it is how a test shows that something (a duplicate, a will) does
     * NOT happen.
     */
    public void expectNothing(Duration quiet) {
        Packet p = poll(quiet);
        if (p != null) throw new AssertionError("expected no packet within " + quiet + ", got " + p);
        if (closed.getCount() == 0) throw new AssertionError("expected no packet, but the connection closed");
    }

    /** The raw frame of the packet last returned by next/expect/poll. */
    public Frame lastFrame() {
        return lastFrame;
    }

    /** Whether the broker closed the connection (end of stream or reset) within {@code timeout}. */
    public boolean closedWithin(Duration timeout) {
        try {
            return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Closes the socket without DISCONNECT: to the broker, an abnormal loss of the connection. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private Incoming nextIncoming(Duration timeout, boolean failOnClose) {
        Object o;
        try {
            o = incoming.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (o == null) return null;
        if (o == CLOSED) {
            incoming.add(CLOSED); // nothing can follow; later calls see it too
            if (!failOnClose) return null;
            throw new AssertionError("the connection is closed (no further packet)");
        }
        if (o instanceof ProtocolException e) {
            throw new AssertionError("the broker sent a packet our decoder rejects: " + e.getMessage(), e);
        }
        Incoming in = (Incoming) o;
        lastFrame = in.frame();
        return in;
    }

    private void readLoop() {
        FrameReader reader = new FrameReader(FrameReader.MAX_PACKET_SIZE);
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = socket.getInputStream()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                reader.feed(buf, 0, n);
                for (Frame f; (f = reader.next()) != null; ) {
                    incoming.add(new Incoming(PacketDecoder.decode(f, version), f));
                }
            }
        } catch (ProtocolException e) {
            incoming.add(e);
        } catch (IOException e) {
            // reset by the broker, or closed by us: either way the connection is over
        } finally {
            incoming.add(CLOSED);
            closed.countDown();
        }
    }
}
