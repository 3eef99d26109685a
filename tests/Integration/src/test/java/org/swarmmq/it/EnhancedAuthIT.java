package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.swarmmq.protocol.Bytes;
import org.swarmmq.protocol.packets.Auth;
import org.swarmmq.protocol.packets.ConnAck;
import org.swarmmq.protocol.packets.Connect;
import org.swarmmq.protocol.packets.Disconnect;
import org.swarmmq.protocol.packets.Properties;
import org.swarmmq.protocol.packets.PropertyId;
import org.swarmmq.protocol.packets.ProtocolVersion;
import org.swarmmq.protocol.packets.ReasonCode;

/**
 * MQTT 5 enhanced authentication (4.12) with SCRAM-SHA-256 against a real node, with the HiveMQ
 * client and a SCRAM client mechanism written in the test from the RFC: CONNECT, re-authentication,
 * refusals; and plain user names and passwords checked against the same users file.
 */
class EnhancedAuthIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static BrokerProcess node;
    private static Path usersFile;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("swarmmq.it.dir", "target/it"), "enhanced-auth"));
        usersFile = dir.resolve("users-" + ProcessHandle.current().pid());
        // alice computed by the test's own SCRAM code; bob by the node's command line tool
        Files.writeString(usersFile, "# test users\n" + ScramClient.usersFileLine("alice", "wonderland") + "\n"
                + scramUserLine("bob", "builder") + "\n");
        node = BrokerProcess.start("enhanced-auth", "", List.of(), Map.of("SWARMMQ_AUTH_USERS_FILE", usersFile.toString()));
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    /** {@code swarmmq --scram-user NAME} with the password on stdin, as an operator runs it. */
    private static String scramUserLine(String user, String password) throws Exception {
        Process p = new ProcessBuilder(BrokerProcess.javaBinary(), "-jar", BrokerProcess.jar().toString(), "--scram-user", user)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "--scram-user failed: " + out);
        assertTrue(out.startsWith(user + ":SCRAM-SHA-256$4096:"), out);
        return out;
    }

    private static Mqtt5AsyncClient hivemq(String id, ScramMechanism mechanism) {
        return Mqtt5Client.builder().identifier(id).serverHost(BrokerProcess.HOST).serverPort(node.port())
                .enhancedAuth(mechanism).buildAsync();
    }

    private static Mqtt5ConnAckReasonCode refusedWith(Mqtt5AsyncClient client) throws Exception {
        try {
            client.connectWith().cleanStart(true).send().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return assertInstanceOf(Mqtt5ConnAckException.class, e.getCause(), e::toString).getMqttMessage().getReasonCode();
        }
        throw new AssertionError("CONNECT was accepted");
    }

    @Test
    @DisplayName("[MQTT-4.12.0-5] SCRAM-SHA-256 at CONNECT: accepted, the client checks the server's signature, messages flow")
    void scramConnect() throws Exception {
        ScramMechanism scram = new ScramMechanism("alice", "wonderland");
        Mqtt5AsyncClient client = hivemq("scram-alice", scram);
        var received = new LinkedBlockingQueue<String>();
        client.publishes(MqttGlobalPublishFilter.ALL, p -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        var ack = client.connectWith().cleanStart(true).send().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, ack.getReasonCode());
        assertEquals("SCRAM-SHA-256", ack.getEnhancedAuth().orElseThrow().getMethod().toString());
        assertEquals(1, scram.serverVerified.get(), "server-final verified by the client");
        client.subscribeWith().topicFilter("scram/t").qos(MqttQos.AT_LEAST_ONCE).send().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        client.publishWith().topic("scram/t").payload("hi".getBytes()).qos(MqttQos.AT_LEAST_ONCE).send()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals("hi", received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        node.awaitLog("Client scram-alice authenticated as alice", WAIT);
        client.disconnect().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    @DisplayName("a user made with swarmmq --scram-user logs in with SCRAM-SHA-256")
    void userFromCommandLineTool() throws Exception {
        ScramMechanism scram = new ScramMechanism("bob", "builder");
        Mqtt5AsyncClient client = hivemq("scram-bob", scram);
        client.connectWith().cleanStart(true).send().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(1, scram.serverVerified.get());
        client.disconnect().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    @DisplayName("[MQTT-4.12.0-4] a wrong password, or a user that does not exist: CONNACK 0x86 Bad user name or password")
    void wrongPassword() throws Exception {
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                refusedWith(hivemq("scram-wrong", new ScramMechanism("alice", "looking-glass"))));
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                refusedWith(hivemq("scram-nobody", new ScramMechanism("mallory", "wonderland"))));
        node.awaitLog("SCRAM proof of user 'alice' is wrong", WAIT);
    }

    @Test
    @DisplayName("[MQTT-4.12.0-1] an Authentication Method the node does not offer: CONNACK 0x8C Bad authentication method")
    void unsupportedMethod() throws Exception {
        assertEquals(Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD,
                refusedWith(hivemq("scram-sha1", new ScramMechanism("SCRAM-SHA-1", "alice", "wonderland"))));
    }

    @Test
    @DisplayName("[MQTT-4.12.1-1] re-authentication with the HiveMQ client's reauth(): a full SCRAM exchange on the open connection")
    void reauthentication() throws Exception {
        ScramMechanism scram = new ScramMechanism("alice", "wonderland");
        Mqtt5AsyncClient client = hivemq("scram-reauth", scram);
        client.connectWith().cleanStart(true).send().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        client.reauth().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        client.reauth().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(3, scram.serverVerified.get(), "CONNECT and two re-authentications, each server-final verified");
        var result = client.publishWith().topic("scram/after").payload("x".getBytes()).qos(MqttQos.AT_LEAST_ONCE).send()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(result.getError().isEmpty(), "the connection still carries messages");
        client.disconnect().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    @DisplayName("[MQTT-4.12.0-7] AUTH from a client that named no method in CONNECT: DISCONNECT 0x82, closed")
    void authWithoutMethodInConnect() {
        try (RawClient c = RawClient.open(node)) {
            c.connect(Connect.of(ProtocolVersion.V5, "raw-auth", true, 60));
            c.send(new Auth(ReasonCode.RE_AUTHENTICATE, Properties.EMPTY.with(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-256")
                    .with(PropertyId.AUTHENTICATION_DATA, Bytes.utf8("n,,n=alice,r=abc"))));
            assertEquals(ReasonCode.PROTOCOL_ERROR, c.expect(Disconnect.class).reasonCode());
            assertTrue(c.closedWithin(WAIT));
        }
        node.awaitLog("[MQTT-4.12.0-7]", WAIT);
    }

    @Test
    @DisplayName("plain CONNECT: a user name and password from the users file are checked (3.1.1 CONNACK 0x04 if wrong); none: let in")
    void plainCredentials() {
        try (RawClient ok = RawClient.open(node)) {
            ok.connect(new Connect(ProtocolVersion.V3_1_1, "plain-ok", true, 60, null, "alice", Bytes.utf8("wonderland"),
                    Properties.EMPTY));
        }
        try (RawClient bad = RawClient.open(node)) {
            bad.send(new Connect(ProtocolVersion.V3_1_1, "plain-bad", true, 60, null, "alice", Bytes.utf8("nope"), Properties.EMPTY));
            ConnAck ack = bad.expect(ConnAck.class);
            assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, ack.reasonCode()); // 0x04 on the wire in 3.1.1
            assertEquals(0x04, bad.lastFrame().body()[1] & 0xFF);
            assertTrue(bad.closedWithin(WAIT));
        }
        try (RawClient anonymous = RawClient.connect(node, ProtocolVersion.V3_1_1, "anonymous", true)) {
            anonymous.disconnect();
        }
    }

    @Test
    @DisplayName("SWARMMQ_AUTH_REQUIRED=true: a CONNECT without credentials is refused with 0x87; SCRAM still logs in;"
            + " an exchange left unfinished past the connect timeout is CONNACK 0x87")
    void authenticationRequired() throws Exception {
        try (BrokerProcess strict = BrokerProcess.start("auth-required", "", List.of(), Map.of(
                "SWARMMQ_AUTH_USERS_FILE", usersFile.toString(), "SWARMMQ_AUTH_REQUIRED", "true", "SWARMMQ_CONNECT_TIMEOUT", "3s"));
             RawClient anonymous = RawClient.open(strict)) {
            anonymous.send(Connect.of(ProtocolVersion.V5, "anon", true, 60));
            assertEquals(ReasonCode.NOT_AUTHORIZED, anonymous.expect(ConnAck.class).reasonCode());
            assertTrue(anonymous.closedWithin(WAIT));
            ScramMechanism scram = new ScramMechanism("alice", "wonderland");
            Mqtt5AsyncClient client = Mqtt5Client.builder().identifier("strict-alice").serverHost(BrokerProcess.HOST)
                    .serverPort(strict.port()).enhancedAuth(scram).buildAsync();
            client.connectWith().cleanStart(true).send().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            client.disconnect().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            try (RawClient silent = RawClient.open(strict)) {
                silent.send(new Connect(ProtocolVersion.V5, "silent", true, 60, null, null, null, Properties.EMPTY
                        .with(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-256")
                        .with(PropertyId.AUTHENTICATION_DATA, Bytes.utf8("n,,n=alice,r=abcdef"))));
                Auth serverFirst = silent.expect(Auth.class);
                assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, serverFirst.reasonCode());
                assertTrue(serverFirst.properties().binary(PropertyId.AUTHENTICATION_DATA).utf8String().startsWith("r=abcdef"));
                // no client-final: the connect timeout (3 s) ends it
                assertEquals(ReasonCode.NOT_AUTHORIZED, silent.expect(ConnAck.class, WAIT).reasonCode());
                assertTrue(silent.closedWithin(WAIT));
            }
            strict.awaitLog("authentication not finished within 3 s", WAIT);
        }
    }
}
