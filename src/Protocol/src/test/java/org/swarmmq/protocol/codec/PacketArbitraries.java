package org.swarmmq.protocol.codec;

import static org.swarmmq.protocol.packets.ReasonCode.*;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Auth;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.Packet;
import org.swarmmq.protocol.packets.PacketType;
import org.swarmmq.protocol.packets.PingReq;
import org.swarmmq.protocol.packets.PingResp;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.Property;
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
 * Generators of VALID packets: every one of the 15 types in every version that has it, obeying
 * each rule a receiver checks, so that an encoded packet must decode to itself. The reason code
 * tables are copied from the spec here rather than taken from {@link ReasonCodes}, so a mistake
 * in the codec's tables shows up as a disagreement instead of being repeated.
 */
final class PacketArbitraries {
    private PacketArbitraries() {}

    /** A packet and the version of the connection it travels on. */
    record Sample(ProtocolVersion version, Packet packet) {
        @Override
        public String toString() {
            return version + " " + packet;
        }
    }

    /** Several packets on one connection, in order. */
    record Stream(ProtocolVersion version, List<Packet> packets) {}

    // ---- reason codes: MQTT 5 Tables 3-1, 3-4 .. 3-11; 3.1.1 return codes ----

    static final List<ReasonCode> CONNACK_V5 = List.of(SUCCESS, UNSPECIFIED_ERROR, MALFORMED_PACKET, PROTOCOL_ERROR,
            IMPLEMENTATION_SPECIFIC_ERROR, UNSUPPORTED_PROTOCOL_VERSION, CLIENT_IDENTIFIER_NOT_VALID,
            BAD_USER_NAME_OR_PASSWORD, NOT_AUTHORIZED, SERVER_UNAVAILABLE, SERVER_BUSY, BANNED, BAD_AUTHENTICATION_METHOD,
            TOPIC_NAME_INVALID, PACKET_TOO_LARGE, QUOTA_EXCEEDED, PAYLOAD_FORMAT_INVALID, RETAIN_NOT_SUPPORTED,
            QOS_NOT_SUPPORTED, USE_ANOTHER_SERVER, SERVER_MOVED, CONNECTION_RATE_EXCEEDED);
    /** The six Connect Return Codes of 3.1.1 (3.2.2.3), as the model names them. */
    static final List<ReasonCode> CONNACK_V3 = List.of(SUCCESS, UNSUPPORTED_PROTOCOL_VERSION,
            CLIENT_IDENTIFIER_NOT_VALID, SERVER_UNAVAILABLE, BAD_USER_NAME_OR_PASSWORD, NOT_AUTHORIZED);
    static final List<ReasonCode> PUBACK_V5 = List.of(SUCCESS, NO_MATCHING_SUBSCRIBERS, UNSPECIFIED_ERROR,
            IMPLEMENTATION_SPECIFIC_ERROR, NOT_AUTHORIZED, TOPIC_NAME_INVALID, PACKET_IDENTIFIER_IN_USE, QUOTA_EXCEEDED,
            PAYLOAD_FORMAT_INVALID);
    static final List<ReasonCode> PUBREL_V5 = List.of(SUCCESS, PACKET_IDENTIFIER_NOT_FOUND);
    static final List<ReasonCode> SUBACK_V5 = List.of(SUCCESS, GRANTED_QOS_1, GRANTED_QOS_2, UNSPECIFIED_ERROR,
            IMPLEMENTATION_SPECIFIC_ERROR, NOT_AUTHORIZED, TOPIC_FILTER_INVALID, PACKET_IDENTIFIER_IN_USE,
            QUOTA_EXCEEDED, SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
            WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED);
    /** 3.1.1 SUBACK return codes (3.9.3): granted QoS 0, 1, 2 or 0x80 Failure. */
    static final List<ReasonCode> SUBACK_V3 = List.of(SUCCESS, GRANTED_QOS_1, GRANTED_QOS_2, UNSPECIFIED_ERROR);
    static final List<ReasonCode> UNSUBACK_V5 = List.of(SUCCESS, NO_SUBSCRIPTION_EXISTED, UNSPECIFIED_ERROR,
            IMPLEMENTATION_SPECIFIC_ERROR, NOT_AUTHORIZED, TOPIC_FILTER_INVALID, PACKET_IDENTIFIER_IN_USE);
    /** Table 3-10, plus 0x8C Bad authentication method which Table 2-6 also lists for DISCONNECT. */
    static final List<ReasonCode> DISCONNECT_V5 = List.of(SUCCESS, DISCONNECT_WITH_WILL_MESSAGE, UNSPECIFIED_ERROR,
            MALFORMED_PACKET, PROTOCOL_ERROR, IMPLEMENTATION_SPECIFIC_ERROR, NOT_AUTHORIZED, SERVER_BUSY,
            SERVER_SHUTTING_DOWN, BAD_AUTHENTICATION_METHOD, KEEP_ALIVE_TIMEOUT, SESSION_TAKEN_OVER,
            TOPIC_FILTER_INVALID, TOPIC_NAME_INVALID, RECEIVE_MAXIMUM_EXCEEDED, TOPIC_ALIAS_INVALID, PACKET_TOO_LARGE,
            MESSAGE_RATE_TOO_HIGH, QUOTA_EXCEEDED, ADMINISTRATIVE_ACTION, PAYLOAD_FORMAT_INVALID, RETAIN_NOT_SUPPORTED,
            QOS_NOT_SUPPORTED, USE_ANOTHER_SERVER, SERVER_MOVED, SHARED_SUBSCRIPTIONS_NOT_SUPPORTED,
            CONNECTION_RATE_EXCEEDED, MAXIMUM_CONNECT_TIME, SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
            WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED);
    static final List<ReasonCode> AUTH_V5 = List.of(SUCCESS, CONTINUE_AUTHENTICATION, RE_AUTHENTICATE);

    // ---- whole packets ----

    /** Any version, then any packet type that version has. */
    static Arbitrary<Sample> samples() {
        return Arbitraries.of(ProtocolVersion.values()).flatMap(v -> packets(v).map(p -> new Sample(v, p)));
    }

    /** One version, then 1..{@code maxPackets} packets of it. */
    static Arbitrary<Stream> streams(int maxPackets) {
        return Arbitraries.of(ProtocolVersion.values())
                .flatMap(v -> packets(v).list().ofMinSize(1).ofMaxSize(maxPackets).map(ps -> new Stream(v, ps)));
    }

    /** Every type valid in {@code v}, each equally likely: 15 for MQTT 5, 14 before (no AUTH). */
    static Arbitrary<Packet> packets(ProtocolVersion v) {
        List<Arbitrary<? extends Packet>> types = new ArrayList<>(List.of(
                connect(v), connAck(v), publish(v),
                ack(v, PacketType.PUBACK), ack(v, PacketType.PUBREC), ack(v, PacketType.PUBREL), ack(v, PacketType.PUBCOMP),
                subscribe(v), subAck(v), unsubscribe(v), unsubAck(v),
                Arbitraries.just(PingReq.INSTANCE), Arbitraries.just(PingResp.INSTANCE), disconnect(v)));
        if (v.isV5()) types.add(auth());
        return Arbitraries.oneOf(types);
    }

    static Arbitrary<Connect> connect(ProtocolVersion v) {
        Arbitrary<Will> will = will(v).injectNull(0.5);
        Arbitrary<String> userName = strings(12).injectNull(0.4);
        Arbitrary<Bytes> password = binary(12).injectNull(0.4);
        return Combinators.combine(strings(23), Arbitraries.of(true, false), Arbitraries.integers().between(0, 0xFFFF),
                        will, userName, password, properties(v, PacketType.CONNECT, false))
                .as((clientId, clean, keepAlive, w, user, pass, props) ->
                        // [MQTT-3.1.2-22] before MQTT 5 a Password needs a User Name
                        new Connect(v, clientId, clean, keepAlive, w, user, v.isV5() || user != null ? pass : null, props));
    }

    static Arbitrary<Will> will(ProtocolVersion v) {
        return Combinators.combine(topicNames(), binary(40), qos(), Arbitraries.of(true, false),
                        properties(v, PacketType.CONNECT, true))
                .as(Will::new);
    }

    static Arbitrary<ConnAck> connAck(ProtocolVersion v) {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(v.isV5() ? CONNACK_V5 : CONNACK_V3),
                        properties(v, PacketType.CONNACK, false))
                // Session Present only with Success [MQTT-3.2.2-6] (3.1.1: [MQTT-3.2.2-4]), and MQTT 3.1
                // has no Session Present at all (its first CONNACK byte is reserved).
                .as((present, code, props) -> new ConnAck(present && code == SUCCESS && v != ProtocolVersion.V3_1, code, props));
    }

    static Arbitrary<Publish> publish(ProtocolVersion v) {
        // MQTT 5: a zero length Topic Name stands for a Topic Alias (3.3.2.1), which must then be present.
        Arbitrary<String> topic = v.isV5()
                ? Arbitraries.frequencyOf(Tuple.of(9, topicNames()), Tuple.of(1, Arbitraries.just("")))
                : topicNames();
        Arbitrary<Bytes> payload = Arbitraries.frequencyOf(Tuple.of(8, binary(64)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(100).ofMaxSize(20_000).map(Bytes::wrap)));
        return Combinators.combine(qos(), Arbitraries.of(true, false), Arbitraries.of(true, false), topic, packetIds(),
                        payload, properties(v, PacketType.PUBLISH, false))
                .as((qos, dup, retain, t, id, body, props) -> new Publish(dup && qos > 0, qos, retain, t, qos > 0 ? id : 0, body,
                        t.isEmpty() && !props.has(PropertyId.TOPIC_ALIAS) ? props.with(PropertyId.TOPIC_ALIAS, 1) : props));
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP; 3.1/3.1.1 have neither reason code nor properties. */
    static Arbitrary<Packet> ack(ProtocolVersion v, PacketType type) {
        List<ReasonCode> codes = !v.isV5() ? List.of(SUCCESS)
                : type == PacketType.PUBACK || type == PacketType.PUBREC ? PUBACK_V5 : PUBREL_V5;
        return Combinators.combine(packetIds(), Arbitraries.of(codes), properties(v, type, false))
                .as((id, code, props) -> switch (type) {
                    case PUBACK -> new PubAck(id, code, props);
                    case PUBREC -> new PubRec(id, code, props);
                    case PUBREL -> new PubRel(id, code, props);
                    case PUBCOMP -> new PubComp(id, code, props);
                    default -> throw new IllegalArgumentException(type.toString());
                });
    }

    static Arbitrary<Subscribe> subscribe(ProtocolVersion v) {
        return Combinators.combine(packetIds(), subscription(v).list().ofMinSize(1).ofMaxSize(4),
                        properties(v, PacketType.SUBSCRIBE, false))
                .as(Subscribe::new);
    }

    static Arbitrary<Subscription> subscription(ProtocolVersion v) {
        if (!v.isV5()) return Combinators.combine(topicFilters(), qos()).as(Subscription::new);
        return Combinators.combine(topicFilters(), qos(), Arbitraries.of(true, false), Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 2))
                // [MQTT-3.8.3-4] No Local is not allowed on a Shared Subscription
                .as((filter, qos, noLocal, rap, rh) ->
                        new Subscription(filter, qos, noLocal && !filter.startsWith("$share/"), rap, rh));
    }

    static Arbitrary<SubAck> subAck(ProtocolVersion v) {
        return Combinators.combine(packetIds(), Arbitraries.of(v.isV5() ? SUBACK_V5 : SUBACK_V3).list().ofMinSize(1).ofMaxSize(5),
                        properties(v, PacketType.SUBACK, false))
                .as(SubAck::new);
    }

    static Arbitrary<Unsubscribe> unsubscribe(ProtocolVersion v) {
        return Combinators.combine(packetIds(), topicFilters().list().ofMinSize(1).ofMaxSize(4),
                        properties(v, PacketType.UNSUBSCRIBE, false))
                .as(Unsubscribe::new);
    }

    static Arbitrary<UnsubAck> unsubAck(ProtocolVersion v) {
        // 3.1.1 UNSUBACK is the Packet Identifier alone (3.11)
        Arbitrary<List<ReasonCode>> codes = v.isV5()
                ? Arbitraries.of(UNSUBACK_V5).list().ofMinSize(1).ofMaxSize(5)
                : Arbitraries.just(List.of());
        return Combinators.combine(packetIds(), codes, properties(v, PacketType.UNSUBACK, false)).as(UnsubAck::new);
    }

    static Arbitrary<Disconnect> disconnect(ProtocolVersion v) {
        if (!v.isV5()) return Arbitraries.just(Disconnect.NORMAL);
        return Combinators.combine(Arbitraries.of(DISCONNECT_V5), properties(v, PacketType.DISCONNECT, false)).as(Disconnect::new);
    }

    /** AUTH: the empty short form, or a reason code with an Authentication Method (3.15.2.2.2). */
    static Arbitrary<Auth> auth() {
        Arbitrary<Auth> full = Combinators.combine(Arbitraries.of(AUTH_V5), strings(10),
                        properties(ProtocolVersion.V5, PacketType.AUTH, false))
                .as((code, method, props) -> new Auth(code,
                        props.has(PropertyId.AUTHENTICATION_METHOD) ? props : props.with(PropertyId.AUTHENTICATION_METHOD, method)));
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(new Auth(SUCCESS, Properties.EMPTY))), Tuple.of(5, full));
    }

    // ---- MQTT 5 properties ----

    /**
     * A property list for {@code packet} (or its Will Properties): any subset of the allowed
     * non-repeatable properties, each once, plus User Properties and, in PUBLISH, Subscription
     * Identifiers, in any order. Empty before MQTT 5.
     */
    static Arbitrary<Properties> properties(ProtocolVersion v, PacketType packet, boolean will) {
        if (!v.isV5()) return Arbitraries.just(Properties.EMPTY);
        boolean multipleSubscriptionIds = packet == PacketType.PUBLISH && !will; // [MQTT-3.3.4-4]
        Set<PropertyId> once = EnumSet.noneOf(PropertyId.class);
        for (PropertyId id : PropertyId.values()) {
            boolean allowed = will ? id.inWill() : id.allowedIn(packet);
            boolean repeated = id == PropertyId.USER_PROPERTY || id == PropertyId.SUBSCRIPTION_IDENTIFIER && multipleSubscriptionIds;
            if (allowed && !repeated) once.add(id);
        }
        Arbitrary<List<Property>> singles = Arbitraries.subsetOf(once).flatMap(ids -> {
            if (ids.isEmpty()) return Arbitraries.just(List.<Property>of());
            List<Arbitrary<Property>> each = new ArrayList<>();
            for (PropertyId id : ids) each.add(value(id).map(x -> new Property(id, x)));
            return Combinators.combine(each).as(l -> l);
        });
        Arbitrary<List<Property>> users = property(PropertyId.USER_PROPERTY).list().ofMaxSize(3);
        Arbitrary<List<Property>> subscriptionIds = multipleSubscriptionIds
                ? property(PropertyId.SUBSCRIPTION_IDENTIFIER).list().ofMaxSize(3)
                : Arbitraries.just(List.of());
        return Combinators.combine(singles, users, subscriptionIds).as((a, b, c) -> {
            List<Property> all = new ArrayList<>(a);
            all.addAll(b);
            all.addAll(c);
            // 3.1.2.11.10: no Authentication Data without an Authentication Method
            if (packet == PacketType.CONNECT && !will
                    && all.stream().noneMatch(p -> p.id() == PropertyId.AUTHENTICATION_METHOD)) {
                all.removeIf(p -> p.id() == PropertyId.AUTHENTICATION_DATA);
            }
            return all;
        }).flatMap(Arbitraries::shuffle).map(Properties::of);
    }

    static Arbitrary<Property> property(PropertyId id) {
        return value(id).map(x -> new Property(id, x));
    }

    /** A value each property's own section allows (2.2.2.2 and the sections it points to). */
    static Arbitrary<Object> value(PropertyId id) {
        Arbitrary<?> a = switch (id) {
            // "It is a Protocol Error to include ... a value of 0": 3.1.2.11.3, 3.1.2.11.4, 3.3.2.3.4, 3.3.2.3.8
            case RECEIVE_MAXIMUM, TOPIC_ALIAS -> Arbitraries.integers().between(1, 0xFFFF);
            case MAXIMUM_PACKET_SIZE -> Arbitraries.longs().between(1, 0xFFFF_FFFFL);
            case SUBSCRIPTION_IDENTIFIER -> Arbitraries.integers().between(1, 268_435_455);
            case RESPONSE_TOPIC -> topicNames(); // [MQTT-3.3.2-14] a Topic Name, no wildcards
            default -> switch (id.type()) {
                case BYTE -> Arbitraries.integers().between(0, 1); // every Byte property is a 0/1 flag
                case TWO_BYTE_INTEGER -> Arbitraries.integers().between(0, 0xFFFF);
                case FOUR_BYTE_INTEGER -> Arbitraries.longs().between(0, 0xFFFF_FFFFL);
                case VARIABLE_BYTE_INTEGER -> Arbitraries.integers().between(0, 268_435_455);
                case UTF8_STRING -> strings(16);
                case UTF8_STRING_PAIR -> Combinators.combine(strings(8), strings(8)).as(UserProperty::new);
                case BINARY_DATA -> binary(24);
            };
        };
        return a.map(x -> (Object) x);
    }

    // ---- fields ----

    static Arbitrary<Integer> packetIds() {
        return Arbitraries.integers().between(1, 0xFFFF); // [MQTT-2.3.1-1] non-zero
    }

    static Arbitrary<Integer> qos() {
        return Arbitraries.integers().between(0, 2);
    }

    static Arbitrary<Bytes> binary(int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength).map(Bytes::wrap);
    }

    /**
     * Code points a UTF-8 Encoded String may hold [MQTT-1.5.4-1] [MQTT-1.5.4-2]: no U+0000, no
     * surrogates; one, two, three and four byte encodings all turn up.
     */
    static Arbitrary<Integer> codePoints() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between('a', 'z')),
                Tuple.of(3, Arbitraries.integers().between(0x01, 0x7F)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
                Tuple.of(2, Arbitraries.integers().between(0x800, 0xFFFF).filter(c -> c < 0xD800 || c > 0xDFFF)),
                Tuple.of(1, Arbitraries.integers().between(0x1_0000, 0x10_FFFF)));
    }

    static Arbitrary<String> strings(int maxCodePoints) {
        return strings(codePoints(), maxCodePoints);
    }

    private static Arbitrary<String> strings(Arbitrary<Integer> codePoints, int maxCodePoints) {
        return codePoints.list().ofMaxSize(maxCodePoints).map(cps -> {
            StringBuilder sb = new StringBuilder();
            for (int cp : cps) sb.appendCodePoint(cp);
            return sb.toString();
        });
    }

    /** One level of a Topic Name or Filter, maybe empty: no '/', and no wildcards '+' '#'. */
    static Arbitrary<String> levels() {
        return strings(codePoints().filter(c -> c != '/' && c != '+' && c != '#'), 6);
    }

    /** A Topic Name: at least one character [MQTT-4.7.3-1], no wildcards [MQTT-3.3.2-2]. */
    static Arbitrary<String> topicNames() {
        return levels().list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l)).filter(t -> !t.isEmpty());
    }

    /**
     * A valid Topic Filter (4.7.1): '+' fills a level, '#' is last and alone; sometimes a Shared
     * Subscription "$share/{ShareName}/{filter}" (4.8.2), which 3.1/3.1.1 read as a plain filter.
     */
    static Arbitrary<String> topicFilters() {
        Arbitrary<String> level = Arbitraries.frequencyOf(Tuple.of(4, levels()), Tuple.of(1, Arbitraries.just("+")));
        Arbitrary<String> plain = Combinators.combine(level.list().ofMaxSize(4), Arbitraries.of(false, false, true))
                .as((ls, hash) -> {
                    List<String> all = new ArrayList<>(ls);
                    if (hash) all.add("#");
                    return String.join("/", all);
                })
                .filter(f -> !f.isEmpty());
        Arbitrary<String> shareName = levels().filter(s -> !s.isEmpty()); // [MQTT-4.8.2-1]
        Arbitrary<String> shared = Combinators.combine(shareName, plain).as((n, f) -> "$share/" + n + "/" + f);
        return Arbitraries.frequencyOf(Tuple.of(6, plain), Tuple.of(1, shared));
    }
}
