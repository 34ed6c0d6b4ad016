package io.warren.broker.net;

import io.warren.broker.model.AmqpQueue;
import io.warren.broker.persist.MessagePersistence;
import io.warren.codec.Frame;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * When a connection's socket is read. Reading stops while a resource alarm blocks the connection
 * ({@link PublisherBlock}), while credit flow holds it ({@link PublisherFlow}), and while its client
 * does not read what the broker writes: the frames of the read in hand then wait ({@link InboundPause})
 * and are handled once the socket is writable again. Also holds the store's writer for the length of a
 * read, so that the read's persistent publishes share one sync. Event-loop confined.
 */
final class ReadControl {
    private final PublisherBlock block;
    private final PublisherFlow flow;
    private final InboundPause pause = new InboundPause();
    /** Handling frames that waited: a flush inside one may make the socket writable again. */
    private boolean resuming;
    private MessagePersistence heldStore;

    ReadControl(AmqpConnection connection) {
        this.block = new PublisherBlock(connection);
        this.flow = new PublisherFlow(connection);
    }

    PublisherBlock block() {
        return block;
    }

    /** RabbitMQ's "blocked", "flow" or "running" for an open connection. */
    String openStateName() {
        return block.blocked() ? "blocked" : pause.paused() || flow.throttled() ? "flow" : "running";
    }

    /** Whether a frame read now must wait: earlier ones wait, or the client does not read what we write. */
    boolean mustWait(boolean writable) {
        return pause.paused() || !writable;
    }

    void defer(Frame frame) {
        pause.defer(frame);
    }

    /**
     * The socket is writable again: handles the frames that waited while {@code canGoOn} holds.
     * Returns whether all of them were handled (reading may start again).
     */
    boolean resume(BooleanSupplier canGoOn, Consumer<Frame> handle) {
        if (!pause.paused() || resuming) {
            return false;
        }
        resuming = true;
        try {
            Frame f;
            while (canGoOn.getAsBoolean() && (f = pause.next()) != null) {
                handle.accept(f);
            }
        } finally {
            resuming = false;
            releaseStoreWrites();
        }
        return pause.resumed();
    }

    /** Whether the socket is not to be read now. */
    boolean paused() {
        return block.blocked() || pause.paused() || flow.throttled();
    }

    void publishedToCongested(AmqpQueue q) {
        flow.congested(q);
    }

    void holdStoreWrites(MessagePersistence persistence) {
        if (heldStore == null) {
            heldStore = persistence;
            persistence.holdWrites();
        }
    }

    void releaseStoreWrites() {
        MessagePersistence p = heldStore;
        if (p != null) {
            heldStore = null;
            p.releaseWrites();
        }
    }

    /** The connection closed: nothing waits any more, nothing is held. */
    void closed() {
        releaseStoreWrites();
        pause.discard();
        flow.release();
    }
}
