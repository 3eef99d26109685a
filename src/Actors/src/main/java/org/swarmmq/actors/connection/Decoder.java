package org.swarmmq.actors.connection;

import java.nio.ByteBuffer;
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
 * The codec of a connection's input: bytes in, packets out, with the protocol library doing all
 * the work. The protocol version is learnt from the CONNECT and used for every later packet. The
 * first broken rule becomes a {@link ConnectionProtocol.Violation}, after which nothing more
 * comes out and further input is dropped: the connection answers and closes.
 *
 * <p>Packets are decoded one at a time as the connection takes them ({@link #next}); until then
 * they wait as frames in the {@link FrameReader}. Plain Java inside {@link ConnectionStage}
 * rather than a stream stage of its own: every stage logic costs an idle connection a few
 * hundred bytes (docs/perf-notes.md item 9).
 */
final class Decoder {
    private final FrameReader reader;
    private ProtocolVersion version;
    private boolean first = true;
    /** A Violation is out (or next): nothing more is decoded. */
    private boolean broken;
    /** The first byte already broke a rule: the Violation {@link #next} returns. */
    private ConnectionProtocol.Violation refused;

    Decoder(int maxPacketSize) {
        reader = new FrameReader(maxPacketSize);
    }

    /** Bytes from the socket; copied, so the caller may let go of them. */
    void feed(ByteString bytes) {
        if (broken || bytes.isEmpty()) return;
        try {
            if (first) {
                first = false;
                checkFirstByte(bytes.head() & 0xFF);
            }
        } catch (ProtocolException e) {
            broken = true;
            refused = new ConnectionProtocol.Violation(e);
            return;
        }
        for (ByteBuffer b : bytes.getByteBuffers()) reader.feed(b);
    }

    /** The next packet of what has arrived, a Violation (once), or null: more bytes needed, or broken. */
    Object next() {
        if (refused != null) {
            Object v = refused;
            refused = null;
            return v;
        }
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
