package org.swarmmq.bench;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.codec.Frame;
import org.swarmmq.protocol.codec.FrameReader;
import org.swarmmq.protocol.codec.PacketDecoder;
import org.swarmmq.protocol.codec.PacketEncoder;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.Property;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.UserProperty;

/**
 * The PUBLISH hot path of the codec, per packet: decoding what a client sent and encoding what a
 * subscriber gets. One PUBLISH at QoS 1 on {@code site/17/device/42/temp} with a 64 B or 1 KiB
 * payload of random bytes (fixed seed). With MQTT 5 the packet carries one User Property
 * ({@code unit=celsius}), a typical small property set; MQTT 3.1.1 has no properties on the wire.
 *
 * <ul>
 *   <li>{@code decodePublish}: the whole inbound path. The encoded packet is fed to a
 *       {@link FrameReader} as one chunk, the frame taken out and given to {@link PacketDecoder}.
 *       The reader is reused across invocations, as the broker keeps one per connection.</li>
 *   <li>{@code encodePublishArray}: {@link PacketEncoder#encode(Packet, ProtocolVersion)} into a
 *       fresh array of exactly the packet's size.</li>
 *   <li>{@code encodePublishBuffer}: encoding into one reused heap ByteBuffer, cleared each time:
 *       the batched outbound path, which should allocate nothing.</li>
 * </ul>
 * The setup checks that the encoded bytes decode back to the same packet, so the benchmarks
 * measure a correct round trip and not an error path.
 */
@State(Scope.Thread) // FrameReader is not thread-safe: with -t N every thread gets its own
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
    private static final String TOPIC = "site/17/device/42/temp";
    private static final int PACKET_ID = 4711;
    private static final long SEED = 42;

    @Param({"64", "1024"})
    int payloadSize;

    @Param({"V3_1_1", "V5"})
    ProtocolVersion version;

    private Publish publish;
    private byte[] encoded;
    private FrameReader reader;
    private ByteBuffer out;

    @Setup
    public void prepare() {
        byte[] payload = new byte[payloadSize];
        new Random(SEED).nextBytes(payload);
        Properties properties = version.isV5()
                ? Properties.of(new Property(PropertyId.USER_PROPERTY, new UserProperty("unit", "celsius")))
                : Properties.EMPTY;
        publish = new Publish(false, 1, false, TOPIC, PACKET_ID, Bytes.wrap(payload), properties);
        encoded = PacketEncoder.encode(publish, version);
        reader = new FrameReader(FrameReader.MAX_PACKET_SIZE);
        out = ByteBuffer.allocate(64 * 1024);

        // Not assumed: the bytes are a whole frame and decode back to the packet encoded.
        reader.feed(encoded);
        Frame frame = reader.next();
        if (frame == null || reader.next() != null || frame.wireSize() != encoded.length) {
            throw new IllegalStateException("encoded PUBLISH is not exactly one frame");
        }
        Packet back = PacketDecoder.decode(frame, version);
        if (!publish.equals(back)) throw new IllegalStateException("round trip changed the packet: " + back);
        PacketEncoder.encode(publish, version, out);
        if (out.position() != encoded.length) throw new IllegalStateException("buffer encoding differs in size");
        out.clear();
        System.out.printf("%n[setup] %s PUBLISH QoS 1, %d B payload: %d B on the wire%n",
                version, payloadSize, encoded.length);
    }

    @Benchmark
    public Packet decodePublish() {
        reader.feed(encoded);
        // One chunk, one packet: next() returns it (the setup checked it).
        return PacketDecoder.decode(reader.next(), version);
    }

    @Benchmark
    public byte[] encodePublishArray() {
        return PacketEncoder.encode(publish, version);
    }

    @Benchmark
    public void encodePublishBuffer(Blackhole bh) {
        out.clear();
        PacketEncoder.encode(publish, version, out);
        bh.consume(out.position());
    }
}
