package org.swarmmq.it;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh client ids and topic roots, so tests sharing one broker never see each other's sessions,
 * subscriptions or retained messages.
 */
final class Ids {
    private static final AtomicInteger SEQ = new AtomicInteger();
    /** Per test JVM: a node kept across runs (it is not) would still not mix them up. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

    private Ids() {
    }

    /** A unique name with a readable prefix, valid as client id (3.1: at most 23 characters) and topic level. */
    static String unique(String prefix) {
        String p = prefix.length() > 12 ? prefix.substring(0, 12) : prefix;
        return p + "-" + RUN + "-" + SEQ.incrementAndGet();
    }
}
