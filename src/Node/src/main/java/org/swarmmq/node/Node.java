package org.swarmmq.node;

import com.typesafe.config.Config;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.persistence.state.DurableStateStoreRegistry;
import org.apache.pekko.persistence.state.javadsl.DurableStateUpdateStore;
import org.apache.pekko.stream.javadsl.Tcp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.swarmmq.actors.BrokerSettings;
import org.swarmmq.actors.connection.Connections;
import org.swarmmq.actors.connection.MqttListener;
import org.swarmmq.actors.sys.SysTopics;
import org.swarmmq.actors.connection.ServerTls;
import org.swarmmq.actors.connection.WebSocketListener;
import org.swarmmq.actors.session.SessionEntity;
import org.swarmmq.actors.session.SessionHost;
import org.swarmmq.actors.session.SessionRecord;
import org.swarmmq.actors.topic.NodeRoutes;
import org.swarmmq.actors.topic.Router;
import org.swarmmq.actors.topic.TopicEntity;
import org.swarmmq.actors.topic.TopicProtocol;

/**
 * Wires one node: the actor system (always a cluster; alone, it joins itself), the database
 * schema, the sharded session and topic entities, the node's route flags and the MQTT listener.
 */
public final class Node {
    /** What the node calls itself: its --version, and $SYS/broker/version. */
    public static final String VERSION = "SwarmMQ 0.1.0";

    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private Node() {
    }

    /** Starts a node and returns once it listens; the system runs until it is terminated. */
    public static ActorSystem<Void> start(Config config) {
        BrokerSettings settings = BrokerSettings.from(config);
        File dataDir = new File(config.getString("swarmmq.data-dir"));
        if (!dataDir.isDirectory() && !dataDir.mkdirs()) {
            throw new IllegalStateException("cannot create data folder " + dataDir.getAbsolutePath());
        }
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "swarmmq", config);
        try {
            try {
                Schema.createIfNotExists(system, config);
            } catch (Exception e) {
                throw new IllegalStateException("could not create the database schema: " + e.getMessage(), e);
            }

            Management.start(system, config); // joins: itself, the seed nodes, or by Kubernetes bootstrap
            system.systemActorOf(ClusterLog.create(), "cluster-log", org.apache.pekko.actor.typed.Props.empty());
            ClusterSharding sharding = ClusterSharding.get(system);
            SessionEntity.Limits limits = new SessionEntity.Limits(settings.maxInflight(), settings.maxQueued(),
                    settings.maxSubscriptionsPerClient());
            DurableStateUpdateStore<SessionRecord> sessionStore = DurableStateStoreRegistry.get(system)
                    .getDurableStateStoreFor(DurableStateUpdateStore.class, "jdbc-durable-state-store");
            NodeRoutes.Flags flags = new NodeRoutes.Flags();
            Router router = new Router(sharding, flags);
            sharding.init(Entity.of(SessionEntity.TYPE_KEY,
                            ctx -> SessionEntity.create(ctx.getEntityId(), ctx.getShard(), limits, sessionStore, router))
                    .withStopMessage(new SessionEntity.Stop()));
            SessionHost.start(system, limits, sessionStore, router);
            sharding.init(Entity.of(TopicEntity.TYPE_KEY, ctx -> TopicEntity.create(ctx.getEntityId()))
                .withStopMessage(new TopicProtocol.HandOff()));
            system.systemActorOf(NodeRoutes.create(flags, sharding), NodeRoutes.NAME,
                    org.apache.pekko.actor.typed.Props.empty());

            Connections connections = new Connections();
            startSysTopics(system, config, router, connections);
            Tcp.ServerBinding binding = await(MqttListener.bind(system, settings, router, connections).toCompletableFuture(),
                    "MQTT listener on " + settings.bind() + ":" + settings.port());
            int wsPort = config.getInt("swarmmq.websocket-port");
            ServerBinding ws = wsPort == 0 ? null
                    : await(WebSocketListener.bind(system, wsPort, settings, router, connections).toCompletableFuture(),
                    "MQTT WebSocket listener on " + settings.bind() + ":" + wsPort);
            Tcp.ServerBinding tls = bindTls(system, config, settings, router, connections);
            MqttListenerReady.bound(true);
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "unbind-mqtt",
                    () -> {
                        MqttListenerReady.bound(false); // not ready: take us out of the Service first
                        CompletionStage<?> wsUnbound = ws == null ? CompletableFuture.completedFuture(null) : ws.unbind();
                        CompletionStage<?> tlsUnbound = tls == null ? CompletableFuture.completedFuture(null) : tls.unbind();
                        return binding.unbind().thenCombine(wsUnbound, (a, b) -> b).thenCombine(tlsUnbound,
                                (a, b) -> Done.getInstance());
                    });
            // Unbound: close our clients ourselves (MQTT 5: DISCONNECT 0x8B), before sharding hands
            // the sessions over, so each session hears its client is gone (expiry, delayed will).
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "close-mqtt-connections",
                    () -> {
                        log.info("Closing {} MQTT connections: node shutting down", connections.size());
                        return connections.closeAll();
                    });
            String line = "SwarmMQ listening on " + binding.localAddress().getHostString() + ":"
                    + binding.localAddress().getPort() + " (MQTT 3.1, 3.1.1, 5.0)"
                    + (tls == null ? "" : ", TLS on " + tls.localAddress().getHostString() + ":"
                    + tls.localAddress().getPort())
                    + (ws == null ? "" : ", WebSocket on " + ws.localAddress().getHostString() + ":"
                    + ws.localAddress().getPort())
                    + ", data in "
                    + (Deployment.isPostgres(config) ? "database " + config.getString("swarmmq-slick.db.url")
                    : dataDir.getAbsolutePath());
            System.out.println(line);
            System.out.flush();
            log.info(line);
            return system;
        } catch (RuntimeException e) {
            system.terminate();
            throw e;
        }
    }

    /** The $SYS topics every {@code swarmmq.sys-interval} (0: none): one publisher in the cluster, a reporter per node. */
    private static void startSysTopics(ActorSystem<?> system, Config config, Router router, Connections connections) {
        Duration interval = config.getDuration("swarmmq.sys-interval");
        if (interval.isZero()) return;
        ActorRef<Object> publisher = ClusterSingleton.get(system)
                .init(SingletonActor.of(SysTopics.publisher(router, interval, VERSION), "sys-topics"));
        String node = Cluster.get(system).selfMember().address().hostPort().replaceFirst("^[^@]*@", "");
        system.systemActorOf(SysTopics.reporter(publisher, connections, node, interval), "sys-reporter",
                org.apache.pekko.actor.typed.Props.empty());
    }

    /** The TLS listener if {@code swarmmq.tls.port} is set; its certificate and key files must be. */
    private static Tcp.ServerBinding bindTls(ActorSystem<?> system, Config config, BrokerSettings settings,
                                             Router router, Connections connections) {
        int port = config.getInt("swarmmq.tls.port");
        if (port == 0) return null;
        String cert = config.getString("swarmmq.tls.cert-file");
        String key = config.getString("swarmmq.tls.key-file");
        if (cert.isBlank() || key.isBlank()) {
            throw new IllegalArgumentException("TLS on port " + port + " needs swarmmq.tls.cert-file and key-file"
                    + " (SWARMMQ_TLS_CERT_FILE, SWARMMQ_TLS_KEY_FILE)");
        }
        ServerTls tls = ServerTls.fromPem(Path.of(cert), Path.of(key));
        return await(MqttListener.bindTls(system, port, tls, settings, router, connections).toCompletableFuture(),
                "MQTT TLS listener on " + settings.bind() + ":" + port);
    }

    private static <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not start " + what + ": " + e.getMessage(), e);
        }
    }
}
