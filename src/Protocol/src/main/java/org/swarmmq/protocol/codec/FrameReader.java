package org.swarmmq.protocol.codec;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
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
 * maximum (a client declaring 100 MB to a 1 MB server is refused on its header).
 *
 * <p>A declared size within the maximum is still only a claim: memory follows the bytes that
 * actually arrive, never the RemainingLength alone. Otherwise a client declaring 256 MB and
 * sending 10 bytes would cost 256 MB, and a few hundred such connections would exhaust the heap.
 * The body buffer starts at min(RemainingLength, {@value #INITIAL_BODY_CAPACITY}) bytes and
 * doubles, capped at the RemainingLength, as bytes arrive; so it never exceeds twice what was
 * received (plus the initial 64 KiB), and it ends exactly full, handed to the {@link Frame}
 * without a copy. The price: a body larger than 64 KiB is re-copied as it grows, which by the
 * geometric sum is less than one extra copy of the body in all; bodies up to 64 KiB, nearly
 * every MQTT packet, are still copied once.
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
    /** The body buffer allocated before any body byte has arrived; it grows from there. */
    static final int INITIAL_BODY_CAPACITY = 64 * 1024;

    private final int maximumPacketSize;
    /** Small at first (an idle connection keeps it): it grows when a chunk carries many packets. */
    private final ArrayDeque<Frame> complete = new ArrayDeque<>(2);
    private ProtocolException failure;

    // The packet being read: its first byte (-1 before it arrives), its RemainingLength so far,
    // and once the length is complete its body buffer (body.length <= remainingLength, grown on
    // demand) and how much of the body has arrived.
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
                    int n = Math.min(end - off, remainingLength - bodyFilled);
                    ensureCapacity(bodyFilled + n);
                    System.arraycopy(b, off, body, bodyFilled, n);
                    off += n;
                    bodyFilled += n;
                    if (bodyFilled == remainingLength) completeFrame();
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
                    int n = Math.min(b.remaining(), remainingLength - bodyFilled);
                    ensureCapacity(bodyFilled + n);
                    b.get(body, bodyFilled, n);
                    bodyFilled += n;
                    if (bodyFilled == remainingLength) completeFrame();
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
        body = new byte[Math.min(remainingLength, INITIAL_BODY_CAPACITY)];
        bodyFilled = 0;
        if (remainingLength == 0) completeFrame();
    }

    /**
     * Makes room for {@code needed <= remainingLength} body bytes: at least doubling, so the
     * copies stay linear in the body size, but never beyond the RemainingLength, so the buffer is
     * exactly full when the body is complete.
     */
    private void ensureCapacity(int needed) {
        if (needed <= body.length) return;
        int grown = (int) Math.min(remainingLength, Math.max(needed, 2L * body.length));
        body = Arrays.copyOf(body, grown);
    }

    private void completeFrame() {
        // The capacity never exceeds the RemainingLength, so a complete body fills its buffer
        // exactly; the copy below is a safety net that never runs.
        byte[] exact = body.length == remainingLength ? body : Arrays.copyOf(body, remainingLength);
        complete.add(new Frame(firstByte, exact, lengthBytes));
        firstByte = -1;
        remainingLength = 0;
        lengthBytes = 0;
        body = null;
        bodyFilled = 0;
    }

    @Override
    public String toString() {
        return "FrameReader[" + complete.size() + " complete, "
                + (body != null ? bodyFilled + "/" + remainingLength + " body bytes" : lengthBytes + " length bytes")
                + (failure != null ? ", failed: " + failure.getMessage() : "") + "]";
    }
}
