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

    /** Nothing waits: a write with its body in memory may go out at once. */
    boolean idle() {
        return waiting.isEmpty();
    }

    /** Queues a write behind the waiting ones and reads its body. */
    void enqueue(AmqpMethod method, Message msg) {
        Pending p = new Pending(method, msg);
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

    private void drain() {
        while (!waiting.isEmpty() && (waiting.peekFirst().body != null || waiting.peekFirst().failed)) {
            Pending p = waiting.pollFirst();
            if (p.failed) {
                // the store could not give the body back: the connection cannot go on consistently
                channel.connection().closeWithError(io.warren.broker.error.ConnectionException.internalError(
                        "cannot read message body back from the store"), null);
                waiting.clear();
                return;
            }
            if (channel.isOpen()) {
                channel.writeContent(p.method, p.message, p.body);
            }
        }
    }

    void clear() {
        waiting.clear();
    }
}
