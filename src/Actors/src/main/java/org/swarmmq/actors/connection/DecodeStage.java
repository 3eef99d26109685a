package org.swarmmq.actors.connection;

import java.nio.ByteBuffer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.InHandler;
import org.apache.pekko.stream.stage.OutHandler;
import org.apache.pekko.util.ByteString;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.codec.Frame;
import org.swarmmq.protocol.codec.FrameReader;
import org.swarmmq.protocol.codec.PacketDecoder;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.ProtocolVersion;

/**
 * The codec stage of a connection: bytes in, packets out, with the protocol library doing all the
 * work. The protocol version is learnt from the CONNECT and used for every later packet. The first
 * broken rule becomes a {@link ConnectionProtocol.Violation} element, after which the stage emits
 * nothing more: the connection stage answers and closes.
 *
 * <p>A stage of its own rather than {@code statefulMapConcat}: that one keeps the iterator of the
 * last chunk's packets (and so the last packet, an idle client's CONNECT) and three stages'
 * worth of closures per connection. One instance serves every connection of a listener
 * ({@link #flow}); each materialization gets its own {@link Logic} (docs/perf-notes.md item 9).
 */
public final class DecodeStage extends GraphStage<FlowShape<ByteString, Object>> {
    private final Inlet<ByteString> in = Inlet.create("DecodeStage.in");
    private final Outlet<Object> out = Outlet.create("DecodeStage.out");
    private final FlowShape<ByteString, Object> shape = FlowShape.of(in, out);
    private final int maxPacketSize;

    private DecodeStage(int maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    /** A decoder flow; materialize it as often as needed (one per connection). */
    public static Flow<ByteString, Object, NotUsed> flow(int maxPacketSize) {
        return Flow.fromGraph(new DecodeStage(maxPacketSize));
    }

    @Override
    public FlowShape<ByteString, Object> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new Logic();
    }

    private final class Logic extends GraphStageLogic implements InHandler, OutHandler {
        private final FrameReader reader = new FrameReader(maxPacketSize);
        private ProtocolVersion version;
        private boolean first = true;
        /** A Violation was emitted (or is next): nothing more is decoded, input is read and dropped. */
        private boolean broken;
        /** The next element, decoded and not yet pushed, or null. */
        private Object next;

        Logic() {
            super(shape);
            setHandlers(in, out, this);
        }

        @Override
        public void onPush() {
            ByteString bytes = grab(in);
            if (!broken && !bytes.isEmpty()) {
                try {
                    if (first) {
                        first = false;
                        checkFirstByte(bytes.head() & 0xFF);
                    }
                    for (ByteBuffer b : bytes.getByteBuffers()) reader.feed(b);
                } catch (ProtocolException e) {
                    broken = true;
                    next = new ConnectionProtocol.Violation(e);
                }
            }
            if (next == null) next = decodeNext();
            if (next == null) {
                pull(in); // nothing whole yet: read on
            } else if (isAvailable(out)) {
                pushNext();
            }
        }

        @Override
        public void onUpstreamFinish() {
            if (next == null) next = decodeNext(); // what arrived before the end still goes out
            if (next == null) completeStage();
            else if (isAvailable(out)) pushNext(); // else on the next pull; pushNext ends the stream after the last
        }

        @Override
        public void onPull() {
            if (next == null) next = decodeNext();
            if (next != null) {
                pushNext();
            } else if (isClosed(in)) {
                completeStage();
            } else if (!hasBeenPulled(in)) {
                pull(in);
            }
        }

        /** Pushes {@code next}; the stream ends with the last packet if the client's side ended. */
        private void pushNext() {
            push(out, next);
            next = null;
            if (isClosed(in)) {
                next = decodeNext();
                if (next == null) completeStage();
            }
        }

        /** The next packet of what has arrived, a Violation, or null: need more bytes (or broken). */
        private Object decodeNext() {
            if (broken) return null;
            try {
                Frame frame = reader.next();
                if (frame == null) return null;
                Packet p = PacketDecoder.decode(frame, version);
                if (p instanceof Connect c && version == null) version = c.version();
                return p;
            } catch (ProtocolException e) {
                broken = true;
                return new ConnectionProtocol.Violation(e);
            }
        }
    }

    /**
     * The first byte of the stream already tells whether the first packet is a CONNECT
     * [MQTT-3.1.0-1]: refuse anything else at once, rather than wait for a body its header may
     * declare (an HTTP request's "GE" declares 69 bytes) or decode it without a version. Type 0
     * is left to the FrameReader, which names its own rule.
     */
    private static void checkFirstByte(int firstByte) {
        PacketType type = PacketType.of(firstByte >>> 4);
        if (type != null && type != PacketType.CONNECT) {
            throw ProtocolException.protocolError("[MQTT-3.1.0-1] the first packet is " + type + ", not CONNECT");
        }
    }
}
