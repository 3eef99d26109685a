package org.swarmmq.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable slice of bytes: a payload, a password, correlation data. The broker copies a
 * PUBLISH payload once when it enters (from the frame into one array) and then shares this
 * view with every subscriber; nothing here ever writes to the array.
 */
public final class Bytes {
    public static final Bytes EMPTY = new Bytes(new byte[0], 0, 0);

    private final byte[] array;
    private final int offset;
    private final int length;

    private Bytes(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** Takes ownership of {@code array}: the caller must not change it afterwards. */
    public static Bytes wrap(byte[] array) {
        return array.length == 0 ? EMPTY : new Bytes(array, 0, array.length);
    }

    /** Takes ownership of a slice of {@code array}: the caller must not change it afterwards. */
    public static Bytes wrap(byte[] array, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > array.length) {
            throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " of " + array.length);
        }
        return length == 0 ? EMPTY : new Bytes(array, offset, length);
    }

    public static Bytes copyOf(byte[] array) {
        return wrap(array.clone());
    }

    public static Bytes utf8(String s) {
        return wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    public byte get(int index) {
        if (index < 0 || index >= length) throw new IndexOutOfBoundsException(index);
        return array[offset + index];
    }

    /** A read-only view; no copy. */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer();
    }

    public void writeTo(ByteBuffer out) {
        out.put(array, offset, length);
    }

    public void writeTo(byte[] out, int at) {
        System.arraycopy(array, offset, out, at, length);
    }

    public byte[] toByteArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    public String utf8String() {
        return new String(array, offset, length, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b
                && Arrays.equals(array, offset, offset + length, b.array, b.offset, b.offset + b.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) h = 31 * h + array[i];
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Bytes[").append(length).append(']');
        int shown = Math.min(length, 32);
        if (shown > 0) sb.append(' ');
        for (int i = 0; i < shown; i++) sb.append(String.format("%02x", array[offset + i] & 0xff));
        if (shown < length) sb.append("...");
        return sb.toString();
    }
}
