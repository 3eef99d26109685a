package org.swarmmq.actors;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.swarmmq.actors.connection.ConnectionProtocol;
import org.swarmmq.actors.session.SessionProtocol;
import org.swarmmq.actors.topic.NodeRoutes;
import org.swarmmq.actors.topic.TopicProtocol;
import org.swarmmq.protocol.codec.Frame;
import org.swarmmq.protocol.codec.FrameReader;
import org.swarmmq.protocol.codec.PacketDecoder;
import org.swarmmq.protocol.codec.PacketEncoder;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.Publish;

/**
 * The binary form of the messages every delivery sends between nodes (route, fan-out, deliver,
 * send, acknowledge and their replies). Jackson CBOR wrote field names and type ids per message
 * and was a third of a node's samples in a cross-node run (docs/perf-notes.md). Packets and a
 * message's topic, payload and properties travel as MQTT 5 frames, written and read by the
 * protocol codec itself, so every field the protocol has survives; the rest is a few numbers.
 * Bound in swarmmq-pekko.conf; every other message stays on Jackson.
 */
public final class HotPathSerializer extends SerializerWithStringManifest {
    private static final ProtocolVersion WIRE = ProtocolVersion.V5;
    private final ActorRefResolver resolver;

    private final java.util.concurrent.atomic.LongAdder payloadsOut = new java.util.concurrent.atomic.LongAdder();

    /**
     * How many messages carrying a PUBLISH on its way to subscribers (a delivery to a session, a
     * node's fan-out, packets for a connection) this node has serialized: each is one crossing to
     * another node.
     */
    public long payloadsOut() {
        return payloadsOut.sum();
    }

    public HotPathSerializer(ExtendedActorSystem system) {
        this.resolver = ActorRefResolver.get(Adapter.toTyped(system));
    }

    @Override
    public int identifier() {
        return 4_711_001;
    }

    /**
     * Deliveries chosen by a Shared Subscription carry its filter: written only under the
     * manifests "d", "f" and "q", so a message without one keeps the form ("D", "F", "R") that
     * nodes from before shared subscriptions read.
     */
    @Override
    public String manifest(Object o) {
        if (o instanceof SessionProtocol.Deliver d) return d.delivery().shared().isEmpty() ? "D" : "d";
        if (o instanceof NodeRoutes.Fanout f) {
            for (NodeRoutes.Target t : f.targets()) if (!t.delivery().shared().isEmpty()) return "f";
            return "F";
        }
        if (o instanceof TopicProtocol.Route r) {
            for (TopicProtocol.Delivery d : r.prior().values()) if (!d.shared().isEmpty()) return "q";
            return "R";
        }
        if (o instanceof ConnectionProtocol.Send s) return s.retained() ? "T" : "S";
        if (o instanceof SessionProtocol.Acknowledge) return "A";
        if (o instanceof TopicProtocol.Routed) return "r";
        if (o instanceof TopicProtocol.Confirmed) return "C";
        throw new IllegalArgumentException("not a hot-path message: " + o.getClass());
    }

    @Override
    public byte[] toBinary(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        String manifest = manifest(o);
        boolean shared = manifest.equals("d") || manifest.equals("f") || manifest.equals("q");
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (o instanceof SessionProtocol.Deliver d) {
                payloadsOut.increment();
                writeMessage(out, d.message());
                writeDelivery(out, d.delivery(), shared);
                writeRef(out, d.confirmTo());
                out.writeLong(d.correlationId());
            } else if (o instanceof NodeRoutes.Fanout f) {
                payloadsOut.increment();
                writeMessage(out, f.message());
                out.writeInt(f.targets().size());
                for (NodeRoutes.Target t : f.targets()) {
                    writeRef(out, t.session());
                    writeDelivery(out, t.delivery(), shared);
                }
                writeRef(out, f.replyTo());
                out.writeLong(f.correlationId());
            } else if (o instanceof ConnectionProtocol.Send s) {
                payloadsOut.increment();
                out.write(PacketEncoder.encode(s.packets(), WIRE));
            } else if (o instanceof SessionProtocol.Acknowledge a) {
                writeRef(out, a.connection());
                out.write(PacketEncoder.encode(a.ack(), WIRE));
            } else if (o instanceof TopicProtocol.Route r) {
                writeMessage(out, r.message());
                out.writeInt(r.prior().size());
                for (Map.Entry<String, TopicProtocol.Delivery> e : r.prior().entrySet()) {
                    out.writeUTF(e.getKey());
                    writeDelivery(out, e.getValue(), shared);
                }
                writeRef(out, r.replyTo());
                out.writeLong(r.correlationId());
                out.writeInt(r.priorSessions().size()); // appended: a node without them reads the rest
                for (var e : r.priorSessions().entrySet()) {
                    out.writeUTF(e.getKey());
                    writeRef(out, e.getValue());
                }
            } else if (o instanceof TopicProtocol.Routed r) {
                out.writeLong(r.correlationId());
                out.writeInt(r.confirmations());
                out.writeInt(r.matched()); // appended: a node reading only the first two fields still can
            } else if (o instanceof TopicProtocol.Confirmed c) {
                out.writeLong(c.correlationId());
            } else {
                throw new IllegalArgumentException("not a hot-path message: " + o.getClass());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return switch (manifest) {
                case "D", "d" -> new SessionProtocol.Deliver(readMessage(in), readDelivery(in, manifest.equals("d")),
                        readRef(in), in.readLong());
                case "F", "f" -> {
                    Message m = readMessage(in);
                    int n = in.readInt();
                    List<NodeRoutes.Target> targets = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        targets.add(new NodeRoutes.Target(readRef(in), readDelivery(in, manifest.equals("f"))));
                    }
                    yield new NodeRoutes.Fanout(m, targets, readRef(in), in.readLong());
                }
                case "S" -> new ConnectionProtocol.Send(packets(bytes, 0));
                case "T" -> new ConnectionProtocol.Send(packets(bytes, 0), true);
                case "A" -> {
                    ActorRef<ConnectionProtocol.Command> connection = readRef(in);
                    int used = bytes.length - in.available();
                    yield new SessionProtocol.Acknowledge(connection, packets(bytes, used).get(0));
                }
                case "R", "q" -> {
                    Message m = readMessage(in);
                    int n = in.readInt();
                    Map<String, TopicProtocol.Delivery> prior = new HashMap<>(n * 2);
                    for (int i = 0; i < n; i++) prior.put(in.readUTF(), readDelivery(in, manifest.equals("q")));
                    ActorRef<TopicProtocol.RouteReply> replyTo = readRef(in);
                    long correlationId = in.readLong();
                    int k = in.available() >= 4 ? in.readInt() : 0; // from a node without them
                    Map<String, ActorRef<SessionProtocol.Command>> sessions = k == 0 ? Map.of() : new HashMap<>(k * 2);
                    for (int i = 0; i < k; i++) sessions.put(in.readUTF(), readRef(in));
                    yield new TopicProtocol.Route(m, prior, replyTo, correlationId, sessions);
                }
                case "r" -> new TopicProtocol.Routed(in.readLong(), in.readInt(),
                        in.available() >= 4 ? in.readInt() : TopicProtocol.Routed.UNKNOWN); // from a node without it
                case "C" -> new TopicProtocol.Confirmed(in.readLong());
                default -> throw new IllegalArgumentException("unknown manifest " + manifest);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message's topic, payload and properties as a QoS 0 MQTT 5 PUBLISH; the rest beside it. */
    private static void writeMessage(DataOutputStream out, Message m) throws IOException {
        out.writeByte(m.qos());
        out.writeBoolean(m.retain());
        out.writeBoolean(m.publisher() != null);
        if (m.publisher() != null) out.writeUTF(m.publisher());
        out.writeLong(m.receivedAtMillis());
        byte[] frame = PacketEncoder.encode(new Publish(false, 0, false, m.topic(), 0, m.payload(), m.properties()), WIRE);
        out.writeInt(frame.length);
        out.write(frame);
    }

    private static Message readMessage(DataInputStream in) throws IOException {
        int qos = in.readByte();
        boolean retain = in.readBoolean();
        String publisher = in.readBoolean() ? in.readUTF() : null;
        long receivedAt = in.readLong();
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        Publish p = (Publish) packets(frame, 0).get(0);
        return new Message(p.topic(), p.payload(), qos, retain, p.properties(), publisher, receivedAt);
    }

    private static void writeDelivery(DataOutputStream out, TopicProtocol.Delivery d, boolean withShared)
            throws IOException {
        out.writeByte(d.qos());
        out.writeBoolean(d.retainAsPublished());
        out.writeBoolean(d.durable());
        out.writeInt(d.subscriptionIds().size());
        for (int id : d.subscriptionIds()) out.writeInt(id);
        if (!withShared) return;
        out.writeInt(d.shared().size());
        for (String filter : d.shared()) writeLongUtf(out, filter);
    }

    private static TopicProtocol.Delivery readDelivery(DataInputStream in, boolean withShared) throws IOException {
        int qos = in.readByte();
        boolean rap = in.readBoolean();
        boolean durable = in.readBoolean();
        int n = in.readInt();
        List<Integer> ids = n == 0 ? List.of() : new ArrayList<>(n);
        for (int i = 0; i < n; i++) ids.add(in.readInt());
        List<String> shared = List.of();
        if (withShared) {
            int s = in.readInt();
            shared = new ArrayList<>(s);
            for (int i = 0; i < s; i++) shared.add(readLongUtf(in));
        }
        return new TopicProtocol.Delivery(qos, rap, ids, durable, shared);
    }

    /** A filter may be 65535 UTF-8 bytes plus "$share/name/": longer than writeUTF takes. */
    private static void writeLongUtf(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readLongUtf(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void writeRef(DataOutputStream out, ActorRef<?> ref) throws IOException {
        out.writeUTF(ref == null ? "" : resolver.toSerializationFormat(ref));
    }

    private <T> ActorRef<T> readRef(DataInputStream in) throws IOException {
        String path = in.readUTF();
        return path.isEmpty() ? null : resolver.resolveActorRef(path);
    }

    /** Every MQTT 5 frame in {@code bytes} from {@code offset}, decoded. */
    private static List<Packet> packets(byte[] bytes, int offset) {
        FrameReader reader = new FrameReader(FrameReader.MAX_PACKET_SIZE);
        reader.feed(bytes, offset, bytes.length - offset);
        List<Packet> out = new ArrayList<>();
        for (Frame f; (f = reader.next()) != null; ) out.add(PacketDecoder.decode(f, WIRE));
        return out;
    }
}
