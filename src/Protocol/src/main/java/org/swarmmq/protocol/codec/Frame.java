package org.swarmmq.protocol.codec;

import java.util.Arrays;
import java.util.Objects;
import org.swarmmq.protocol.packets.PacketType;

/**
 * One complete control packet as framed (section 2.1): the first byte of the Fixed Header (type
 * in bits 7-4, flags in bits 3-0) and the body, exactly RemainingLength bytes. The frame owns the
 * body array: {@link FrameReader} fills it with the received bytes (once for bodies up to 64 KiB;
 * larger ones are re-copied while the buffer grows with what arrives), and {@link PacketDecoder}
 * hands out slices of it (PUBLISH payload, binary properties) without copying again. Nobody
 * writes to the array after the frame is built.
 */
public final class Frame {
    private static final byte[] NO_BODY = new byte[0];

    private final int firstByte;
    private final byte[] body;
    private final int remainingLengthSize;

    /** A frame for a body received elsewhere (tests, other transports); takes ownership of {@code body}. */
    public Frame(int firstByte, byte[] body) {
        this(firstByte, body, variableByteIntSize(body.length));
    }

    Frame(int firstByte, byte[] body, int remainingLengthSize) {
        if (firstByte < 0 || firstByte > 0xFF) throw new IllegalArgumentException("first byte " + firstByte);
        Objects.requireNonNull(body, "body");
        if (body.length > FrameReader.MAX_REMAINING_LENGTH) throw new IllegalArgumentException("body " + body.length);
        this.firstByte = firstByte;
        this.body = body.length == 0 ? NO_BODY : body;
        this.remainingLengthSize = remainingLengthSize;
    }

    /** The whole first byte: packet type and flags. */
    public int firstByte() {
        return firstByte;
    }

    /** The packet type, or null for the reserved value 0 (which {@link FrameReader} never yields). */
    public PacketType type() {
        return PacketType.of(firstByte >>> 4);
    }

    /** Bits 3-0 of the first byte. */
    public int flags() {
        return firstByte & 0x0F;
    }

    /** The body itself, not a copy; read it, never write it. */
    public byte[] body() {
        return body;
    }

    public int remainingLength() {
        return body.length;
    }

    /** The packet size of section 2.1.4: the Fixed Header plus the RemainingLength. */
    public int wireSize() {
        return 1 + remainingLengthSize + body.length;
    }

    static int variableByteIntSize(int value) {
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.firstByte == firstByte && Arrays.equals(f.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * firstByte + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        PacketType t = type();
        return "Frame[" + (t == null ? "type 0" : t) + " flags " + PacketDecoder.bits(flags()) + ", " + body.length + " bytes]";
    }
}
