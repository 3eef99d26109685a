package org.swarmmq.it;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SCRAM-SHA-256 as a HiveMQ client enhanced authentication mechanism, on {@link ScramClient}:
 * client-first in CONNECT (or AUTH 0x19 to re-authenticate), client-final in answer to the
 * server's AUTH 0x18, and the server's signature checked in the CONNACK (or AUTH 0x00): a
 * server that cannot prove it knows the password is refused by the client.
 */
final class ScramMechanism implements Mqtt5EnhancedAuthMechanism {
    private final String method;
    private final String user;
    private final String password;
    private volatile ScramClient exchange;
    /** Exchanges in which the server's signature was right: the CONNECT's and each re-authentication. */
    final AtomicInteger serverVerified = new AtomicInteger();
    final AtomicReference<Object> rejected = new AtomicReference<>();

    ScramMechanism(String method, String user, String password) {
        this.method = method;
        this.user = user;
        this.password = password;
    }

    ScramMechanism(String user, String password) {
        this("SCRAM-SHA-256", user, password);
    }

    @Override
    public MqttUtf8String getMethod() {
        return MqttUtf8String.of(method);
    }

    @Override
    public int getTimeout() {
        return 10;
    }

    @Override
    public CompletableFuture<Void> onAuth(Mqtt5ClientConfig config, Mqtt5Connect connect, Mqtt5EnhancedAuthBuilder auth) {
        exchange = new ScramClient(user, password);
        auth.data(exchange.clientFirst());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig config, Mqtt5AuthBuilder auth) {
        exchange = new ScramClient(user, password);
        auth.data(exchange.clientFirst());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> onContinue(Mqtt5ClientConfig config, Mqtt5Auth auth, Mqtt5AuthBuilder next) {
        try {
            next.data(exchange.clientFinal(data(auth)));
            return CompletableFuture.completedFuture(true);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
        return verified(connAck.getEnhancedAuth().map(ScramMechanism::data).orElse(new byte[0]));
    }

    @Override
    public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig config, Mqtt5Auth auth) {
        return verified(data(auth));
    }

    private CompletableFuture<Boolean> verified(byte[] serverFinal) {
        boolean ok = exchange.serverFinalValid(serverFinal);
        if (ok) serverVerified.incrementAndGet();
        return CompletableFuture.completedFuture(ok);
    }

    @Override
    public void onAuthRejected(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
        rejected.set(connAck);
    }

    @Override
    public void onReAuthRejected(Mqtt5ClientConfig config, Mqtt5Disconnect disconnect) {
        rejected.set(disconnect);
    }

    @Override
    public void onAuthError(Mqtt5ClientConfig config, Throwable cause) {
        rejected.set(cause);
    }

    @Override
    public void onReAuthError(Mqtt5ClientConfig config, Throwable cause) {
        rejected.set(cause);
    }

    private static byte[] data(Mqtt5EnhancedAuth auth) {
        Optional<ByteBuffer> d = auth.getData();
        if (d.isEmpty()) return new byte[0];
        ByteBuffer b = d.get().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
