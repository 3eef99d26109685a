package org.swarmmq.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * SCRAM-SHA-256 (RFC 5802 with RFC 7677's hash), the server side, as an MQTT 5 Authentication
 * Method. Two steps: CONNECT carries client-first-message, the server answers server-first in
 * AUTH 0x18; the client's AUTH 0x18 carries client-final, the server answers server-final
 * (its signature, which proves it knows the ServerKey) in CONNACK or AUTH 0x00.
 *
 * <p>No channel binding ({@code p=} is refused; {@code n} and {@code y} are accepted, since
 * we never offer SCRAM-SHA-256-PLUS) and no authorization identity other than the user itself.
 * A user that does not exist gets a salt made up from its name, the same on every attempt, and
 * fails at the proof exactly like a wrong password, so that the exchange does not tell who
 * exists.
 */
public final class ScramSha256 implements Authenticator {
    public static final String METHOD = "SCRAM-SHA-256";
    private static final int NONCE_BYTES = 18;

    private final Function<String, ScramCredentials> users;
    private final Supplier<String> serverNonce;
    /** Key for made-up salts of unknown users: per process, so they cannot be computed outside. */
    private final byte[] unknownUserKey = new byte[32];

    /**
     * @param users       a user's credentials, or null for a user that does not exist
     * @param serverNonce the server's part of each nonce (printable, no comma); random in production
     */
    public ScramSha256(Function<String, ScramCredentials> users, Supplier<String> serverNonce) {
        this.users = Objects.requireNonNull(users, "users");
        this.serverNonce = Objects.requireNonNull(serverNonce, "serverNonce");
        new SecureRandom().nextBytes(unknownUserKey);
    }

    /** With a random server nonce of 18 bytes from {@link SecureRandom}, base64 (RFC 5802 section 5.1). */
    public ScramSha256(Function<String, ScramCredentials> users) {
        this(users, randomNonce());
    }

    private static Supplier<String> randomNonce() {
        SecureRandom random = new SecureRandom();
        return () -> {
            byte[] b = new byte[NONCE_BYTES];
            random.nextBytes(b);
            return Base64.getEncoder().withoutPadding().encodeToString(b);
        };
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public AuthSession newSession() {
        return new ScramServerSession(this);
    }

    ScramCredentials credentials(String username) {
        ScramCredentials c = users.apply(username);
        if (c != null) return c;
        byte[] mac = ScramCredentials.hmac(unknownUserKey, username.getBytes(StandardCharsets.UTF_8));
        byte[] salt = java.util.Arrays.copyOf(mac, 16);
        // StoredKey from the key and the name: no proof can hash to it without the key.
        return new ScramCredentials(salt, ScramCredentials.DEFAULT_ITERATIONS, ScramCredentials.sha256(mac), mac);
    }

    boolean exists(String username) {
        return users.apply(username) != null;
    }

    String nextServerNonce() {
        return serverNonce.get();
    }
}
