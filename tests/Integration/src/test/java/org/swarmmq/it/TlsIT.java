package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmmq.protocol.packets.ProtocolVersion.V3_1_1;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;



import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;






import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.Publish;

/**
 * MQTT over TLS, as mosquitto's {@code listener 8883} with {@code certfile}/{@code keyfile}: a
 * self-signed certificate made with openssl for this run, Debian's mosquitto_pub/mosquitto_sub
 * and Eclipse Paho trusting it, and a client that speaks plain MQTT to the TLS port.
 */
@DisplayName("MQTT over TLS")
class TlsIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static BrokerProcess broker;
    private static int tlsPort;
    private static Path cert;

    @BeforeAll
    static void start() throws Exception {
        Path root = Files.createDirectories(Path.of(System.getProperty("swarmmq.it.dir", "target/it")).toAbsolutePath());
        Path dir = Files.createTempDirectory(root, "tls-certs");
        cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key-rsa.pem");
        ExternalProcess.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", dir.resolve("key.pem").toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"), WAIT);
        // The node reads PKCS#1 ("BEGIN RSA PRIVATE KEY", older openssl and many tutorials) as well as PKCS#8.
        ExternalProcess.run(List.of("openssl", "rsa", "-in", dir.resolve("key.pem").toString(), "-traditional",
                "-out", key.toString()), WAIT);
        assertTrue(Files.readString(key).startsWith("-----BEGIN RSA PRIVATE KEY-----"), "a PKCS#1 key");
        tlsPort = BrokerProcess.freePort();
        broker = BrokerProcess.start("tls", "swarmmq.tls { port = " + tlsPort + ", cert-file = \"" + cert
                + "\", key-file = \"" + key + "\" }", List.of(), Map.of());
    }

    @AfterAll
    static void stop() {
        if (broker != null) broker.close();
    }

    @Test
    @DisplayName("mosquitto_sub and mosquitto_pub --cafile over TLS, QoS 1")
    void mosquittoClients() {
        String topic = Ids.unique("tls") + "/t";
        List<String> tls = List.of("-h", BrokerProcess.HOST, "-p", Integer.toString(tlsPort), "--cafile", cert.toString());
        List<String> sub = new java.util.ArrayList<>(List.of("stdbuf", "-oL", "mosquitto_sub"));
        sub.addAll(tls);
        sub.addAll(List.of("-t", topic, "-q", "1", "-C", "1", "-W", "15", "-d", "-F", "MSG|%t|%q|%p"));
        try (ExternalProcess s = ExternalProcess.start(sub)) {
            s.awaitLine(l -> l.contains("received SUBACK"), WAIT, "SUBACK");
            List<String> pub = new java.util.ArrayList<>(List.of("mosquitto_pub"));
            pub.addAll(tls);
            pub.addAll(List.of("-t", topic, "-m", "over tls", "-q", "1"));
            ExternalProcess.run(pub, WAIT);
            assertEquals("MSG|" + topic + "|1|over tls", s.awaitLine(l -> l.startsWith("MSG|"), WAIT, "message"));
        }
    }

    @Test
    @DisplayName("Eclipse Paho over ssl:// and a plain TCP client exchange messages through one node")
    void pahoOverTls() throws Exception {
        String topic = Ids.unique("tlspaho") + "/t";
        SSLContext trusting = trusting(cert);
        try (StockClient paho = new PahoV3Client("ssl://" + BrokerProcess.HOST + ":" + tlsPort, Ids.unique("tlspaho"),
                o -> o.setSocketFactory(trusting.getSocketFactory()));
             RawClient tcp = RawClient.connect(broker, V3_1_1, Ids.unique("tlstcp"), true)) {
            paho.subscribe(topic, 1);
            tcp.publishAcked(new Publish(false, 1, false, topic, 3, Bytes.utf8("from tcp"), Properties.EMPTY));
            assertEquals("from tcp", paho.next().text(), "the TLS client got the TCP client's message");
        }
    }

    @Test
    @DisplayName("plain MQTT to the TLS port: that connection closes without a CONNACK, the node serves on")
    void plainMqttToTheTlsPort() throws Exception {
        try (Socket s = new Socket(BrokerProcess.HOST, tlsPort)) {
            s.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(Hex.bytes("10 0c 00 04 4d 51 54 54 04 02 00 3c 00 00"));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] answer = in.readNBytes(64); // a TLS alert at most, then end of stream
            assertTrue(answer.length == 0 || answer[0] != 0x20, "no CONNACK on the TLS port");
        }
        mosquittoClients();
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("broker", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
