package org.swarmmq.node;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the journal, snapshot and durable state tables if they do not exist yet.
 *
 * <p>Pekko's {@code SchemaUtils.createIfNotExists} runs its script statement by statement and only
 * logs (at debug) a statement that fails. Nodes of a cluster that start together against one fresh
 * PostgreSQL database would race on {@code CREATE TABLE IF NOT EXISTS} (PostgreSQL can fail one of
 * two concurrent ones on its catalog's unique index) and a node could start on a half-made schema
 * without a word. So on PostgreSQL the nodes take turns under an advisory lock, and each checks
 * afterwards that every table is there, failing the start if not.
 */
final class Schema {
    private static final Logger log = LoggerFactory.getLogger(Schema.class);
    /** Any fixed number: PostgreSQL advisory locks are named by a bigint. */
    private static final long LOCK = 0x5357_4D51_5343_4845L; // "SWMQSCHE"
    private static final String[] TABLES = {"event_journal", "event_tag", "snapshot", "durable_state"};
    private static final Duration CONNECT_FOR = Duration.ofSeconds(60);

    private Schema() {
    }

    static void createIfNotExists(ActorSystem<?> system, Config config) throws Exception {
        if (!Deployment.isPostgres(config)) {
            SchemaUtils.createIfNotExists(system).toCompletableFuture().get(60, TimeUnit.SECONDS);
            return;
        }
        Class.forName("org.postgresql.Driver");
        try (Connection c = connect(config); Statement s = c.createStatement()) {
            // Polling, not pg_advisory_lock: a session waiting inside that call holds a snapshot,
            // and the script's CREATE INDEX CONCURRENTLY of the node holding the lock waits for it.
            while (!tryLock(s)) Thread.sleep(200);
            try {
                SchemaUtils.createIfNotExists(system).toCompletableFuture().get(60, TimeUnit.SECONDS);
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
            }
            for (String table : TABLES) {
                try (ResultSet r = s.executeQuery("SELECT to_regclass('public." + table + "') IS NOT NULL")) {
                    if (!r.next() || !r.getBoolean(1)) {
                        throw new IllegalStateException("table " + table + " is missing after creating the schema");
                    }
                }
            }
        }
    }

    private static boolean tryLock(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT pg_try_advisory_lock(" + LOCK + ")")) {
            return r.next() && r.getBoolean(1);
        }
    }

    /** The database may come up after the node (a cluster starting at once): retry for a while. */
    private static Connection connect(Config config) throws SQLException, InterruptedException {
        String url = config.getString("swarmmq-slick.db.url");
        long deadline = System.nanoTime() + CONNECT_FOR.toNanos();
        while (true) {
            try {
                return DriverManager.getConnection(url, config.getString("swarmmq-slick.db.user"),
                        config.getString("swarmmq-slick.db.password"));
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) throw e;
                log.warn("database {} not reachable yet ({}); retrying", url, e.getMessage());
                Thread.sleep(2_000);
            }
        }
    }
}
