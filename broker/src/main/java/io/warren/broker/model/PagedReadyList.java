package io.warren.broker.model;

import java.util.ArrayDeque;

/**
 * The ready messages of a durable queue, built to grow deep without filling the heap. In delivery
 * order they sit in three parts:
 * <ol>
 *   <li>the <b>head</b>: requeued messages and the first {@link #HEAD_WINDOW} fresh ones, whole
 *       (a {@link ReadyList}) — what consumers take next, bodies in memory;</li>
 *   <li>the <b>paged run</b> ({@link PagedRun}): messages already on disk, as a few primitives each,
 *       without bodies; they become entries again when they reach the front and their bodies are
 *       read back from the store as they are delivered;</li>
 *   <li>the <b>tail</b>: newer messages still waiting for their journal write, whole; they move into
 *       the paged run once the store has them.</li>
 * </ol>
 * While nothing is paged, the tail is empty and the list is a plain {@link ReadyList}: a queue whose
 * consumers keep up never touches the disk for reads. Entries in the tail may expire (they are in the
 * queue's expiry index); one taken out early stays as a tombstone until the tail moves past it.
 */
final class PagedReadyList implements ReadyMessages {
    /** Fresh messages kept whole at the front. */
    static final int HEAD_WINDOW = 1024;

    private final java.util.function.Consumer<QueueEntry> onPaged;
    private final ReadyList head = new ReadyList();
    private final PagedRun paged = new PagedRun();
    private final ArrayDeque<QueueEntry> tail = new ArrayDeque<>();
    private int tailLive;
    private int tailTombstones;
    private long tailBytes;

    /** @param onPaged told of each entry that leaves the heap (the queue stops tracking its expiry) */
    PagedReadyList(java.util.function.Consumer<QueueEntry> onPaged) {
        this.onPaged = onPaged;
    }

    PagedReadyList() {
        this(e -> { });
    }

    @Override
    public void append(QueueEntry e) {
        if (paged.isEmpty() && tail.isEmpty() && head.size() < HEAD_WINDOW) {
            head.append(e);
            return;
        }
        e.inTail = true;
        tail.addLast(e);
        tailLive++;
        tailBytes += e.message().bodySize();
        pageOut();
    }

    /**
     * Moves tail messages the store now has into the paged run, in order, stopping at the first
     * that is not on disk yet. Called on every append and when a write completes.
     */
    @Override
    public void pageOut() {
        refill();
        QueueEntry e;
        while ((e = tail.peekFirst()) != null) {
            if (e.isRemoved()) {
                tail.pollFirst();
                tailTombstones--;
                continue;
            }
            if (!PagedRun.pageable(e)) {
                return;
            }
            tail.pollFirst();
            e.inTail = false;
            tailLive--;
            tailBytes -= e.message().bodySize();
            onPaged.accept(e);
            paged.append(e);
        }
    }

    /**
     * Recovery: appends a message straight to the paged run, without an entry object, if it can go
     * there (the head is full, nothing waits before it) and its routing data are the very instances of
     * the newest paged message's (the caller shares them for equal metadata). False: use {@link #append}.
     */
    boolean appendRestored(String exchange, String routingKey, byte[] rawProperties, int bodySize, long storeId,
                           long location, long seq, boolean redelivered, long expiresAt) {
        PagedRun.Routing last = paged.last();
        if (last == null || !tail.isEmpty() || last.exchange() != exchange || last.routingKey() != routingKey
                || last.rawProperties() != rawProperties) {
            return false;
        }
        paged.append(last, bodySize, storeId, location, seq, redelivered, expiresAt);
        return true;
    }

    @Override
    public long nextPagedExpiry() {
        return paged.firstExpiry();
    }

    @Override
    public long pagedExpiredSeq(long now) {
        return paged.firstExpiry() <= now ? paged.firstSeq() : Long.MAX_VALUE;
    }

    @Override
    public QueueEntry pollPagedExpired(long now) {
        if (paged.firstExpiry() > now) {
            return null;
        }
        QueueEntry e = paged.poll();
        if (paged.isEmpty() && !tail.isEmpty()) {
            refill();
        }
        return e;
    }

    /** Once nothing is paged, the tail joins the head (they are contiguous again). */
    private void refill() {
        QueueEntry e;
        while (paged.isEmpty() && head.size() < HEAD_WINDOW && (e = tail.pollFirst()) != null) {
            if (e.isRemoved()) {
                tailTombstones--;
                continue;
            }
            e.inTail = false;
            tailLive--;
            tailBytes -= e.message().bodySize();
            head.append(e);
        }
    }

    @Override
    public void requeue(QueueEntry e) {
        head.requeue(e);
    }

    @Override
    public QueueEntry poll() {
        QueueEntry e = head.poll();
        if (e == null) {
            e = paged.poll();
        }
        if (e == null) {
            refill();
            e = head.poll();
        }
        if (paged.isEmpty() && !tail.isEmpty()) {
            refill();
        }
        return e;
    }

    @Override
    public QueueEntry peek() {
        QueueEntry e = head.peek();
        if (e == null) {
            e = paged.peek();
        }
        if (e == null && !tail.isEmpty()) {
            refill();
            e = head.peek();
        }
        return e;
    }

    @Override
    public void remove(QueueEntry e) {
        if (!e.inTail) {
            head.remove(e); // paged entries never expire, so it is a head entry
            return;
        }
        e.inTail = false;
        tailLive--;
        tailBytes -= e.message().bodySize();
        if (tail.peekFirst() == e) {
            tail.pollFirst();
        } else {
            e.markRemoved(); // a tombstone, dropped when the tail moves past it
            tailTombstones++;
            if (tailTombstones > 64 && tailTombstones > tailLive) {
                tail.removeIf(QueueEntry::isRemoved); // one linear pass keeps memory proportional to the live count
                tailTombstones = 0;
            }
        }
    }

    @Override
    public int size() {
        return head.size() + paged.size() + tailLive;
    }

    @Override
    public long bytes() {
        return head.bytes() + paged.bytes() + tailBytes;
    }

    @Override
    public int pagedCount() {
        return paged.size();
    }

    @Override
    public long pagedBytes() {
        return paged.bytes();
    }

    @Override
    public int clear() {
        int n = size();
        head.clear();
        paged.clear();
        tail.clear();
        tailLive = 0;
        tailTombstones = 0;
        tailBytes = 0;
        return n;
    }
}
