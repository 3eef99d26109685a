package org.swarmmq.protocol.auth;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the client sends as Authentication Data, the SCRAM server answers with a result, never an exception. */
class ScramSha256PropertiesTest {
    private static final Map<String, ScramCredentials> USERS =
            Map.of("user", ScramCredentials.fromPassword("pencil", new byte[] {1, 2, 3, 4}, 4096));

    /** Random bytes, and near misses: SCRAM-looking text with random attributes. */
    @Provide
    Arbitrary<byte[]> data() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
        Arbitrary<byte[]> scramish = Arbitraries.strings().withChars("nrcpmsiav=,2CD3xyz+/\u00e9").ofMaxLength(60)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(raw, scramish);
    }

    @Property(tries = 500)
    @Label("bad client-first data: a Continue or a Failure, no exception")
    void anyClientFirst(@ForAll("data") byte[] data) {
        AuthResult r = new ScramSha256(USERS::get, () -> "srv").newSession().step(data);
        assertInstanceOf(AuthResult.class, r);
    }

    @Property(tries = 500)
    @Label("bad client-final data after a good client-first: a Failure, no exception")
    void anyClientFinal(@ForAll("data") byte[] data) {
        AuthSession s = new ScramSha256(USERS::get, () -> "srv").newSession();
        s.step("n,,n=user,r=abc".getBytes(StandardCharsets.UTF_8));
        assertInstanceOf(AuthResult.Failure.class, s.step(data));
    }
}
