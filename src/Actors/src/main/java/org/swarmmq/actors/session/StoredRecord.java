package org.swarmmq.actors.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.persistence.state.javadsl.DurableStateUpdateStore;
import org.apache.pekko.persistence.state.javadsl.GetObjectResult;

/**
 * A session's {@link SessionRecord} in Pekko's durable state store, as its entity uses it: the
 * revision, one write in flight at a time (a write asked for meanwhile is coalesced into the next,
 * which carries everything since), and writes and deletes carried out in the order asked: each
 * starts only once the one before has finished, so a delete cannot overtake a write still in
 * flight (which would bring the record back), nor a write after a clean start the delete before
 * it. Not an actor: the entity pipes the stages it gets back to itself.
 */
final class StoredRecord {
    private final DurableStateUpdateStore<SessionRecord> store;
    private final String persistenceId;
    private long revision;
    private boolean writing;
    private boolean dirty;
    private CompletionStage<?> last = CompletableFuture.completedFuture(null);

    StoredRecord(DurableStateUpdateStore<SessionRecord> store, String clientId) {
        this.store = store;
        this.persistenceId = "session|" + clientId;
    }

    CompletionStage<GetObjectResult<SessionRecord>> load() {
        return store.getObject(persistenceId);
    }

    /** What {@link #load} found sets the revision the next write follows. */
    void loaded(GetObjectResult<SessionRecord> result) {
        revision = result.revision();
    }

    long revision() {
        return revision;
    }

    /** Goes on from {@code revision}, where the instance that held the session before left the record. */
    void continueAt(long revision) {
        this.revision = revision;
    }

    /** Completes once every write and delete asked for so far has ended. */
    CompletionStage<?> settled() {
        return last.handle((r, e) -> null);
    }

    boolean writing() {
        return writing;
    }

    /**
     * Writes {@code record}, or returns null when a write is in flight: {@link #written} then says
     * another must follow.
     */
    CompletionStage<?> write(Supplier<SessionRecord> record) {
        if (writing) {
            dirty = true;
            return null;
        }
        writing = true;
        dirty = false;
        long rev = ++revision;
        SessionRecord r = record.get();
        return after(() -> store.upsertObject(persistenceId, rev, r, ""));
    }

    /** The write ended ({@code ok}: it happened); true when another must follow, asked for meanwhile. */
    boolean written(boolean ok) {
        writing = false;
        if (!ok) revision--;
        return dirty;
    }

    /** Deletes the record, after whatever write or delete came before; done at once if none was written. */
    CompletionStage<?> delete() {
        CompletionStage<?> done = revision > 0 ? after(() -> store.deleteObject(persistenceId)) : last;
        revision = 0;
        return done;
    }

    private <T> CompletionStage<T> after(Supplier<CompletionStage<T>> op) {
        CompletionStage<T> next = settled().thenCompose(x -> op.get());
        last = next;
        return next;
    }
}
