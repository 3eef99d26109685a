package org.swarmmq.actors.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.persistence.jdbc.config.DurableStateTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.DurableStateTableConfiguration;
import org.apache.pekko.persistence.jdbc.state.JdbcDurableStateStoreProvider;
import org.apache.pekko.persistence.state.javadsl.DurableStateStore;
import org.apache.pekko.persistence.state.javadsl.DurableStateUpdateStore;
import org.apache.pekko.persistence.state.javadsl.GetObjectResult;
import org.apache.pekko.serialization.Serialization;
import slick.jdbc.JdbcBackend;

/**
 * pekko-persistence-jdbc's durable state store with its read and its delete done by one fixed SQL
 * statement each. The plugin (1.1.1) builds both as Slick queries and compiles them to SQL on every
 * call; a session entity reads its record when it starts, so on the connect path that compilation
 * was the largest single cost (JFR, docs/perf-notes.md item 9). Writes stay the plugin's own: it
 * owns the rows, their revision check, global offset and timestamp; these two statements only read
 * and delete rows by persistence id, in the plugin's table and column names (its configuration).
 *
 * <p>Configured as {@code jdbc-durable-state-store.class}; obtained from Pekko's
 * DurableStateStoreRegistry as before.
 */
public final class PreparedReadsStore<A> implements DurableStateUpdateStore<A> {

    /** The plugin's provider with this store in front of its own. */
    public static final class Provider extends JdbcDurableStateStoreProvider<Object> {
        private final Executor blocking;

        public Provider(ExtendedActorSystem system) {
            super(system);
            this.blocking = system.dispatchers().lookup("pekko.actor.default-blocking-io-dispatcher");
        }

        @Override
        @SuppressWarnings("unchecked")
        public DurableStateStore<Object> javadslDurableStateStore() {
            return new PreparedReadsStore<>((DurableStateUpdateStore<Object>) super.javadslDurableStateStore(),
                    db(), serialization(), durableStateConfig(), blocking);
        }
    }

    private final DurableStateUpdateStore<A> plugin;
    private final JdbcBackend.JdbcDatabaseDef db;
    private final Serialization serialization;
    private final Executor blocking;
    private final String select;
    private final String delete;

    PreparedReadsStore(DurableStateUpdateStore<A> plugin, JdbcBackend.JdbcDatabaseDef db,
                       Serialization serialization, DurableStateTableConfiguration table, Executor blocking) {
        this.plugin = plugin;
        this.db = db;
        this.serialization = serialization;
        this.blocking = blocking;
        DurableStateTableColumnNames c = table.columnNames();
        String from = " FROM " + (table.schemaName().isDefined() ? quoted(table.schemaName().get()) + "." : "")
                + quoted(table.tableName()) + " WHERE " + quoted(c.persistenceId()) + " = ?";
        this.select = "SELECT " + quoted(c.revision()) + ", " + quoted(c.statePayload()) + ", "
                + quoted(c.stateSerId()) + ", " + quoted(c.stateSerManifest()) + from;
        this.delete = "DELETE" + from;
    }

    /** As Slick writes names for H2 and PostgreSQL, and as the plugin's schema scripts create them. */
    private static String quoted(String name) {
        return '"' + name + '"';
    }

    @Override
    public CompletionStage<GetObjectResult<A>> getObject(String persistenceId) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection connection = db.source().createConnection();
                 PreparedStatement statement = connection.prepareStatement(select)) {
                statement.setString(1, persistenceId);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) return new GetObjectResult<>(Optional.empty(), 0L);
                    long revision = row.getLong(1);
                    byte[] payload = row.getBytes(2);
                    @SuppressWarnings("unchecked")
                    A state = (A) serialization.deserialize(payload, row.getInt(3), row.getString(4)).get();
                    return new GetObjectResult<>(Optional.of(state), revision);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("reading " + persistenceId + ": " + e.getMessage(), e);
            }
        }, blocking);
    }

    @Override
    public CompletionStage<Done> deleteObject(String persistenceId) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection connection = db.source().createConnection();
                 PreparedStatement statement = connection.prepareStatement(delete)) {
                statement.setString(1, persistenceId);
                statement.executeUpdate();
                return Done.getInstance();
            } catch (SQLException e) {
                throw new IllegalStateException("deleting " + persistenceId + ": " + e.getMessage(), e);
            }
        }, blocking);
    }

    @Override
    public CompletionStage<Done> deleteObject(String persistenceId, long revision) {
        return plugin.deleteObject(persistenceId, revision);
    }

    @Override
    public CompletionStage<Done> upsertObject(String persistenceId, long revision, A value, String tag) {
        return plugin.upsertObject(persistenceId, revision, value, tag);
    }
}
