package org.swarmmq.actors;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.*;

/**
 * Teaches Jackson the protocol types that are not plain records: {@link Bytes} (as binary),
 * {@link Properties} (as an array of [id, value] pairs, in order) and the {@link Packet}
 * interface (each packet names its type, so a {@code List<Packet>} can be read back). Registered
 * in swarmmq-pekko.conf, so the pure protocol module needs no Jackson annotations.
 */
public final class MqttJacksonModule extends SimpleModule {
    /** The packet type's name is written with every packet; names, not classes, so they can move. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "packet")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Connect.class, name = "CONNECT"),
            @JsonSubTypes.Type(value = ConnAck.class, name = "CONNACK"),
            @JsonSubTypes.Type(value = Publish.class, name = "PUBLISH"),
            @JsonSubTypes.Type(value = PubAck.class, name = "PUBACK"),
            @JsonSubTypes.Type(value = PubRec.class, name = "PUBREC"),
            @JsonSubTypes.Type(value = PubRel.class, name = "PUBREL"),
            @JsonSubTypes.Type(value = PubComp.class, name = "PUBCOMP"),
            @JsonSubTypes.Type(value = Subscribe.class, name = "SUBSCRIBE"),
            @JsonSubTypes.Type(value = SubAck.class, name = "SUBACK"),
            @JsonSubTypes.Type(value = Unsubscribe.class, name = "UNSUBSCRIBE"),
            @JsonSubTypes.Type(value = UnsubAck.class, name = "UNSUBACK"),
            @JsonSubTypes.Type(value = PingReq.class, name = "PINGREQ"),
            @JsonSubTypes.Type(value = PingResp.class, name = "PINGRESP"),
            @JsonSubTypes.Type(value = Disconnect.class, name = "DISCONNECT"),
            @JsonSubTypes.Type(value = Auth.class, name = "AUTH")})
    private interface PacketMixin {
    }

    public MqttJacksonModule() {
        super("swarmmq-protocol");
        // Send(List<Packet>) and Acknowledge(Packet) cross nodes: without a type id they cannot be read.
        setMixInAnnotation(Packet.class, PacketMixin.class);
        addSerializer(Bytes.class, new JsonSerializer<>() {
            @Override
            public void serialize(Bytes b, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeBinary(b.toByteArray());
            }
        });
        addDeserializer(Bytes.class, new JsonDeserializer<>() {
            @Override
            public Bytes deserialize(JsonParser parser, DeserializationContext c) throws IOException {
                return Bytes.wrap(parser.getBinaryValue());
            }
        });
        addSerializer(Properties.class, new JsonSerializer<>() {
            @Override
            public void serialize(Properties props, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartArray();
                for (Property prop : props.asList()) {
                    g.writeStartArray();
                    g.writeNumber(prop.id().id());
                    Object v = prop.value();
                    if (v instanceof Integer i) g.writeNumber(i);
                    else if (v instanceof Long l) g.writeNumber(l);
                    else if (v instanceof String s) g.writeString(s);
                    else if (v instanceof Bytes b) g.writeBinary(b.toByteArray());
                    else if (v instanceof UserProperty u) {
                        g.writeString(u.name());
                        g.writeString(u.value());
                    }
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
        });
        addDeserializer(Properties.class, new JsonDeserializer<>() {
            @Override
            public Properties deserialize(JsonParser parser, DeserializationContext c) throws IOException {
                JsonNode array = parser.getCodec().readTree(parser);
                List<Property> out = new ArrayList<>(array.size());
                for (JsonNode entry : array) {
                    PropertyId id = PropertyId.of(entry.get(0).asInt());
                    if (id == null) throw new IOException("unknown property id " + entry.get(0));
                    JsonNode v = entry.get(1);
                    Object value = switch (id.type()) {
                        case BYTE, TWO_BYTE_INTEGER, VARIABLE_BYTE_INTEGER -> v.asInt();
                        case FOUR_BYTE_INTEGER -> v.asLong();
                        case UTF8_STRING -> v.asText();
                        case BINARY_DATA -> Bytes.wrap(v.binaryValue());
                        case UTF8_STRING_PAIR -> new UserProperty(v.asText(), entry.get(2).asText());
                    };
                    out.add(new Property(id, value));
                }
                return Properties.of(out);
            }
        });
    }
}
