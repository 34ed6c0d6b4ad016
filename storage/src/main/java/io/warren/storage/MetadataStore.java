package io.warren.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Durable definitions (exchanges, queues, bindings, users, vhosts, permissions, policies) as opaque byte
 * values keyed by {@link MetaKey}, under {@code <data-dir>/meta}. The broker encodes values as it likes
 * (JSON with Jackson is the obvious choice).
 *
 * <p>Why not a Chronicle queue here: definitions are few and small, change rarely, and must be read back
 * as a map. A CRC-framed append-only log with an atomic snapshot rewrite ({@link MetaLog}) does that in
 * one small file with an obvious format, without Chronicle's 80 MiB sparse cycle files, lock table and
 * the file-deletion dance compaction would need. Like the message store, changes are group-committed by
 * one thread and never block the caller.
 */
public final class MetadataStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetadataStore.class);

    private record Change(MetaKey key, byte[] value, boolean delete, Executor executor, MetaCallback callback,
                          boolean stop) {
    }

    private final MetaLog metaLog;
    private final Map<MetaKey, byte[]> view = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Change> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean exited;
    private volatile Throwable failure;

    private MetadataStore(MetaLog metaLog) {
        this.metaLog = metaLog;
        view.putAll(metaLog.entries());
        thread = new Thread(this::run, "warren-meta-writer");
        thread.setDaemon(true);
    }

    /** Opens (creating if needed) and replays the metadata log. Blocking: call at broker start. */
    public static MetadataStore open(Path dir) throws IOException {
        MetadataStore m = new MetadataStore(MetaLog.open(dir));
        m.thread.start();
        log.info("metadata store {}: {} definitions", dir, m.view.size());
        return m;
    }

    /** Every definition, as durable at open and as changed since. A copy; safe from any thread. */
    public Map<MetaKey, byte[]> all() {
        return new LinkedHashMap<>(view);
    }

    /** Definitions of one kind. */
    public List<Map.Entry<MetaKey, byte[]>> list(String kind) {
        List<Map.Entry<MetaKey, byte[]>> out = new ArrayList<>();
        for (Map.Entry<MetaKey, byte[]> e : view.entrySet()) {
            if (e.getKey().kind().equals(kind)) out.add(Map.entry(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** The stored value, or null. Shared, not copied: do not modify it. */
    public byte[] get(MetaKey key) {
        return view.get(key);
    }

    /** Stores or replaces a definition; {@code callback} runs on {@code executor} once it is on disk. */
    public void put(MetaKey key, byte[] value, Executor executor, MetaCallback callback) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        submit(new Change(key, value.clone(), false, executor, callback, false));
    }

    /** Removes a definition; {@code callback} runs on {@code executor} once that is on disk. */
    public void delete(MetaKey key, Executor executor, MetaCallback callback) {
        Objects.requireNonNull(key, "key");
        submit(new Change(key, null, true, executor, callback, false));
    }

    private void submit(Change c) {
        if (c.callback() != null) Objects.requireNonNull(c.executor(), "executor");
        Throwable f = failure;
        if (closed.get() || f != null) {
            tell(c, new StorageException(f != null ? "metadata store failed" : "metadata store closed", f));
            return;
        }
        queue.add(c);
        if (exited && queue.remove(c)) tell(c, new StorageException("metadata store closed"));
    }

    private void run() {
        List<Change> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            Change first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread; an interrupt must not reach the file channel
            }
            Thread.interrupted();
            batch.add(first);
            queue.drainTo(batch);
            stop = writeBatch(batch);
            batch.clear();
        }
        exited = true;
        queue.drainTo(batch);
        for (Change c : batch) tell(c, new StorageException("metadata store closed"));
        try {
            metaLog.close();
        } catch (IOException e) {
            log.warn("closing metadata log", e);
        }
    }

    /** @return true if a stop request was in the batch */
    private boolean writeBatch(List<Change> batch) {
        boolean stop = false;
        List<Change> written = new ArrayList<>(batch.size());
        for (Change c : batch) {
            if (c.stop()) {
                stop = true;
                continue;
            }
            if (failure != null) {
                tell(c, new StorageException("metadata store failed", failure));
                continue;
            }
            try {
                if (c.delete()) metaLog.delete(c.key()); else metaLog.put(c.key(), c.value());
                written.add(c);
            } catch (IOException | RuntimeException e) {
                tell(c, e);
            }
        }
        if (written.isEmpty()) return stop;
        try {
            metaLog.sync();
        } catch (IOException e) {
            // As with the journal: after a failed fsync nothing can be trusted until a restart re-reads.
            failure = e;
            log.error("metadata sync failed; refusing further changes until restart", e);
            for (Change c : written) tell(c, e);
            return stop;
        }
        for (Change c : written) {
            if (c.delete()) view.remove(c.key()); else view.put(c.key(), c.value());
        }
        for (Change c : written) tell(c, null);
        try {
            metaLog.compactIfWorthIt();
        } catch (IOException e) {
            log.warn("metadata compaction failed; the log stays as it is", e);
        }
        return stop;
    }

    private static void tell(Change c, Throwable t) {
        if (c.callback() == null) return;
        try {
            c.executor().execute(() -> c.callback().done(t));
        } catch (RuntimeException e) {
            log.warn("metadata callback dropped: {}", e.toString());
        }
    }

    /** Finishes queued changes and stops. Blocking. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        queue.add(new Change(null, null, false, null, null, true));
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
