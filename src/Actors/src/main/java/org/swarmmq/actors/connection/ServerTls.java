package org.swarmmq.actors.connection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.apache.pekko.pki.pem.DERPrivateKeyLoader;
import org.apache.pekko.pki.pem.PEMDecoder;

/**
 * The server side of TLS from PEM files, as mosquitto's {@code certfile} and {@code keyfile}: the
 * certificate chain (server certificate first, then intermediates) and its private key (PKCS#8
 * "PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY", unencrypted; read by Pekko's PEM loader). Clients
 * are not asked for certificates.
 */
public final class ServerTls {
    private final SSLContext context;

    private ServerTls(SSLContext context) {
        this.context = context;
    }

    /** Reads both files; fails with a message naming the file and what is wrong with it. */
    public static ServerTls fromPem(Path certFile, Path keyFile) {
        Certificate[] chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!belongTogether(key, chain[0].getPublicKey())) {
            throw new IllegalArgumentException("TLS: the key in " + keyFile + " is not the key of the certificate in "
                    + certFile + " (the first certificate must be the server's)");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("server", key, none, chain);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, none);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return new ServerTls(context);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("TLS: the key in " + keyFile + " does not go with the certificate in "
                    + certFile + ": " + e.getMessage(), e);
        }
    }

    /** A new engine for one accepted connection, in server mode, TLS 1.2 or 1.3. */
    public SSLEngine engine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        return engine;
    }

    /** Whether {@code key} signs what {@code publicKey} verifies: a key of another certificate fails every handshake. */
    private static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) return true; // not checked here; the handshake will tell
        try {
            byte[] probe = "swarmmq".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(publicKey);
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Certificate[] certificates(Path file) {
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
            if (certs.isEmpty()) throw new IllegalArgumentException("TLS: no certificate in " + file);
            return certs.toArray(new Certificate[0]);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS: cannot read the certificate file " + file + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file) {
        try {
            return DERPrivateKeyLoader.load(PEMDecoder.decode(Files.readString(file, StandardCharsets.US_ASCII)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("TLS: cannot read the private key file " + file
                    + " (PEM, unencrypted PKCS#8 or PKCS#1): " + e.getMessage(), e);
        }
    }
}
