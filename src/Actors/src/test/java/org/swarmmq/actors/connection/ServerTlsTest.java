package org.swarmmq.actors.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM files as openssl writes them: what loads, and what is refused with a message naming the file. */
class ServerTlsTest {
    @TempDir
    static Path dir;

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + cmd + ": " + out);
    }

    @BeforeAll
    static void certificates() throws Exception {
        for (String name : List.of("a", "b")) {
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + "-key.pem", "-out",
                    name + "-cert.pem", "-days", "1", "-subj", "/CN=" + name);
        }
        openssl("rsa", "-in", "a-key.pem", "-traditional", "-out", "a-key-rsa.pem");
    }

    @Test
    void pkcs8AndPkcs1KeysLoadAndTheEngineIsAServer() throws Exception {
        assertTrue(Files.readString(dir.resolve("a-key.pem")).contains("BEGIN PRIVATE KEY"));
        assertTrue(Files.readString(dir.resolve("a-key-rsa.pem")).contains("BEGIN RSA PRIVATE KEY"));
        for (String key : List.of("a-key.pem", "a-key-rsa.pem")) {
            SSLEngine engine = ServerTls.fromPem(dir.resolve("a-cert.pem"), dir.resolve(key)).engine();
            assertFalse(engine.getUseClientMode());
            assertEquals(List.of("TLSv1.3", "TLSv1.2"), List.of(engine.getEnabledProtocols()));
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.fromPem(dir.resolve("a-cert.pem"), dir.resolve("b-key.pem")));
        assertTrue(e.getMessage().contains("b-key.pem") && e.getMessage().contains("a-cert.pem"), e.getMessage());
    }

    @Test
    void missingOrSwappedFilesNameTheFile() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.fromPem(dir.resolve("none.pem"), dir.resolve("a-key.pem")));
        assertTrue(missing.getMessage().contains("none.pem"), missing.getMessage());
        IllegalArgumentException swapped = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.fromPem(dir.resolve("a-key.pem"), dir.resolve("a-cert.pem")));
        assertTrue(swapped.getMessage().contains("a-key.pem"), swapped.getMessage());
    }
}
