package io.warren.broker.stream;

import io.warren.broker.error.ConnectionException;
import io.warren.broker.error.ChannelException;
import io.warren.broker.model.DeclaredQueue;
import io.warren.broker.model.ConfirmWait;
import io.warren.broker.model.Message;
import io.warren.broker.model.Policy;
import io.warren.broker.model.QueueConsumer;
import io.warren.broker.model.QueueEntry;
import io.warren.broker.model.QueueJournal;
import io.warren.broker.model.QueueStats;
import io.warren.broker.model.QueueType;
import io.warren.broker.model.VirtualHost;
import io.warren.storage.StreamLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream queue ({@code x-queue-type: stream}): an append-only log that consumers read, each from its
 * own offset, without removing anything; retention drops old segments. As RabbitMQ's streams over AMQP
 * 0-9-1: consumers need a prefetch and manual acks, and an ack only returns credit; basic.get, no-ack
 * consumers and purge are refused. Appends happen on the stream's writer thread ({@link StreamWriter}),
 * reads on its reader thread ({@link StreamDispatcher}): no stream I/O runs on an event loop.
 */
public final class StreamQueue extends DeclaredQueue {
    private static final Logger LOG = LoggerFactory.getLogger(StreamQueue.class);

    private final CompletableFuture<StreamLog> opening; // opened on the writer thread, off the event loops
    private final ScheduledExecutorService writerThread;
    private final ExecutorService readerThread;
    private final StreamWriter writer;
    private final StreamDispatcher dispatcher;
    private final CompletableFuture<Void> closed = new CompletableFuture<>(); // files closed (and deleted, if so)
    private final List<QueueConsumer> consumers = new ArrayList<>(); // guarded by this
    private final AtomicInteger unacked = new AtomicInteger();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private volatile Policy policy;
    private volatile QueueJournal journal = QueueJournal.NONE;
    private boolean deleted;

    StreamQueue(VirtualHost vhost, String name, Map<String, Object> arguments, Policy policy, StreamSettings settings,
                CompletableFuture<StreamLog> opening, ScheduledExecutorService writerThread, ExecutorService readerThread,
                long syncIntervalMillis) {
        super(vhost, name, true, false, false, arguments, null); // durable only, never exclusive or auto-delete
        this.policy = policy;
        this.opening = opening;
        this.writerThread = writerThread;
        this.readerThread = readerThread;
        this.dispatcher = new StreamDispatcher(this, opening, readerThread);
        this.writer = new StreamWriter(toString(), opening, writerThread, syncIntervalMillis, settings, dispatcher::wake);
    }

    @Override
    public QueueType type() {
        return QueueType.STREAM;
    }

    @Override
    public synchronized boolean isDeleted() {
        return deleted;
    }

    // ---- publishing -----------------------------------------------------------------------

    @Override
    public boolean enqueue(Message message, ConfirmWait confirm) {
        synchronized (this) {
            if (deleted) {
                return true;
            }
        }
        published.incrementAndGet();
        writer.append(message, confirm == null ? null : confirm.awaitWrite());
        return true;
    }

    // ---- consuming ------------------------------------------------------------------------

    @Override
    public void addConsumer(QueueConsumer c) {
        // RabbitMQ 3.10's checks and texts (rabbit_stream_queue:consume), in its order
        if (c.prefetch() <= 0) {
            throw ChannelException.preconditionFailed("consumer prefetch count is not set for '" + this + "'");
        }
        if (c.noAck()) {
            throw ConnectionException.notImplemented("automatic acknowledgement not supported by stream queues " + this);
        }
        if (c.arguments().containsKey("x-priority")) {
            throw ChannelException.preconditionFailed("invalid arg 'x-priority' for " + this
                    + " of queue type rabbit_stream_queue");
        }
        Object spec = c.arguments().get("x-stream-offset");
        StreamOffset.check(spec, toString());
        synchronized (this) {
            if (deleted) {
                throw ChannelException.noQueue(name, vhost.name());
            }
            consumers.add(c);
        }
        dispatcher.add(c, spec);
    }

    @Override
    public void removeConsumer(QueueConsumer c) {
        synchronized (this) {
            if (!consumers.remove(c)) {
                return;
            }
        }
        dispatcher.remove(c);
    }

    @Override
    public void dispatch() {
        dispatcher.wake();
    }

    @Override
    public QueueEntry get(boolean noAck) {
        throw ConnectionException.notImplemented("basic.get not supported by stream queues " + this);
    }

    /** The reader thread handed a message to a consumer. */
    void handedOut() {
        unacked.incrementAndGet();
        delivered.incrementAndGet();
    }

    // ---- settling: acks only return credit (the channel does that); nothing leaves the log ----

    @Override
    public void settle(List<QueueEntry> entries) {
        unacked.addAndGet(-entries.size());
    }

    /** basic.reject / nack without requeue: RabbitMQ 3.10 closes the connection (540). */
    @Override
    public void reject(List<QueueEntry> entries) {
        unacked.addAndGet(-entries.size());
        throw nackRefused();
    }

    @Override
    public void requeueNacked(Collection<QueueEntry> entries) {
        unacked.addAndGet(-entries.size());
        throw nackRefused();
    }

    private ConnectionException nackRefused() {
        return ConnectionException.notImplemented("basic.nack and basic.reject not supported by stream queues " + this);
    }

    /** The channel closed (or recovered): a stream redelivers nothing, its consumers start from an offset. */
    @Override
    public void requeue(Collection<QueueEntry> entries) {
        unacked.addAndGet(-entries.size());
    }

    @Override
    public void settleAfterRead(QueueEntry entry) {
        // stream entries are in memory when handed out: nothing waits for the read
    }

    // ---- management -----------------------------------------------------------------------

    @Override
    public int purge() {
        throw ConnectionException.notImplemented("queue.purge not supported by stream queues " + this);
    }

    @Override
    public void markUsed() {
        // streams do not expire
    }

    @Override
    public int readyCount() {
        return (int) Math.min(Integer.MAX_VALUE, logStats()[0]);
    }

    @Override
    public int unackedCount() {
        return unacked.get();
    }

    @Override
    public synchronized int consumerCount() {
        return consumers.size();
    }

    @Override
    public QueueStats stats() {
        long[] s = logStats();
        int count;
        synchronized (this) {
            count = consumers.size();
        }
        int messages = (int) Math.min(Integer.MAX_VALUE, s[0]);
        // every message of a stream is on disk only: reported as paged out (RabbitMQ's messages_ram is 0 too)
        return new QueueStats(messages, unacked.get(), count, s[1], published.get(), delivered.get(), messages, s[1],
                (int) s[2]);
    }

    /** Messages, bytes, segments; zeros while the log is being opened (or if it could not be). */
    private long[] logStats() {
        StreamLog log = opening.isDone() ? logOf(opening) : null;
        return log == null ? new long[3] : log.stats();
    }

    /** The opened log, or null if opening failed (it was logged then). Call once the future is done. */
    static StreamLog logOf(CompletableFuture<StreamLog> opening) {
        try {
            return opening.join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            return null;
        }
    }

    @Override
    public Policy policy() {
        return policy;
    }

    @Override
    public Runnable applyPolicy(Policy p) {
        policy = p;
        writer.settings(StreamSettings.check(toString(), false, true, false, false, arguments, p));
        return () -> { };
    }

    /**
     * A stream is its own log: nothing of it goes to the message store (whose code only writes for classic
     * queues). The journal the persistence layer attached is kept only so that it sees this durable queue
     * as recorded and does not record it again at every start.
     */
    @Override
    public QueueJournal journal() {
        return journal;
    }

    @Override
    public void attachJournal(QueueJournal journal) {
        this.journal = journal;
    }

    /**
     * Deleted: consumers are told, the threads finish what they hold and the log's files go. A publish
     * that was still queued gets a nack (if confirms were on).
     */
    @Override
    public DeleteResult markDeleted() {
        List<QueueConsumer> cs;
        synchronized (this) {
            deleted = true;
            cs = new ArrayList<>(consumers);
            consumers.clear();
        }
        int count = readyCount();
        shutDown(true);
        return new DeleteResult(count, cs);
    }

    /** Broker shutdown: finishes queued appends and closes the log, keeping its files. */
    void close() {
        shutDown(false);
        try {
            writerThread.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Completes once the stream's files are open (or could not be opened: that was logged). */
    CompletableFuture<?> opened() {
        return opening;
    }

    /** Completes once the stream's files are closed (and deleted, after a delete): a new stream of that name waits for it. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    /**
     * Stops the reader, then, on the writer thread once the log was opened (the opening may still be waiting
     * for an earlier stream of the same name to go), finishes the queued appends and closes (or deletes) the
     * files. Nothing here blocks the calling thread (an event loop, for a delete).
     */
    private void shutDown(boolean delete) {
        readerThread.execute(dispatcher::close);
        readerThread.shutdown();
        opening.whenCompleteAsync((log, failure) -> {
            try {
                writer.close();
                readerThread.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
                if (log != null && delete) {
                    log.closeAndDelete();
                } else if (log != null) {
                    log.close();
                }
            } catch (java.io.IOException e) {
                LOG.warn("{}: deleting its files: {}", this, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closed.complete(null);
                writerThread.shutdown();
            }
        }, writerThread);
    }

    @Override
    public String toString() {
        return "queue '" + name + "' in vhost '" + vhost.name() + "'";
    }
}
