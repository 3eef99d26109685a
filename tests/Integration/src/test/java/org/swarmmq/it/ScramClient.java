package org.swarmmq.it;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802 section 3, RFC 7677), written for the tests from
 * the RFC and apart from the broker's code, so that the two check each other. One instance per
 * exchange: {@link #clientFirst()}, {@link #clientFinal(byte[])}, {@link #serverFinalValid(byte[])}.
 */
final class ScramClient {
    private final String user;
    private final String password;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] serverSignature;

    ScramClient(String user, String password) {
        this.user = user;
        this.password = password;
        byte[] n = new byte[24];
        new SecureRandom().nextBytes(n);
        this.clientNonce = Base64.getEncoder().withoutPadding().encodeToString(n);
    }

    byte[] clientFirst() {
        clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    byte[] clientFinal(byte[] serverFirstBytes) throws Exception {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        String nonce = null, salt = null;
        int iterations = 0;
        for (String attr : serverFirst.split(",")) {
            if (attr.startsWith("r=")) nonce = attr.substring(2);
            else if (attr.startsWith("s=")) salt = attr.substring(2);
            else if (attr.startsWith("i=")) iterations = Integer.parseInt(attr.substring(2));
        }
        if (nonce == null || !nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new IllegalStateException("server nonce does not extend ours: " + serverFirst);
        }
        byte[] salted = pbkdf2(password, Base64.getDecoder().decode(salt), iterations);
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString("n,,".getBytes(StandardCharsets.US_ASCII))
                + ",r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientSignature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /** The server proved it knows our ServerKey: server-final is v=ServerSignature. */
    boolean serverFinalValid(byte[] serverFinal) {
        String s = new String(serverFinal, StandardCharsets.UTF_8);
        return serverSignature != null && s.startsWith("v=")
                && MessageDigest.isEqual(serverSignature, Base64.getDecoder().decode(s.substring(2)));
    }

    /** A users-file line for {@code user}, computed here (not by the broker's code). */
    static String usersFileLine(String user, String password) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] salted = pbkdf2(password, salt, 4096);
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
        Base64.Encoder b64 = Base64.getEncoder();
        return user + ":SCRAM-SHA-256$4096:" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey) + ":"
                + b64.encodeToString(hmac(salted, "Server Key"));
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) throws Exception {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    }

    private static byte[] hmac(byte[] key, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }
}
