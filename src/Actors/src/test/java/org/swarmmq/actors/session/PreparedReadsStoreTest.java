package org.swarmmq.actors.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.persistence.state.javadsl.DurableStateUpdateStore;
import org.apache.pekko.persistence.state.javadsl.GetObjectResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmmq.actors.TestNode;
import org.swarmmq.actors.topic.TopicProtocol;

/**
 * The session store as the node configures it (the plugin's writes, our fixed-SQL read and delete)
 * on the embedded H2 database: what the plugin wrote reads back with its revision, a delete
 * removes it, and the plugin's revision rule still holds after our delete. PostgreSQL is covered
 * by the cluster integration tests, whose sessions survive node kills through this store.
 */
class PreparedReadsStoreTest {
    @TempDir
    static Path dir;
    private static TestNode node;
    private static DurableStateUpdateStore<SessionRecord> store;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(dir.resolve("db"));
        store = node.sessionStore();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    private static SessionRecord record(String filter) {
        return new SessionRecord(4, Map.of(filter, new TopicProtocol.Options(1, false, false, 0, 0)), List.of(), List.of(), List.of(),
                List.of(), SessionRecord.NO_EXPIRY);
    }

    @Test
    void isThePreparedStore() {
        assertInstanceOf(PreparedReadsStore.class, store);
    }

    @Test
    void unknownIdIsEmptyAtRevisionZero() throws Exception {
        GetObjectResult<SessionRecord> r = await(store.getObject("session|nobody"));
        assertTrue(r.value().isEmpty());
        assertEquals(0L, r.revision());
    }

    @Test
    void readsWhatThePluginWroteWithItsRevision() throws Exception {
        await(store.upsertObject("session|a", 1, record("a/1"), ""));
        await(store.upsertObject("session|a", 2, record("a/2"), ""));
        GetObjectResult<SessionRecord> r = await(store.getObject("session|a"));
        assertEquals(2L, r.revision());
        assertEquals(record("a/2"), r.value().orElseThrow());
        assertEquals(0L, await(store.getObject("session|ab")).revision(), "the id matched exactly");
    }

    @Test
    void deleteRemovesOnlyThatRecordAndTheIdStartsAgainAtRevisionOne() throws Exception {
        await(store.upsertObject("session|d", 1, record("d/1"), ""));
        await(store.upsertObject("session|e", 1, record("e/1"), ""));
        await(store.deleteObject("session|d"));
        assertTrue(await(store.getObject("session|d")).value().isEmpty());
        assertEquals(record("e/1"), await(store.getObject("session|e")).value().orElseThrow());
        await(store.upsertObject("session|d", 1, record("d/again"), ""));
        assertEquals(record("d/again"), await(store.getObject("session|d")).value().orElseThrow());
    }
}
