package org.swarmmq.protocol.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.packets.ReasonCode;

/** The server side of SCRAM-SHA-256 against RFC 7677's example, and what it does with bad input. */
class ScramSha256Test {
    // RFC 7677 section 3: user "user", password "pencil", these nonces and this salt
    private static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";
    private static final byte[] SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");

    private static ScramSha256 server(String password) {
        Map<String, ScramCredentials> users = Map.of("user", ScramCredentials.fromPassword(password, SALT, 4096));
        return new ScramSha256(users::get, () -> SERVER_NONCE);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("RFC 7677 section 3: server-first and server-final exactly as in the example")
    void rfc7677Example() {
        AuthSession s = server("pencil").newSession();
        AuthResult first = s.step(bytes(CLIENT_FIRST));
        assertEquals(SERVER_FIRST, text(assertInstanceOf(AuthResult.Continue.class, first).data()));
        AuthResult.Success ok = assertInstanceOf(AuthResult.Success.class, s.step(bytes(CLIENT_FINAL)));
        assertEquals(SERVER_FINAL, text(ok.data()));
        assertEquals("user", ok.username());
    }

    @Test
    @DisplayName("a wrong password: the same client proof fails with 0x86 Bad user name or password")
    void wrongPassword() {
        AuthSession s = server("not-pencil").newSession();
        assertInstanceOf(AuthResult.Continue.class, s.step(bytes(CLIENT_FIRST)));
        AuthResult.Failure f = assertInstanceOf(AuthResult.Failure.class, s.step(bytes(CLIENT_FINAL)));
        assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, f.reasonCode());
    }

    @Test
    @DisplayName("an unknown user gets a salt like anyone (the same each time) and fails at the proof like a wrong password")
    void unknownUserLooksLikeWrongPassword() {
        ScramSha256 server = server("pencil");
        String first = "n,,n=nobody,r=abc";
        String salt1 = text(((AuthResult.Continue) server.newSession().step(bytes(first))).data()).split(",")[1];
        String salt2 = text(((AuthResult.Continue) server.newSession().step(bytes(first))).data()).split(",")[1];
        assertEquals(salt1, salt2);
        assertTrue(salt1.startsWith("s=") && salt1.length() > 10, salt1);
        AuthSession s = server.newSession();
        s.step(bytes(first));
        AuthResult r = s.step(bytes("c=biws,r=abc" + SERVER_NONCE + ",p=" + Base64.getEncoder().encodeToString(new byte[32])));
        assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, assertInstanceOf(AuthResult.Failure.class, r).reasonCode());
    }

    @Test
    @DisplayName("malformed client-first messages: a Failure each, never an exception")
    void malformedClientFirst() {
        ScramSha256 server = server("pencil");
        List<byte[]> bad = List.of(new byte[0], bytes("garbage"), bytes("n,"), bytes("x,,n=user,r=abc"),
                bytes("n,,r=abc,n=user"), bytes("n,,n=user"), bytes("n,,n=,r=abc"), bytes("n,,n=us=er,r=abc"),
                bytes("n,,n=user,r="), bytes("n,,n=user,r=a,b"), bytes("n,,m=ext,n=user,r=abc"),
                bytes("p=tls-unique,,n=user,r=abc"), bytes("n,a=other,n=user,r=abc"), bytes("n,,n=user,r=a\u00e9"),
                new byte[] {'n', ',', ',', 'n', '=', (byte) 0xC3, (byte) 0x28, ',', 'r', '=', 'a'});
        for (byte[] b : bad) {
            AuthResult r = server.newSession().step(b);
            assertInstanceOf(AuthResult.Failure.class, r, () -> "for '" + text(b) + "': " + r);
        }
    }

    @Test
    @DisplayName("malformed or mismatched client-final messages: a Failure each, never an exception")
    void malformedClientFinal() {
        ScramSha256 server = server("pencil");
        String nonce = "rOprNGfwEbeRWgbNEkqO" + SERVER_NONCE;
        List<String> bad = List.of("", "c=biws", "c=biws,r=" + nonce, "c=biws,r=" + nonce + ",p=!!!",
                "c=biws,r=" + nonce + ",p=AAAA", "c=eSws,r=" + nonce + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                "c=biws,r=other,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                "r=" + nonce + ",c=biws,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "c=%%%,r=" + nonce + ",p=AAAA");
        for (String m : bad) {
            AuthSession s = server.newSession();
            assertInstanceOf(AuthResult.Continue.class, s.step(bytes(CLIENT_FIRST)));
            AuthResult r = s.step(bytes(m));
            assertInstanceOf(AuthResult.Failure.class, r, () -> "for '" + m + "': " + r);
        }
    }

    @Test
    @DisplayName("a step after the exchange ended is a Failure")
    void stepAfterEnd() {
        AuthSession s = server("pencil").newSession();
        s.step(bytes(CLIENT_FIRST));
        s.step(bytes(CLIENT_FINAL));
        assertInstanceOf(AuthResult.Failure.class, s.step(bytes(CLIENT_FINAL)));
    }

    @Test
    @DisplayName("credentials: the secret round-trips, a plain password is checked against it, keys follow RFC 5802")
    void credentials() {
        ScramCredentials c = ScramCredentials.fromPassword("pencil", SALT, 4096);
        assertEquals(c, ScramCredentials.parse(c.format()));
        assertTrue(c.format().startsWith("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"), c.format());
        assertTrue(c.matches("pencil"));
        assertTrue(!c.matches("pencil2"));
        ScramCredentials random = ScramCredentials.fromPassword("pencil");
        assertTrue(random.matches("pencil"));
        assertTrue(!java.util.Arrays.equals(random.salt(), SALT));
        assertThrows(IllegalArgumentException.class, () -> ScramCredentials.parse("SCRAM-SHA-256$x:abc$d:e"));
        assertThrows(IllegalArgumentException.class, () -> ScramCredentials.parse("md5$abc"));
    }

    @Test
    @DisplayName("users file: name:secret lines, comments and blanks skipped, a bad line named by its number")
    void usersFile() {
        ScramCredentials c = ScramCredentials.fromPassword("pencil", SALT, 4096);
        Map<String, ScramCredentials> users = ScramUsers.parse(List.of("# users", "", ScramUsers.line("user", c),
                ScramUsers.line("a:b", c)));
        assertEquals(List.of("user", "a:b"), List.copyOf(users.keySet()));
        assertArrayEquals(c.storedKey(), users.get("user").storedKey());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScramUsers.parse(List.of("# x", "user:plain")));
        assertTrue(e.getMessage().startsWith("line 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScramUsers.parse(List.of(ScramUsers.line("u", c), ScramUsers.line("u", c))));
    }
}
