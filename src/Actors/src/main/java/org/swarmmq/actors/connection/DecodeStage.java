package org.swarmmq.actors.connection;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
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
 */
public final class DecodeStage {
    private DecodeStage() {
    }

    public static Flow<ByteString, Object, NotUsed> flow(int maxPacketSize) {
        return Flow.of(ByteString.class).statefulMapConcat(() -> {
            FrameReader reader = new FrameReader(maxPacketSize);
            ProtocolVersion[] version = {null};
            boolean[] broken = {false};
            boolean[] first = {true};
            return bytes -> {
                if (broken[0] || bytes.isEmpty()) return List.of();
                List<Object> out = new ArrayList<>(2);
                try {
                    if (first[0]) {
                        first[0] = false;
                        checkFirstByte(bytes.head() & 0xFF);
                    }
                    for (ByteBuffer b : bytes.getByteBuffers()) reader.feed(b);
                    Frame frame;
                    while ((frame = reader.next()) != null) {
                        Packet p = PacketDecoder.decode(frame, version[0]);
                        if (p instanceof Connect c && version[0] == null) version[0] = c.version();
                        out.add(p);
                    }
                } catch (ProtocolException e) {
                    broken[0] = true;
                    out.add(new ConnectionProtocol.Violation(e));
                }
                return out;
            };
        });
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
