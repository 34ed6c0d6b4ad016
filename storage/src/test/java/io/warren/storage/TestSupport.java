package io.warren.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** Blocking helpers for tests: the real API is asynchronous. */
final class TestSupport {
    static final Executor DIRECT = Runnable::run;

    private TestSupport() {
    }

    static StoreConfig config(Path dir) {
        return StoreConfig.defaults(dir);
    }

    /** Submits and waits; returns the location, or throws the failure. */
    static long write(MessageStore store, Write w) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        store.submit(w, DIRECT, (loc, err) -> {
            if (err != null) f.completeExceptionally(err); else f.complete(loc);
        });
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new RuntimeException(e.getCause() != null ? e.getCause() : e);
        }
    }

    static CompletableFuture<Long> writeAsync(MessageStore store, Write w) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        store.submit(w, DIRECT, (loc, err) -> {
            if (err != null) f.completeExceptionally(err); else f.complete(loc);
        });
        return f;
    }

    static long publish(MessageStore store, long id, String meta, byte[] body, long... queues) {
        return write(store, new Write.Publish(id, meta.getBytes(), body, queues));
    }

    static StoredMessage read(MessageStore store, long location) {
        CompletableFuture<StoredMessage> f = new CompletableFuture<>();
        store.read(location, DIRECT, (m, err) -> {
            if (err != null) f.completeExceptionally(err); else f.complete(m);
        });
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new RuntimeException(e.getCause() != null ? e.getCause() : e);
        }
    }

    static void roll(MessageStore store) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        store.roll(DIRECT, (loc, err) -> {
            if (err != null) f.completeExceptionally(err); else f.complete(loc);
        });
        f.join();
    }

    static List<Long> ids(Recovered r, long queue) {
        List<Long> out = new ArrayList<>();
        for (RecoveredMessage m : r.queue(queue)) out.add(m.messageId());
        return out;
    }

    static List<Integer> cycles(Path dir) throws IOException {
        return new ArrayList<>(SegmentFiles.list(dir).keySet());
    }
}
