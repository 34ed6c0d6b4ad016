package io.warren.broker.channel;

import io.warren.broker.model.Message;
import io.warren.codec.method.AmqpMethod;

import java.util.ArrayDeque;

/**
 * Writes a channel's content frames (deliveries, get-oks, returns) in the order they were made,
 * even when a body must first be read back from the message store: once one write waits for its
 * body, later ones queue behind it, while their reads run concurrently. On the channel's loop only.
 */
final class OrderedContentWriter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OrderedContentWriter.class);
    private final AmqpChannel channel;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

    private static final class Pending {
        final AmqpMethod method;
        final Message message;
        Runnable afterWrite;
        byte[] body;
        boolean failed;

        Pending(AmqpMethod method, Message message) {
            this.method = method;
            this.message = message;
        }
    }

    OrderedContentWriter(AmqpChannel channel) {
        this.channel = channel;
    }

    /**
     * A method without content (e.g. basic.cancel-ok, basic.get-empty) made while deliveries wait
     * for their bodies: it goes out after them, so a client never sees a delivery after cancel-ok.
     */
    void enqueueMethod(AmqpMethod method) {
        Pending p = new Pending(method, null);
        p.body = NO_CONTENT;
        waiting.addLast(p);
    }

    private static final byte[] NO_CONTENT = new byte[0];

    /** Nothing waits: a write with its body in memory may go out at once. */
    boolean idle() {
        return waiting.isEmpty();
    }

    /**
     * Queues a write behind the waiting ones and reads its body.
     *
     * @param afterRead runs once the body was read and written, or dropped because the channel closed
     *                  (a no-ack delivery's settle: the store keeps the message until then); may be null
     */
    void enqueue(AmqpMethod method, Message msg, Runnable afterRead) {
        Pending p = new Pending(method, msg);
        p.afterWrite = afterRead;
        waiting.addLast(p);
        msg.readBody(channel.connection().ctx().executor(), (body, failure) -> {
            if (failure != null) {
                LOG.error("cannot read the body of stored message {} back", msg.storeId(), failure);
                p.failed = true;
            } else {
                p.body = body;
            }
            drain();
        });
    }

    /** Writes what is ready, in order, while the client reads; called again when the socket drains. */
    void drain() {
        while (!waiting.isEmpty() && (waiting.peekFirst().body != null || waiting.peekFirst().failed)
                && channel.writeAllowed()) {
            Pending p = waiting.pollFirst();
            if (p.failed) {
                // the store could not give the body back: the connection cannot go on consistently
                channel.connection().closeWithError(io.warren.broker.error.ConnectionException.internalError(
                        "cannot read message body back from the store"), null);
                waiting.clear();
                return;
            }
            if (p.message == null) {
                channel.sendNow(p.method);
            } else {
                if (channel.isOpen()) {
                    channel.writeContent(p.method, p.message, p.body);
                }
                if (p.afterWrite != null) {
                    p.afterWrite.run(); // written or dropped with its channel: settle and free its window
                }
            }
        }
    }

    void clear() {
        waiting.clear();
    }
}
