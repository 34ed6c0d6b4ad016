package io.warren.cluster.quorum;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The commands of a quorum queue's Raft log. Every member applies the same commands in the same
 * order to its {@link QueueState}, so every member knows which message is ready, which consumer
 * holds which message and how often each was delivered. A consumer is named by an opaque key that
 * starts with the name of the node it is attached to and a slash ({@code node/...}), so that
 * {@link NodeDown} can return what a dead node's consumers held.
 */
public sealed interface QueueCommand {
    /** The content of an enqueue decoded for applying only (see {@link #decode(byte[], int, boolean)}). */
    byte[] NO_CONTENT = {};

    /** Applies this command to {@code state}; the reply goes back to the submitter. */
    long[] applyTo(QueueState state, long index);

    void write(DataOutputStream out) throws IOException;

    /**
     * A published message: {@code content} is opaque, {@code size} is what counts against
     * x-max-length-bytes. {@code publisher} (a key {@code node/...}; empty: none) and {@code seq}
     * (from 1) keep one publisher's messages in the order it sent them (see {@link PublisherOrder}).
     * {@code ttl} is the message's own TTL in milliseconds (the {@code expiration} property; -1:
     * none), counted from the time the leader stamped on the command.
     */
    record Enqueue(int size, byte[] content, String publisher, long seq, long ttl) implements QueueCommand {
        /** A message with no publisher order to keep and no TTL of its own. */
        public Enqueue(int size, byte[] content) {
            this(size, content, "", 0, -1);
        }

        public Enqueue(int size, byte[] content, String publisher, long seq) {
            this(size, content, publisher, seq, -1);
        }

        public long[] applyTo(QueueState s, long index) {
            return s.enqueue(index, size, publisher, seq, ttl);
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeByte(1);
            out.writeInt(size);
            out.writeInt(content.length);
            out.write(content);
            out.writeUTF(publisher);
            out.writeLong(seq);
            out.writeLong(ttl);
        }
    }

    /**
     * Several publishes in one log entry, with the acks of this node that waited: one Raft round, one
     * log write and one reply for all of them. The acks are applied first. Message {@code i} gets the id
     * {@link MessageIds#batched}(index, i); the reply holds one enqueue reply per message, in order.
     */
    record EnqueueBatch(List<Settle> settles, List<Enqueue> enqueues) implements QueueCommand {
        public EnqueueBatch {
            if (enqueues.isEmpty() || enqueues.size() > MessageIds.MAX_BATCH) {
                throw new IllegalArgumentException("a batch of " + enqueues.size() + " enqueues");
            }
        }

        public EnqueueBatch(List<Enqueue> enqueues) {
            this(List.of(), enqueues);
        }

        public long[] applyTo(QueueState s, long index) {
            for (Settle settle : settles) {
                settle.applyTo(s, index);
            }
            long[] replies = new long[enqueues.size()];
            for (int i = 0; i < replies.length; i++) {
                Enqueue e = enqueues.get(i);
                replies[i] = s.enqueue(MessageIds.batched(index, i), e.size, e.publisher, e.seq, e.ttl)[0];
            }
            return replies;
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeByte(17);
            out.writeInt(settles.size());
            for (Settle settle : settles) {
                out.writeUTF(settle.consumer());
                writeIds(out, settle.ids());
            }
            out.writeInt(enqueues.size());
            for (Enqueue e : enqueues) {
                out.writeInt(e.size);
                out.writeInt(e.content.length);
                out.write(e.content);
                out.writeUTF(e.publisher);
                out.writeLong(e.seq);
                out.writeLong(e.ttl);
            }
        }

        int encodedSizeHint() {
            int n = 0;
            for (Enqueue e : enqueues) {
                n += e.content.length + 64;
            }
            for (Settle settle : settles) {
                n += settle.ids().length * 8 + 64;
            }
            return n;
        }
    }

    /** The publisher gave up on a publish (it failed): what it sent after it no longer waits for it. */
    record Flush(String publisher) implements QueueCommand {
        public long[] applyTo(QueueState s, long index) {
            return s.flush(publisher);
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeByte(13);
            out.writeUTF(publisher);
        }
    }

    /**
     * A consumer starts (or changes its prefetch; 0 means unlimited): ready messages are assigned to
     * it, to consumers of a higher {@code priority} (x-priority) first. {@code place} names the
     * consumer across its registrations ("": none): a registration under the place of one that is
     * moving (or still active) takes its place in the subscription order (see {@link QueueConsumers}).
     */
    record Checkout(String consumer, int prefetch, int priority, String place) implements QueueCommand {
        public Checkout(String consumer, int prefetch) {
            this(consumer, prefetch, 0, "");
        }

        public Checkout(String consumer, int prefetch, int priority) {
            this(consumer, prefetch, priority, "");
        }

        public long[] applyTo(QueueState s, long index) {
            return s.checkout(consumer, prefetch, priority, place);
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeByte(place.isEmpty() ? 14 : 19);
            out.writeUTF(consumer);
            out.writeInt(prefetch);
            out.writeInt(priority);
            if (!place.isEmpty()) {
                out.writeUTF(place);
            }
        }
    }

    /** basic.cancel: no further deliveries; what the consumer holds stays held until settled or returned. */
    record Cancel(String consumer) implements QueueCommand {
        public long[] applyTo(QueueState s, long index) {
            return s.cancel(consumer);
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeByte(3);
            out.writeUTF(consumer);
        }
    }

    /** The consumer (or basic.get holder) is gone, e.g. its channel closed: what it holds is returned. */
    record Remove(String consumer) implements QueueCommand {
        public long[] applyTo(QueueState s, long index) {
            return s.remove(consumer);
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeByte(4);
            out.writeUTF(consumer);
        }
    }

    /**
     * The consumer's node gives it up to serve it through another member or its own replica (this
     * node's role in the group changed, see the broker's {@code QuorumQueue#markReplaced}): no further
     * deliveries; what it holds goes back to the queue uncounted, except {@code kept}, the messages the
     * node handed to its client and that stay held until the client settles them. The node's replica
     * may no longer see what the group assigns (it left the group), so the group decides what was not
     * handed over, not the node. With {@code keepPlace} the consumer keeps its place in the
     * subscription order for its next registration (see {@link QueueConsumers}).
     */
    record Detach(String consumer, long[] kept, boolean keepPlace) implements QueueCommand {
        public Detach(String consumer, long[] kept) {
            this(consumer, kept, false);
        }

        public long[] applyTo(QueueState s, long index) {
            return s.detach(consumer, kept, keepPlace);
        }

        public void write(DataOutputStream out) throws IOException {
            writeIds(out, keepPlace ? 20 : 18, consumer, kept);
        }
    }

    /** basic.ack: the messages are done. */
    record Settle(String consumer, long[] ids) implements QueueCommand {
        public long[] applyTo(QueueState s, long index) {
            return s.settle(consumer, ids, QueueState.Disposition.SETTLE);
        }

        public void write(DataOutputStream out) throws IOException {
            writeIds(out, 5, consumer, ids);
        }
    }

    /** basic.nack / reject with requeue: back to the queue, their delivery count one higher. */
    record Return(String consumer, long[] ids) implements QueueCommand {
        public long[] applyTo(QueueState s, long index) {
            return s.settle(consumer, ids, QueueState.Disposition.RETURN);
        }

        public void write(DataOutputStream out) throws IOException {
            writeIds(out, 6, consumer, ids);
        }
    }

    /**
     * Messages assigned to a consumer that its node never handed to the client (the consumer was
     * cancelled first): back to the queue without counting a delivery.
     */
    record Release(String consumer, long[] ids) implements QueueCommand {
        public long[] applyTo(QueueState s, long index) {
            return s.settle(consumer, ids, QueueState.Disposition.RELEASE);
        }

        public void write(DataOutputStream out) throws IOException {
            writeIds(out, 12, consumer, ids);
        }
    }

    /** basic.nack / reject without requeue: dead-lettered (reason rejected) or dropped. */
    record Discard(String consumer, long[] ids) implements QueueCommand {
        public long[] applyTo(QueueState s, long index) {
            return s.settle(consumer, ids, QueueState.Disposition.DISCARD);
        }

        public void write(DataOutputStream out) throws IOException {
            writeIds(out, 7, consumer, ids);
        }
    }

    /** queue.purge: every ready message is dropped; the result is how many. */
    record Purge() implements QueueCommand {
        public long[] applyTo(QueueState s, long index) {
            return s.purge();
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeByte(8);
        }
    }

    /** basic.get: the head of the queue, settled at once ({@code settle}) or held by {@code consumer}. */
    record Dequeue(String consumer, boolean settle) implements QueueCommand {
        public long[] applyTo(QueueState s, long index) {
            return s.dequeue(consumer, settle);
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeByte(9);
            out.writeUTF(consumer);
            out.writeBoolean(settle);
        }
    }

    /** The queue's limits (from its arguments and policies); -1 means none. */
    record Configure(QueueLimits limits) implements QueueCommand {
        public long[] applyTo(QueueState s, long index) {
            return s.configure(limits);
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeByte(15);
            limits.writeFull(out);
        }
    }

    /**
     * The leader's clock moved on: messages whose TTL ran out at the head expire, and an unused queue
     * past its x-expires is reported. Its time is the stamp every command carries (see
     * {@link StampedCommand}), so every member decides the same.
     */
    record Tick() implements QueueCommand {
        public long[] applyTo(QueueState s, long index) {
            return s.tick();
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeByte(16);
        }
    }


    /** A node left: what its consumers held is returned and its consumers are removed. */
    record NodeDown(String node) implements QueueCommand {
        public long[] applyTo(QueueState s, long index) {
            return s.nodeDown(node);
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeByte(11);
            out.writeUTF(node);
        }
    }

    static byte[] encode(QueueCommand command) {
        int hint = command instanceof Enqueue e ? e.content.length + 16
                : command instanceof EnqueueBatch b ? b.encodedSizeHint() : 64;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(hint);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            command.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** Decodes a command; an unknown or truncated one is an {@link IllegalArgumentException}. */
    static QueueCommand decode(byte[] bytes) {
        return decode(bytes, 0);
    }

    /** Decodes the command that starts at {@code offset} (after a {@link StampedCommand stamp}). */
    static QueueCommand decode(byte[] bytes, int offset) {
        return decode(bytes, offset, true);
    }

    /**
     * As {@link #decode(byte[], int)}; without {@code withContent}, enqueues come with an empty content:
     * applying them needs only their sizes, and the bodies are read back from the log when delivered.
     */
    static QueueCommand decode(byte[] bytes, int offset, boolean withContent) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes, offset, bytes.length - offset))) {
            int type = in.readUnsignedByte();
            return switch (type) {
                case 1 -> {
                    int size = in.readInt();
                    byte[] content = readContent(in, bytes.length, withContent);
                    // older enqueues end with their content (before publisher order) or their seq (before TTL)
                    if (in.available() == 0) {
                        yield new Enqueue(size, content);
                    }
                    String publisher = in.readUTF();
                    long seq = in.readLong();
                    yield new Enqueue(size, content, publisher, seq, in.available() > 0 ? in.readLong() : -1);
                }
                case 2 -> new Checkout(in.readUTF(), in.readInt());
                case 3 -> new Cancel(in.readUTF());
                case 4 -> new Remove(in.readUTF());
                case 5 -> new Settle(in.readUTF(), readIds(in, bytes.length));
                case 6 -> new Return(in.readUTF(), readIds(in, bytes.length));
                case 7 -> new Discard(in.readUTF(), readIds(in, bytes.length));
                case 8 -> new Purge();
                case 9 -> new Dequeue(in.readUTF(), in.readBoolean());
                case 10 -> new Configure(QueueLimits.read(in));
                case 11 -> new NodeDown(in.readUTF());
                case 12 -> new Release(in.readUTF(), readIds(in, bytes.length));
                case 13 -> new Flush(in.readUTF());
                case 14 -> new Checkout(in.readUTF(), in.readInt(), in.readInt());
                case 15 -> new Configure(QueueLimits.readFull(in));
                case 16 -> new Tick();
                case 18 -> new Detach(in.readUTF(), readIds(in, bytes.length));
                case 19 -> new Checkout(in.readUTF(), in.readInt(), in.readInt(), in.readUTF());
                case 20 -> new Detach(in.readUTF(), readIds(in, bytes.length), true);
                case 17 -> {
                    Settle[] settles = new Settle[checkedLength(in.readInt(), bytes.length)];
                    for (int i = 0; i < settles.length; i++) {
                        settles[i] = new Settle(in.readUTF(), readIds(in, bytes.length));
                    }
                    Enqueue[] batch = new Enqueue[checkedLength(in.readInt(), MessageIds.MAX_BATCH)];
                    for (int i = 0; i < batch.length; i++) {
                        int size = in.readInt();
                        byte[] content = readContent(in, bytes.length, withContent);
                        batch[i] = new Enqueue(size, content, in.readUTF(), in.readLong(), in.readLong());
                    }
                    yield new EnqueueBatch(List.of(settles), List.of(batch));
                }
                default -> throw new IllegalArgumentException("unknown quorum queue command " + type);
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated quorum queue command", e);
        }
    }

    private static byte[] readContent(DataInputStream in, int commandLength, boolean keep) throws IOException {
        int length = checkedLength(in.readInt(), commandLength);
        if (!keep) {
            in.skipNBytes(length);
            return NO_CONTENT;
        }
        byte[] content = new byte[length];
        in.readFully(content);
        return content;
    }

    /** The content of an enqueue log entry (stamped or not): a body read back from the log. */
    static byte[] enqueuedContent(byte[] entry) {
        QueueCommand c = StampedCommand.command(entry);
        if (c instanceof Enqueue e) {
            return e.content;
        }
        throw new IllegalArgumentException("log entry is not an enqueue but " + c.getClass().getSimpleName());
    }

    private static void writeIds(DataOutputStream out, int type, String consumer, long[] ids) throws IOException {
        out.writeByte(type);
        out.writeUTF(consumer);
        writeIds(out, ids);
    }

    private static void writeIds(DataOutputStream out, long[] ids) throws IOException {
        out.writeInt(ids.length);
        for (long id : ids) {
            out.writeLong(id);
        }
    }

    private static long[] readIds(DataInputStream in, int commandLength) throws IOException {
        long[] ids = new long[checkedLength(in.readInt(), commandLength / 8)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = in.readLong();
        }
        return ids;
    }

    /** A length field is never trusted beyond what the command's bytes can hold. */
    private static int checkedLength(int n, int max) throws IOException {
        if (n < 0 || n > max) {
            throw new IOException("bad length " + n);
        }
        return n;
    }
}
