package org.swarmmq.actors.connection;

import java.util.concurrent.atomic.LongAdder;

/**
 * What this node's MQTT connections have carried since it started, for the $SYS topics (as
 * mosquitto counts them): packets, PUBLISH packets and bytes, each way. Counters only, written
 * by every connection's stream, read by the $SYS reporter.
 */
public final class Traffic {
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder publishReceived = new LongAdder();
    private final LongAdder publishSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();

    void received(boolean publish) {
        packetsReceived.increment();
        if (publish) publishReceived.increment();
    }

    void sent(boolean publish) {
        packetsSent.increment();
        if (publish) publishSent.increment();
    }

    void bytesReceived(int n) {
        bytesReceived.add(n);
    }

    void bytesSent(int n) {
        bytesSent.add(n);
    }

    public long packetsReceived() {
        return packetsReceived.sum();
    }

    public long packetsSent() {
        return packetsSent.sum();
    }

    public long publishReceived() {
        return publishReceived.sum();
    }

    public long publishSent() {
        return publishSent.sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }
}
