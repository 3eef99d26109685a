package org.swarmmq.bench;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

/**
 * The least a Pekko Streams TCP server can hold per idle MQTT connection: {@code Tcp.bind} with a
 * flow that answers the first bytes (a CONNECT) with CONNACK and then only waits, as the broker's
 * listener does before its own stages. No decoding, no session, no actor of ours. Its live heap
 * per connection, measured as the broker's (docs/benchmarks.md, "idle connections"), is the floor
 * under the broker's figure that the design (Pekko Streams TCP, one stream per connection) keeps.
 *
 * <p>Usage: {@code java -cp CLASSPATH org.swarmmq.bench.IdleConnectionFloor PORT}
 */
public final class IdleConnectionFloor {
    private static final ByteString CONNACK = ByteString.fromArray(new byte[] {0x20, 0x02, 0x00, 0x00});

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        ActorSystem system = ActorSystem.create("floor", ConfigFactory.parseString(
                "pekko.loglevel = WARNING\npekko.io.tcp.max-channels = unlimited").withFallback(ConfigFactory.defaultReference()));
        Flow<ByteString, ByteString, ?> answerConnectThenWait = Flow.<ByteString>create()
                .zipWithIndex()
                .filter(chunk -> chunk.second() == 0)
                .map(chunk -> CONNACK);
        Tcp.get(system).bind("127.0.0.1", port)
                .to(Sink.foreach(connection -> connection.handleWith(answerConnectThenWait, system)))
                .run(system);
        System.out.println("IdleConnectionFloor listening on 127.0.0.1:" + port);
    }
}
