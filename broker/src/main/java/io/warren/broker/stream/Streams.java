package io.warren.broker.stream;

import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.Policy;
import io.warren.broker.model.QueueTypes;
import io.warren.broker.model.VirtualHost;
import io.warren.storage.StreamLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The broker's streams: creates them for {@code x-queue-type: stream} declares (registered as that type's
 * {@link QueueTypes.Factory}), keeps each under {@code <data>/streams/<hash of vhost and name>/}, and
 * closes them at shutdown. A redeclare after a restart opens the files the stream left.
 */
public final class Streams implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Streams.class);

    private final Path root;
    private final long syncIntervalMillis;
    private final Set<StreamQueue> open = ConcurrentHashMap.newKeySet();
    private final Map<Path, CompletableFuture<Void>> closing = new ConcurrentHashMap<>(); // by directory

    public Streams(Path root, long syncIntervalMillis) {
        this.root = root;
        this.syncIntervalMillis = syncIntervalMillis;
    }

    /** The factory for {@link io.warren.broker.model.QueueType#STREAM}. */
    public AmqpQueue create(VirtualHost vhost, String name, boolean durable, boolean exclusive, boolean autoDelete,
                            Map<String, Object> arguments, Object exclusiveOwner, Policy policy) {
        String what = "queue '" + name + "' in vhost '" + vhost.name() + "'";
        Map<String, Object> args = arguments == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(arguments));
        // a client cannot name a queue amq.*: such a name was generated for an empty one
        StreamSettings settings = StreamSettings.check(what, name.startsWith("amq.gen-"), durable, exclusive,
                autoDelete, args, policy);
        // the files are opened (created, or found after a restart) on the stream's writer thread: Chronicle's
        // I/O stays off the event loop that runs this declare
        Path dir = root.resolve(dirName(vhost.name(), name));
        String thread = "stream-" + vhost.name() + "-" + name;
        java.util.concurrent.ScheduledExecutorService writer =
                Executors.newSingleThreadScheduledExecutor(r -> daemon(r, thread + "-writer"));
        // a stream of the same name deleted just before may still be closing its files there: open after it
        CompletableFuture<Void> previous = closing.getOrDefault(dir, CompletableFuture.completedFuture(null));
        CompletableFuture<StreamLog> opening = previous.thenApplyAsync(v -> {
            try {
                return StreamLog.open(dir, settings.segmentBytes());
            } catch (IOException | RuntimeException e) {
                LOG.error("{}: cannot open the stream's files in {}: {}", what, dir, e.toString());
                throw new java.util.concurrent.CompletionException(e);
            }
        }, writer);
        StreamQueue q = new StreamQueue(vhost, name, args, policy, settings, opening, writer,
                Executors.newSingleThreadExecutor(r -> daemon(r, thread + "-reader")), syncIntervalMillis);
        open.add(q);
        closing.put(dir, q.closed());
        q.closed().thenRun(() -> {
            open.remove(q);
            closing.remove(dir, q.closed());
        });
        return q;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** A file name for any vhost and queue name (they may hold '/', '..', or be 255 bytes long). */
    static String dirName(String vhost, String name) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(vhost.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    /**
     * After recovery: removes stream directories that no recovered stream owns, left by a crash between a
     * delete's record and the removal of its files, so a new stream of that name starts empty. Call before
     * anything else is declared.
     */
    public void removeOrphans() {
        if (!java.nio.file.Files.isDirectory(root)) {
            return;
        }
        try (var dirs = java.nio.file.Files.list(root)) {
            for (Path d : dirs.toList()) {
                if (!closing.containsKey(d)) {
                    LOG.info("removing the files of a deleted stream: {}", d);
                    StreamLog.deleteTree(d);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the files of deleted streams in {}: {}", root, e.toString());
        }
    }

    /**
     * After recovery: waits until every stream declared so far has its files open, so that a restarted broker
     * reports each stream's messages from its first answer (as RabbitMQ recovers queues before it listens)
     * instead of zeros while the files open. The first stream a JVM opens also loads Chronicle Queue.
     */
    public void awaitOpened(java.time.Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (StreamQueue q : open) {
            try {
                q.opened().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                // logged where it failed; the stream answers as empty
            } catch (java.util.concurrent.TimeoutException e) {
                LOG.warn("{} is still opening its files after {} s; starting without waiting for it", q, limit.toSeconds());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Shutdown: every stream finishes its queued appends and closes its files. */
    @Override
    public void close() {
        for (StreamQueue q : open) {
            q.close();
        }
        open.clear();
    }
}
