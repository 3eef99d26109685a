package org.swarmmq.actors.sys;

import org.swarmmq.actors.CborSerializable;

/** One node's figures for the $SYS topics, sent by the node to the cluster's $SYS publisher. */
public record NodeReport(String node, long startedAtMillis, int connections, long packetsReceived,
                         long packetsSent, long publishReceived, long publishSent, long bytesReceived,
                         long bytesSent, long reportedAtMillis) implements CborSerializable {
}
