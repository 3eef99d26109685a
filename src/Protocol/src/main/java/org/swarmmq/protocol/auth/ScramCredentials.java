package org.swarmmq.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the server keeps of one user's password for SCRAM-SHA-256 (RFC 5802 section 3, RFC 7677):
 * the salt, the iteration count, StoredKey = H(ClientKey) and ServerKey; never the password.
 * Written as PostgreSQL writes its SCRAM secrets:
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, each part base64.
 */
public record ScramCredentials(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    public static final String PREFIX = "SCRAM-SHA-256$";
    /** RFC 7677 section 4: at least 4096. */
    public static final int DEFAULT_ITERATIONS = 4096;

    public ScramCredentials {
        if (iterations < 1) throw new IllegalArgumentException("iterations " + iterations);
        if (salt.length == 0) throw new IllegalArgumentException("empty salt");
        if (storedKey.length != 32 || serverKey.length != 32) throw new IllegalArgumentException("keys must be 32 bytes");
    }

    /** Credentials for {@code password} with a new random 16-byte salt. */
    public static ScramCredentials fromPassword(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return fromPassword(password, salt, DEFAULT_ITERATIONS);
    }

    /** RFC 5802 section 3: SaltedPassword = Hi(Normalize(password), salt, i), then the two keys. */
    public static ScramCredentials fromPassword(String password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.UTF_8));
        byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.UTF_8));
        return new ScramCredentials(salt.clone(), iterations, sha256(clientKey), serverKey);
    }

    /** Whether {@code password} is the one these credentials were made from (a plain CONNECT's password). */
    public boolean matches(String password) {
        ScramCredentials other = fromPassword(password, salt, iterations);
        return MessageDigest.isEqual(storedKey, other.storedKey); // constant time
    }

    /** Parses {@link #PREFIX}{@code <iterations>:<salt>$<StoredKey>:<ServerKey>}. */
    public static ScramCredentials parse(String s) {
        if (!s.startsWith(PREFIX)) throw new IllegalArgumentException("does not start with " + PREFIX);
        String[] parts = s.substring(PREFIX.length()).split("\\$", -1);
        if (parts.length != 2) throw new IllegalArgumentException("expected <iterations>:<salt>$<StoredKey>:<ServerKey>");
        String[] head = parts[0].split(":", -1);
        String[] keys = parts[1].split(":", -1);
        if (head.length != 2 || keys.length != 2) {
            throw new IllegalArgumentException("expected <iterations>:<salt>$<StoredKey>:<ServerKey>");
        }
        Base64.Decoder b64 = Base64.getDecoder();
        try {
            return new ScramCredentials(b64.decode(head[1]), Integer.parseInt(head[0]), b64.decode(keys[0]), b64.decode(keys[1]));
        } catch (IllegalArgumentException e) { // NumberFormatException is one
            throw new IllegalArgumentException("bad SCRAM secret: " + e.getMessage(), e);
        }
    }

    public String format() {
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey) + ":"
                + b64.encodeToString(serverKey);
    }

    @Override
    public String toString() {
        return "ScramCredentials[iterations=" + iterations + "]"; // keys stay out of logs
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredentials c && iterations == c.iterations && Arrays.equals(salt, c.salt)
                && Arrays.equals(storedKey, c.storedKey) && Arrays.equals(serverKey, c.serverKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(storedKey);
    }

    /**
     * Hi() of RFC 5802 is PBKDF2 with HMAC-SHA-256 and one block. The password should be
     * SASLprep'd (RFC 4013); NFKC, SASLprep's normalisation step, stands in for it: the same
     * for ASCII passwords and for most others.
     */
    static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        char[] chars = Normalizer.normalize(password, Normalizer.Form.NFKC).toCharArray();
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            return f.generateSecret(new PBEKeySpec(chars, salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
