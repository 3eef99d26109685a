package org.swarmmq.protocol.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * One SCRAM-SHA-256 exchange on the server (RFC 5802 section 5 and 7): client-first, then
 * client-final. Anything malformed or out of order is a {@link AuthResult.Failure}, never an
 * exception.
 */
final class ScramServerSession implements AuthSession {
    private enum Stage { FIRST, FINAL, DONE }

    private final ScramSha256 mechanism;
    private Stage stage = Stage.FIRST;
    private String username;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private ScramCredentials credentials;

    ScramServerSession(ScramSha256 mechanism) {
        this.mechanism = mechanism;
    }

    @Override
    public AuthResult step(byte[] data) {
        try {
            String message = utf8(data);
            return switch (stage) {
                case FIRST -> clientFirst(message);
                case FINAL -> clientFinal(message);
                case DONE -> fail(ReasonCode.PROTOCOL_ERROR, "SCRAM exchange already finished");
            };
        } catch (Malformed e) {
            return fail(ReasonCode.NOT_AUTHORIZED, "malformed SCRAM message: " + e.getMessage());
        } catch (RuntimeException e) {
            return fail(ReasonCode.NOT_AUTHORIZED, "SCRAM message refused: " + e);
        }
    }

    /** client-first-message = gs2-header client-first-message-bare (RFC 5802 section 7). */
    private AuthResult clientFirst(String m) {
        if (m.isEmpty()) throw new Malformed("no client-first-message in the Authentication Data");
        int c1 = m.indexOf(',');
        int c2 = c1 < 0 ? -1 : m.indexOf(',', c1 + 1);
        if (c2 < 0) throw new Malformed("no gs2-header");
        String cbind = m.substring(0, c1);
        String authzid = m.substring(c1 + 1, c2);
        if (cbind.startsWith("p=")) {
            return fail(ReasonCode.NOT_AUTHORIZED, "channel binding not supported (SCRAM-SHA-256-PLUS is not offered)");
        }
        if (!cbind.equals("n") && !cbind.equals("y")) throw new Malformed("gs2-cbind-flag '" + cbind + "'");
        if (!authzid.isEmpty() && !authzid.startsWith("a=")) throw new Malformed("authzid '" + authzid + "'");
        gs2Header = m.substring(0, c2 + 1);
        clientFirstBare = m.substring(c2 + 1);
        String[] attrs = clientFirstBare.split(",", -1);
        if (attrs.length < 2) throw new Malformed("client-first-message-bare needs n= and r=");
        if (attrs[0].startsWith("m=")) {
            return fail(ReasonCode.NOT_AUTHORIZED, "mandatory SCRAM extension not supported (m=)");
        }
        username = saslName(attribute(attrs[0], 'n'));
        if (username.isEmpty()) throw new Malformed("empty user name");
        if (!authzid.isEmpty() && !saslName(authzid.substring(2)).equals(username)) {
            return fail(ReasonCode.NOT_AUTHORIZED, "authorization identity other than the user is not supported");
        }
        String clientNonce = attribute(attrs[1], 'r');
        checkExtensions(attrs);
        checkNonce(clientNonce, "client nonce");
        String serverNonce = mechanism.nextServerNonce();
        checkNonce(serverNonce, "server nonce");
        nonce = clientNonce + serverNonce;
        credentials = mechanism.credentials(username);
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credentials.salt())
                + ",i=" + credentials.iterations();
        stage = Stage.FINAL;
        return new AuthResult.Continue(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    /** client-final-message = channel-binding "," nonce ["," extensions] "," proof (RFC 5802 section 7). */
    private AuthResult clientFinal(String m) {
        stage = Stage.DONE;
        int p = m.lastIndexOf(",p=");
        if (p < 0) throw new Malformed("no proof (p=) in client-final-message");
        String withoutProof = m.substring(0, p);
        String[] attrs = withoutProof.split(",", -1);
        if (attrs.length < 2) throw new Malformed("client-final-message needs c= and r=");
        byte[] binding = base64(attribute(attrs[0], 'c'), "channel binding");
        if (!MessageDigest.isEqual(binding, gs2Header.getBytes(StandardCharsets.UTF_8))) {
            return fail(ReasonCode.NOT_AUTHORIZED, "channel binding (c=) differs from the gs2-header of client-first");
        }
        checkExtensions(attrs);
        if (!attribute(attrs[1], 'r').equals(nonce)) return fail(ReasonCode.NOT_AUTHORIZED, "nonce (r=) differs from the one sent");
        byte[] proof = base64(m.substring(p + 3), "proof");
        if (proof.length != 32) throw new Malformed("proof of " + proof.length + " bytes, not 32");
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = ScramCredentials.hmac(credentials.storedKey(), authMessage);
        byte[] clientKey = new byte[32];
        for (int i = 0; i < 32; i++) clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        // constant time: MessageDigest.isEqual looks at every byte whatever differs
        boolean valid = MessageDigest.isEqual(ScramCredentials.sha256(clientKey), credentials.storedKey());
        if (!valid || !mechanism.exists(username)) {
            return fail(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "SCRAM proof of user '" + username + "' is wrong"
                    + " (wrong password or no such user)");
        }
        byte[] serverSignature = ScramCredentials.hmac(credentials.serverKey(), authMessage);
        String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
        return new AuthResult.Success(serverFinal.getBytes(StandardCharsets.UTF_8), username);
    }

    private AuthResult fail(ReasonCode code, String why) {
        stage = Stage.DONE;
        return new AuthResult.Failure(code, why);
    }

    private static String attribute(String attr, char name) {
        if (attr.length() < 2 || attr.charAt(0) != name || attr.charAt(1) != '=') {
            throw new Malformed("expected " + name + "=, got '" + abbreviate(attr) + "'");
        }
        return attr.substring(2);
    }

    /** extensions = attr-val *("," attr-val), attr-val = ALPHA "=" value: skipped, but well formed. */
    private static void checkExtensions(String[] attrs) {
        for (int i = 2; i < attrs.length; i++) {
            String a = attrs[i];
            boolean alpha = !a.isEmpty() && ((a.charAt(0) | 0x20) >= 'a' && (a.charAt(0) | 0x20) <= 'z');
            if (a.length() < 2 || !alpha || a.charAt(1) != '=') throw new Malformed("extension '" + abbreviate(a) + "'");
        }
    }

    /** saslname: "=2C" is ',' and "=3D" is '='; any other '=' is malformed (RFC 5802 section 5.1). */
    private static String saslName(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch != '=') {
                b.append(ch);
            } else if (s.startsWith("=2C", i)) {
                b.append(',');
                i += 2;
            } else if (s.startsWith("=3D", i)) {
                b.append('=');
                i += 2;
            } else {
                throw new Malformed("'=' not followed by 2C or 3D in a user name");
            }
        }
        return b.toString();
    }

    /** printable = %x21-2B / %x2D-7E: printable ASCII except ','. */
    private static void checkNonce(String nonce, String what) {
        if (nonce.isEmpty()) throw new Malformed("empty " + what);
        for (int i = 0; i < nonce.length(); i++) {
            char ch = nonce.charAt(i);
            if (ch < 0x21 || ch > 0x7E || ch == ',') throw new Malformed(what + " has a character outside printable ASCII");
        }
    }

    private static byte[] base64(String s, String what) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new Malformed(what + " is not base64");
        }
    }

    private static String utf8(byte[] data) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("not UTF-8");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "...";
    }

    private static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
