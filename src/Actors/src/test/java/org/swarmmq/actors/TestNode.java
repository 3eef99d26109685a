package org.swarmmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.apache.pekko.persistence.state.DurableStateStoreRegistry;
import org.apache.pekko.persistence.state.javadsl.DurableStateUpdateStore;
import org.swarmmq.actors.session.SessionEntity;
import org.swarmmq.actors.session.SessionProtocol;
import org.swarmmq.actors.session.SessionRecord;
import org.swarmmq.actors.topic.TopicEntity;
import org.swarmmq.actors.topic.TopicProtocol;

/**
 * A node as Node.start wires it, minus the TCP listener: swarmmq-pekko.conf with the H2 journal in
 * {@code dataDir}, the schema created, a cluster of one, and the sharded entity types the test
 * asks for. Stopping and starting again on the same folder is a node restart.
 */
public final class TestNode implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    public final ActorTestKit kit;
    public final ClusterSharding sharding;

    private TestNode(ActorTestKit kit) {
        this.kit = kit;
        this.sharding = ClusterSharding.get(kit.system());
    }

    /**
     * Waits for {@code Routed(correlationId, n)} and the n {@code Confirmed}s of the persistent
     * sessions (in any order): the moment a connection may acknowledge the publisher.
     */
    public static void awaitRouted(org.apache.pekko.actor.testkit.typed.javadsl.TestProbe<TopicProtocol.RouteReply> replies,
                                   long correlationId) {
        int expected = -1;
        int confirmed = 0;
        while (expected < 0 || confirmed < expected) {
            TopicProtocol.RouteReply r = replies.receiveMessage(TIMEOUT);
            assertEquals(correlationId, r.correlationId(), "a reply to this route: " + r);
            if (r instanceof TopicProtocol.Routed routed) expected = routed.confirmations();
            else confirmed++;
        }
        assertEquals(expected, confirmed, "one confirmation per persistent session");
    }

    public static Config config(Path dataDir) {
        return ConfigFactory.empty()
                .withValue("swarmmq.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toAbsolutePath().toString()))
                .withFallback(ConfigFactory.parseString("pekko.loglevel = WARNING\n"
                        + "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on"))
                .withFallback(ConfigFactory.parseResources("swarmmq-pekko.conf"))
                .withFallback(ConfigFactory.load())
                .resolve();
    }

    /** Starts a node on {@code dataDir} and waits until it is an Up member of its own cluster. */
    public static TestNode start(Path dataDir) throws Exception {
        return start(dataDir, null);
    }

    /**
     * Starts a node that joins {@code seed}'s cluster (null: its own), on the same {@code dataDir}
     * as the seed (one H2 database in this JVM, shared as PostgreSQL is by a cluster's nodes).
     */
    public static TestNode start(Path dataDir, TestNode seed) throws Exception {
        ActorTestKit kit = ActorTestKit.create("swarmmq", config(dataDir));
        try {
            SchemaUtils.createIfNotExists(kit.system()).toCompletableFuture().get(60, TimeUnit.SECONDS);
            Cluster cluster = Cluster.get(kit.system());
            cluster.manager().tell(Join.create(seed == null ? cluster.selfMember().address()
                    : Cluster.get(seed.kit.system()).selfMember().address()));
            kit.createTestProbe().awaitAssert(TIMEOUT,
                    () -> {
                        assertEquals(MemberStatus.up(), cluster.selfMember().status());
                        return null;
                    });
            return new TestNode(kit);
        } catch (Exception | AssertionError e) {
            kit.shutdownTestKit();
            throw e;
        }
    }

    public TestNode withTopics() {
        sharding.init(Entity.of(TopicEntity.TYPE_KEY, ctx -> TopicEntity.create(ctx.getEntityId()))
                .withStopMessage(new TopicProtocol.HandOff()));
        kit.system().systemActorOf(org.swarmmq.actors.topic.NodeRoutes.create(new org.swarmmq.actors.topic.NodeRoutes.Flags(),
                sharding), org.swarmmq.actors.topic.NodeRoutes.NAME, org.apache.pekko.actor.typed.Props.empty());
        return this;
    }

    /** The real session entity with the durable state store, as Node wires it. */
    public TestNode withSessions(SessionEntity.Limits limits) {
        DurableStateUpdateStore<SessionRecord> store = sessionStore();
        var router = new org.swarmmq.actors.topic.Router(sharding, new org.swarmmq.actors.topic.NodeRoutes.Flags());
        sharding.init(Entity.of(SessionEntity.TYPE_KEY,
                        ctx -> SessionEntity.create(ctx.getEntityId(), ctx.getShard(), limits, store, router))
                .withStopMessage(new SessionEntity.Stop()));
        org.swarmmq.actors.session.SessionHost.start(kit.system(), limits, store, router);
        return this;
    }

    /** A stand-in session entity type, for tests of the topic side: the behaviour per client id. */
    public TestNode withSessions(Function<String, Behavior<SessionProtocol.Command>> behavior) {
        sharding.init(Entity.of(SessionEntity.TYPE_KEY, ctx -> behavior.apply(ctx.getEntityId())));
        return this;
    }

    @SuppressWarnings("unchecked")
    public DurableStateUpdateStore<SessionRecord> sessionStore() {
        return DurableStateStoreRegistry.get(kit.system())
                .getDurableStateStoreFor(DurableStateUpdateStore.class, "jdbc-durable-state-store");
    }

    public EntityRef<TopicProtocol.Command> topic(String entityId) {
        return sharding.entityRefFor(TopicEntity.TYPE_KEY, entityId);
    }

    public EntityRef<SessionProtocol.Command> session(String clientId) {
        return sharding.entityRefFor(SessionEntity.TYPE_KEY, clientId);
    }

    /** Stops the node the way a node stops: coordinated shutdown, sharding hands entities off. */
    @Override
    public void close() {
        kit.shutdownTestKit();
    }
}
