package io.warren.broker.model;

import io.warren.codec.BasicProperties;

/**
 * One published message, immutable and shared (not copied) by every queue it was routed to.
 * The content header's property bytes are kept exactly as the publisher sent them so a delivery
 * writes them back byte for byte without re-encoding. A persistent message's body may leave the
 * heap once it is on disk ({@link #evictBody}); it is then read back when delivered, so a deep
 * queue of persistent messages costs memory only for its bookkeeping.
 */
public final class Message {
    private final String exchange;
    private final String routingKey;
    private final byte[] rawProperties;
    private volatile byte[] body;       // null once evicted: then read back from the store
    private final int bodySize;
    private volatile long location = -1; // where the store keeps it; -1 until its write completed
    private BasicProperties properties; // decoded on first use only; benign race (idempotent decode)
    private volatile long storeId;      // message id in the durable store; 0 = not stored
    // the store that reads the body back (its broker's: two brokers may share the JVM); set with location
    private volatile BodyReader reader;
    private long publishedAt = System.currentTimeMillis(); // TTLs count from here, across restarts too

    public Message(String exchange, String routingKey, byte[] rawProperties, byte[] body) {
        this.exchange = exchange;
        this.routingKey = routingKey;
        this.rawProperties = rawProperties;
        this.body = body;
        this.bodySize = body.length;
    }

    /**
     * A message known only by its place in the store: the body stays on disk and is read back when
     * it is delivered (paged-out and recovered messages of durable queues).
     */
    public static Message onDisk(String exchange, String routingKey, byte[] rawProperties, int bodySize,
                                 long storeId, long location, BodyReader reader) {
        return new Message(exchange, routingKey, rawProperties, bodySize, storeId, location, reader);
    }

    private Message(String exchange, String routingKey, byte[] rawProperties, int bodySize, long storeId,
                    long location, BodyReader reader) {
        this.exchange = exchange;
        this.routingKey = routingKey;
        this.rawProperties = rawProperties;
        this.body = null;
        this.bodySize = bodySize;
        this.storeId = storeId;
        this.reader = reader;
        this.location = location;
    }

    /** A message the broker built itself (a dead letter): its properties are known already. */
    Message(String exchange, String routingKey, BasicProperties properties, byte[] body) {
        this(exchange, routingKey, properties.encode(), body);
        this.properties = properties;
    }

    public String exchange() {
        return exchange;
    }

    public String routingKey() {
        return routingKey;
    }

    public byte[] rawProperties() {
        return rawProperties;
    }

    /**
     * The body; for an evicted one this reads it back and waits. Only for paths off the event loops
     * or rare ones (dead-lettering, the management API): deliveries use {@link #readBody}.
     */
    public byte[] body() {
        byte[] b = body;
        if (b != null) {
            return b;
        }
        java.util.concurrent.CompletableFuture<byte[]> f = new java.util.concurrent.CompletableFuture<>();
        readBody(Runnable::run, (bytes, failure) -> {
            if (failure != null) {
                f.completeExceptionally(failure);
            } else {
                f.complete(bytes);
            }
        });
        return f.join();
    }

    /** The in-memory body, or null if evicted. */
    public byte[] bodyOrNull() {
        return body;
    }

    /** Whether the body is in memory (else {@link #readBody} fetches it). */
    public boolean bodyLoaded() {
        return body != null;
    }

    /** Fetches an evicted body (not kept: the caller writes it out and lets it go). */
    public void readBody(java.util.concurrent.Executor executor, java.util.function.BiConsumer<byte[], Throwable> done) {
        byte[] b = body;
        if (b != null) {
            executor.execute(() -> done.accept(b, null));
            return;
        }
        reader.read(location, executor, done);
    }

    /**
     * The store synced this message at {@code location}, from where {@code reader} reads it back;
     * from now on the body may leave the heap.
     */
    public void stored(long location, BodyReader reader) {
        this.reader = reader;
        this.location = location;
    }

    /** Where an on-disk body is read back from; null while the message is not stored. */
    BodyReader bodyReader() {
        return reader;
    }

    /** Where the store keeps this message; -1 while its write is pending (or it is not stored). */
    public long location() {
        return location;
    }

    /** Drops the in-memory body of a message that is on disk. */
    public void evictBody() {
        if (location >= 0) {
            body = null;
        }
    }

    public int bodySize() {
        return bodySize;
    }

    public BasicProperties properties() {
        BasicProperties p = properties;
        if (p == null) {
            p = BasicProperties.decode(rawProperties);
            properties = p;
        }
        return p;
    }

    public long publishedAt() {
        return publishedAt;
    }

    /** Recovery: the original publish time, from the store. */
    public void publishedAt(long epochMillis) {
        this.publishedAt = epochMillis;
    }

    /** The id under which the message store keeps this message, 0 if it is not stored. */
    public long storeId() {
        return storeId;
    }

    public void storeId(long id) {
        this.storeId = id;
    }

    /** delivery_mode 2. Peeks the property flags first, so most transient messages are not decoded. */
    public boolean persistent() {
        return deliveryMode(rawProperties) == 2;
    }

    /**
     * Reads delivery-mode straight from the property bytes, without decoding (and keeping) the
     * whole property set: every publish asks, and a backlog of a million messages would otherwise
     * hold a million decoded copies. Skips content-type, content-encoding and headers if present.
     * Returns 0 when absent or unreadable.
     */
    static int deliveryMode(byte[] raw) {
        if (raw.length < 2) {
            return 0;
        }
        int flags = ((raw[0] & 0xFF) << 8) | (raw[1] & 0xFF);
        if ((flags & 0x1000) == 0 || (flags & 1) != 0) { // absent, or a continuation word (not used by clients)
            return 0;
        }
        int pos = 2;
        if ((flags & 0x8000) != 0) { // content-type shortstr
            pos += 1 + (raw[pos] & 0xFF);
        }
        if ((flags & 0x4000) != 0 && pos < raw.length) { // content-encoding shortstr
            pos += 1 + (raw[pos] & 0xFF);
        }
        if ((flags & 0x2000) != 0 && pos + 4 <= raw.length) { // headers table: 4-byte length
            pos += 4 + (((raw[pos] & 0xFF) << 24) | ((raw[pos + 1] & 0xFF) << 16) | ((raw[pos + 2] & 0xFF) << 8)
                    | (raw[pos + 3] & 0xFF));
        }
        return pos >= 0 && pos < raw.length ? raw[pos] & 0xFF : 0;
    }
}
