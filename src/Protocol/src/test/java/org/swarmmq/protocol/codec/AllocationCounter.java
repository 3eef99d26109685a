package org.swarmmq.protocol.codec;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Bytes allocated by the current thread, from HotSpot's per-thread counter
 * ({@code com.sun.management.ThreadMXBean}). Tests use it to show that memory follows the bytes
 * received, not the sizes a peer declares.
 */
final class AllocationCounter {
    private static final com.sun.management.ThreadMXBean MX = find();

    private AllocationCounter() {}

    private static com.sun.management.ThreadMXBean find() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean sun) || !sun.isThreadAllocatedMemorySupported()) return null;
        if (!sun.isThreadAllocatedMemoryEnabled()) sun.setThreadAllocatedMemoryEnabled(true);
        return sun;
    }

    /** Whether this JVM counts allocations per thread; without it the allocation checks are skipped. */
    static boolean supported() {
        return MX != null;
    }

    /** The running total for the current thread; only differences mean anything. */
    static long allocatedBytes() {
        return MX.getCurrentThreadAllocatedBytes();
    }
}
