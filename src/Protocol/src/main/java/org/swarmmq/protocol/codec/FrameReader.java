package org.swarmmq.protocol.codec;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * Cuts a byte stream into {@link Frame}s, whatever way the bytes arrive: one at a time, split
 * anywhere, several packets in one chunk. Use it as
 * <pre>
 *   reader.feed(chunk);
 *   for (Frame f; (f = reader.next()) != null; ) handle(f);
 * </pre>
 * The Fixed Header is parsed byte by byte as it is fed, so nothing is buffered but the frame
 * bodies: as soon as the RemainingLength is known the whole packet size is checked against the
 * maximum, before the body is allocated (a client declaring 100 MB is refused on its header,
 * not after we buffered the 100 MB). Each body array is allocated once, at its declared size,
 * and received bytes are copied into it once; no pending buffer is ever re-copied.
 *
 * <p>A protocol error ends the stream: frames completed before the bad byte are still returned
 * by {@link #next()}, then {@code next()} throws the error, now and on every later call, and
 * further input is ignored. "Need more bytes" is never an error: {@code next()} returns null.
 *
 * <p>Not thread-safe; one reader per connection.
 */
public final class FrameReader {
    /** Section 1.5.5: four bytes of seven bits. */
    public static final int MAX_REMAINING_LENGTH = 268_435_455;
    /** One type byte, four RemainingLength bytes, the largest body. */
    public static final int MAX_PACKET_SIZE = 1 + 4 + MAX_REMAINING_LENGTH;

    private final int maximumPacketSize;
    private final ArrayDeque<Frame> complete = new ArrayDeque<>();
    private ProtocolException failure;

    // The packet being read: its first byte (-1 before it arrives), its RemainingLength so far,
    // and once the length is complete its body and how much of the body has arrived.
    private int firstByte = -1;
    private int remainingLength;
    private int lengthBytes;
    private byte[] body;
    private int bodyFilled;

    /**
     * @param maximumPacketSize the largest packet size (section 2.1.4: Fixed Header plus
     *     RemainingLength) this side accepts; larger packets fail with PACKET_TOO_LARGE
     */
    public FrameReader(int maximumPacketSize) {
        if (maximumPacketSize < 2 || maximumPacketSize > MAX_PACKET_SIZE) {
            throw new IllegalArgumentException("maximumPacketSize " + maximumPacketSize + " not in 2.." + MAX_PACKET_SIZE);
        }
        this.maximumPacketSize = maximumPacketSize;
    }

    public int maximumPacketSize() {
        return maximumPacketSize;
    }

    /** Appends received bytes; they are copied, so the caller may reuse {@code b} afterwards. */
    public void feed(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failure != null) return;
        int end = off + len;
        try {
            while (off < end) {
                if (body != null) {
                    int n = Math.min(end - off, body.length - bodyFilled);
                    System.arraycopy(b, off, body, bodyFilled, n);
                    off += n;
                    bodyFilled += n;
                    if (bodyFilled == body.length) completeFrame();
                } else {
                    headerByte(b[off++] & 0xFF);
                }
            }
        } catch (ProtocolException e) {
            failure = e;
        }
    }

    public void feed(byte[] b) {
        feed(b, 0, b.length);
    }

    /** Appends the buffer's remaining bytes and advances its position to its limit. */
    public void feed(ByteBuffer b) {
        if (failure != null) {
            b.position(b.limit());
            return;
        }
        try {
            while (b.hasRemaining()) {
                if (body != null) {
                    int n = Math.min(b.remaining(), body.length - bodyFilled);
                    b.get(body, bodyFilled, n);
                    bodyFilled += n;
                    if (bodyFilled == body.length) completeFrame();
                } else {
                    headerByte(b.get() & 0xFF);
                }
            }
        } catch (ProtocolException e) {
            failure = e;
            b.position(b.limit());
        }
    }

    /**
     * The next complete frame, or null when more bytes are needed.
     *
     * @throws ProtocolException once the frames before a framing error have been returned
     */
    public Frame next() {
        Frame f = complete.poll();
        if (f == null && failure != null) throw failure;
        return f;
    }

    /** Whether part of a packet has arrived but not all of it (a stream ending now is truncated). */
    public boolean hasPartialFrame() {
        return firstByte >= 0;
    }

    private void headerByte(int b) {
        if (firstByte < 0) {
            if (b >>> 4 == 0) {
                // Table 2-1: packet type 0 is reserved (3.1.1: "Forbidden")
                throw ProtocolException.malformed("[MQTT-2.1.2] packet type 0 is reserved");
            }
            firstByte = b;
            return;
        }
        remainingLength |= (b & 0x7F) << (7 * lengthBytes);
        lengthBytes++;
        if ((b & 0x80) != 0) {
            if (lengthBytes == 4) {
                // A continuation bit on the fourth byte announces a fifth: no need to wait for it.
                throw ProtocolException.malformed(
                        "[MQTT-1.5.5-1] (3.1.1: 2.2.3) RemainingLength is longer than 4 bytes");
            }
            return;
        }
        long packetSize = 1L + lengthBytes + remainingLength;
        if (packetSize > maximumPacketSize) {
            // Checked before allocating: [MQTT-3.2.2-15] (server side) / [MQTT-3.1.2-24] (client side)
            throw new ProtocolException(ReasonCode.PACKET_TOO_LARGE, "[MQTT-3.2.2-15] packet of " + packetSize
                    + " bytes (RemainingLength " + remainingLength + ") exceeds the Maximum Packet Size " + maximumPacketSize);
        }
        body = new byte[remainingLength];
        bodyFilled = 0;
        if (remainingLength == 0) completeFrame();
    }

    private void completeFrame() {
        complete.add(new Frame(firstByte, body, lengthBytes));
        firstByte = -1;
        remainingLength = 0;
        lengthBytes = 0;
        body = null;
        bodyFilled = 0;
    }

    @Override
    public String toString() {
        return "FrameReader[" + complete.size() + " complete, "
                + (body != null ? bodyFilled + "/" + body.length + " body bytes" : lengthBytes + " length bytes")
                + (failure != null ? ", failed: " + failure.getMessage() : "") + "]";
    }
}
