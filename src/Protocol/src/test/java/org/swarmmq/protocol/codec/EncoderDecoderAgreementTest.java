package org.swarmmq.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.swarmmq.protocol.codec.EncoderAssertions.hex;
import static org.swarmmq.protocol.codec.PacketArbitraries.binary;
import static org.swarmmq.protocol.codec.PacketArbitraries.packetIds;
import static org.swarmmq.protocol.codec.PacketArbitraries.qos;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.swarmmq.protocol.ProtocolException;
import org.swarmmq.protocol.codec.PacketArbitraries.Sample;
import org.swarmmq.protocol.packets.Auth;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.PingReq;
import org.swarmmq.protocol.packets.PingResp;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.PubAck;
import org.swarmmq.protocol.packets.PubComp;
import org.swarmmq.protocol.packets.PubRec;
import org.swarmmq.protocol.packets.PubRel;
import org.swarmmq.protocol.packets.Publish;
import org.swarmmq.protocol.packets.ReasonCode;
import org.swarmmq.protocol.packets.SubAck;
import org.swarmmq.protocol.packets.Subscribe;
import org.swarmmq.protocol.packets.Subscription;
import org.swarmmq.protocol.packets.UnsubAck;
import org.swarmmq.protocol.packets.Unsubscribe;
import org.swarmmq.protocol.packets.UserProperty;
import org.swarmmq.protocol.packets.Will;

/**
 * The encoder never writes what the decoder rejects. Packets here obey only the model's
 * constructors: any reason code, wildcards in topic names, empty lists, any property in any
 * packet with any value its data type holds. For each the encoder either refuses (the broker
 * built a packet that cannot be sent: IllegalArgumentException) or writes bytes our decoder
 * accepts and reads back as the same packet; for 3.1/3.1.1 as the packet's documented downgrade
 * (properties dropped, reason codes mapped to return codes).
 */
class EncoderDecoderAgreementTest {

    @Provide
    Arbitrary<Sample> loosePackets() {
        return Arbitraries.of(ProtocolVersion.values()).flatMap(v -> Arbitraries.oneOf(List.of(
                connect(v), connAck(v), publish(v), ack(v), subscribe(v), subAck(v), unsubscribe(v), unsubAck(v),
                Arbitraries.of(PingReq.INSTANCE, PingResp.INSTANCE), disconnect(v), auth())).map(p -> new Sample(v, p)));
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    @Label("whatever the encoder writes, the decoder accepts and reads back as the same packet (3.x: its downgrade)")
    void encoderWritesOnlyWhatTheDecoderAccepts(@ForAll("loosePackets") Sample s) {
        byte[] wire;
        try {
            wire = PacketEncoder.encode(s.packet(), s.version());
        } catch (IllegalArgumentException refused) {
            return;
        }
        Packet back;
        try {
            back = RoundTripPropertiesTest.decodeOne(wire, s.version());
        } catch (ProtocolException e) {
            fail("the encoder wrote " + s + " as " + hex(wire) + " but the decoder rejects it: " + e);
            return;
        }
        assertEquals(expectedBack(s.packet(), s.version()), back, () -> hex(wire));
    }

    /**
     * What the receiver sees: MQTT 5 the packet itself, except that Session Present is only ever
     * sent with Success [MQTT-3.2.2-6]; 3.1/3.1.1 the packet without what their wire cannot carry.
     */
    static Packet expectedBack(Packet p, ProtocolVersion v) {
        if (p instanceof ConnAck a && a.sessionPresent() && (a.reasonCode() != ReasonCode.SUCCESS || v == ProtocolVersion.V3_1)) {
            p = new ConnAck(false, a.reasonCode(), a.properties()); // 3.1: no Session Present at all
        }
        if (v.isV5()) return p;
        Properties none = Properties.EMPTY;
        return switch (p.type()) {
            case CONNECT -> {
                Connect c = (Connect) p;
                Will w = c.will() == null ? null : new Will(c.will().topic(), c.will().payload(), c.will().qos(), c.will().retain(), none);
                yield new Connect(c.version(), c.clientId(), c.cleanStart(), c.keepAlive(), w, c.userName(), c.password(), none);
            }
            case CONNACK -> {
                ConnAck a = (ConnAck) p;
                yield new ConnAck(a.sessionPresent(), ReasonCodes.connectReturnCode(PacketEncoder.connectReturnCode(a.reasonCode())), none);
            }
            case PUBLISH -> {
                Publish x = (Publish) p;
                yield new Publish(x.dup(), x.qos(), x.retain(), x.topic(), x.packetId(), x.payload(), none);
            }
            case PUBACK -> new PubAck(((PubAck) p).packetId());
            case PUBREC -> new PubRec(((PubRec) p).packetId());
            case PUBREL -> new PubRel(((PubRel) p).packetId());
            case PUBCOMP -> new PubComp(((PubComp) p).packetId());
            case SUBSCRIBE -> {
                Subscribe x = (Subscribe) p;
                List<Subscription> plain = new ArrayList<>();
                for (Subscription sub : x.subscriptions()) plain.add(new Subscription(sub.topicFilter(), sub.qos()));
                yield new Subscribe(x.packetId(), plain, none);
            }
            case SUBACK -> {
                SubAck x = (SubAck) p;
                List<ReasonCode> codes = new ArrayList<>();
                for (ReasonCode c : x.reasonCodes()) codes.add(ReasonCodes.subAckReturnCode(PacketEncoder.subAckReturnCode(c)));
                yield new SubAck(x.packetId(), codes, none);
            }
            case UNSUBSCRIBE -> new Unsubscribe(((Unsubscribe) p).packetId(), ((Unsubscribe) p).topicFilters(), none);
            case UNSUBACK -> new UnsubAck(((UnsubAck) p).packetId(), List.of(), none);
            case DISCONNECT -> Disconnect.NORMAL;
            default -> p;
        };
    }

    // ---- loose generators: only the model's constructor rules hold ----

    private static Arbitrary<ReasonCode> anyCode() {
        return Arbitraries.of(ReasonCode.values());
    }

    /** Strings where wildcards, '/', '$share/' prefixes and the empty string are common. */
    private static Arbitrary<String> names() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(Tuple.of(3, PacketArbitraries.strings(3)),
                Tuple.of(2, Arbitraries.of("+", "#", "/", "$share/", "a/+/b", "a/#")));
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("")),
                Tuple.of(6, piece.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("", l))));
    }

    /** Any properties at all: allowed or not in the packet, any value the data type holds. */
    private static Arbitrary<Properties> anyProperties(ProtocolVersion v) {
        Arbitrary<org.swarmmq.protocol.packets.Property> one = Arbitraries.of(PropertyId.values()).flatMap(id -> {
            Arbitrary<?> value = switch (id.type()) {
                case BYTE -> Arbitraries.integers().between(0, 0xFF);
                case TWO_BYTE_INTEGER -> Arbitraries.integers().between(0, 0xFFFF);
                case FOUR_BYTE_INTEGER -> Arbitraries.longs().between(0, 0xFFFF_FFFFL);
                case VARIABLE_BYTE_INTEGER -> Arbitraries.integers().between(0, 268_435_455);
                case UTF8_STRING -> names();
                case UTF8_STRING_PAIR -> Combinators.combine(names(), names()).as(UserProperty::new);
                case BINARY_DATA -> binary(8);
            };
            return value.map(x -> new org.swarmmq.protocol.packets.Property(id, x));
        });
        return one.list().ofMaxSize(v.isV5() ? 3 : 2).map(Properties::of);
    }

    /** Mostly allowed properties with any value, so packets pass the identifier checks and reach the value checks. */
    private static Arbitrary<Properties> properties(ProtocolVersion v, PacketType type, boolean will) {
        Arbitrary<Properties> allowed = anyProperties(v).map(ps -> {
            List<org.swarmmq.protocol.packets.Property> keep = new ArrayList<>();
            for (org.swarmmq.protocol.packets.Property p : ps.asList()) {
                if (will ? p.id().inWill() : p.id().allowedIn(type)) keep.add(p);
            }
            return Properties.of(keep);
        });
        return Arbitraries.frequencyOf(Tuple.of(1, anyProperties(v)), Tuple.of(4, allowed));
    }

    private static Arbitrary<Packet> connect(ProtocolVersion v) {
        Arbitrary<Will> will = Combinators.combine(names(), binary(4), qos(), Arbitraries.of(true, false),
                properties(v, PacketType.CONNECT, true)).as(Will::new).injectNull(0.5);
        return Combinators.combine(PacketArbitraries.strings(4), Arbitraries.of(true, false), will,
                        PacketArbitraries.strings(4).injectNull(0.5), binary(4).injectNull(0.5),
                        properties(v, PacketType.CONNECT, false))
                .as((id, clean, w, user, pass, props) -> new Connect(v, id, clean, 60, w, user, pass, props));
    }

    private static Arbitrary<Packet> connAck(ProtocolVersion v) {
        return Combinators.combine(Arbitraries.of(true, false), anyCode(), properties(v, PacketType.CONNACK, false))
                .as(ConnAck::new);
    }

    private static Arbitrary<Packet> publish(ProtocolVersion v) {
        return Combinators.combine(qos(), Arbitraries.of(true, false), names(), packetIds(), binary(6),
                        properties(v, PacketType.PUBLISH, false))
                .as((qos, dup, topic, id, payload, props) ->
                        new Publish(dup && qos > 0, qos, false, topic, qos > 0 ? id : 0, payload, props));
    }

    private static Arbitrary<Packet> ack(ProtocolVersion v) {
        return Combinators.combine(Arbitraries.of(PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP),
                        packetIds(), anyCode(), anyProperties(v))
                .as((type, id, code, props) -> switch (type) {
                    case PUBACK -> new PubAck(id, code, props);
                    case PUBREC -> new PubRec(id, code, props);
                    case PUBREL -> new PubRel(id, code, props);
                    default -> new PubComp(id, code, props);
                });
    }

    private static Arbitrary<Packet> subscribe(ProtocolVersion v) {
        Arbitrary<Subscription> sub = Combinators.combine(names(), qos(), Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 2)).as(Subscription::new);
        return Combinators.combine(packetIds(), sub.list().ofMaxSize(2), properties(v, PacketType.SUBSCRIBE, false))
                .as(Subscribe::new);
    }

    private static Arbitrary<Packet> subAck(ProtocolVersion v) {
        return Combinators.combine(packetIds(), anyCode().list().ofMaxSize(3), properties(v, PacketType.SUBACK, false))
                .as(SubAck::new);
    }

    private static Arbitrary<Packet> unsubscribe(ProtocolVersion v) {
        return Combinators.combine(packetIds(), names().list().ofMaxSize(2), properties(v, PacketType.UNSUBSCRIBE, false))
                .as(Unsubscribe::new);
    }

    private static Arbitrary<Packet> unsubAck(ProtocolVersion v) {
        return Combinators.combine(packetIds(), anyCode().list().ofMaxSize(3), properties(v, PacketType.UNSUBACK, false))
                .as(UnsubAck::new);
    }

    private static Arbitrary<Packet> disconnect(ProtocolVersion v) {
        return Combinators.combine(anyCode(), properties(v, PacketType.DISCONNECT, false)).as(Disconnect::new);
    }

    private static Arbitrary<Packet> auth() {
        return Combinators.combine(anyCode(), properties(ProtocolVersion.V5, PacketType.AUTH, false)).as(Auth::new);
    }
}
