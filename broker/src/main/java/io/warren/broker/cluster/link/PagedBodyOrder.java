package io.warren.broker.cluster.link;

import io.warren.broker.model.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Keeps a link's writes in order while the bodies of messages paged out to disk (deep durable queues)
 * are read back off the event loop, as a channel's deliveries are: a message whose body is on disk
 * starts its read at once and waits, with everything sent behind it, until the body is back. Reads
 * of several such messages run side by side; writes still leave in the order they were sent.
 * Loop-only, like the link's writing.
 */
final class PagedBodyOrder {
    private static final Logger LOG = LoggerFactory.getLogger(PagedBodyOrder.class);

    /** One write: ready once its body (if it needed one) is back. */
    private static final class Slot {
        LinkMessage message;
        boolean ready;
        boolean failed;

        Slot(LinkMessage message, boolean ready) {
            this.message = message;
            this.ready = ready;
        }
    }

    private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
    private final io.netty.channel.EventLoop loop;
    private final Runnable bodyArrived;

    /** {@code bodyArrived} runs on {@code loop} when a read completed: the link then writes what is ready. */
    PagedBodyOrder(io.netty.channel.EventLoop loop, Runnable bodyArrived) {
        this.loop = loop;
        this.bodyArrived = bodyArrived;
    }

    /** Takes a message to write: at once if nothing waits ahead of it and its body is in memory. */
    void add(LinkMessage m, Consumer<LinkMessage> write) {
        Message msg = m.message();
        byte[] body = msg == null ? null : msg.bodyOrNull();
        boolean loaded = msg == null || body != null;
        if (loaded && waiting.isEmpty()) {
            write.accept(m);
            return;
        }
        // one that waits keeps its body: the queue may page it out meanwhile
        Slot slot = new Slot(msg != null && loaded ? m.withBody(body) : m, loaded);
        waiting.addLast(slot);
        if (!loaded) {
            msg.readBody(loop, (read, failure) -> {
                if (failure != null) {
                    LOG.error("cannot read the body of a stored message back for the cluster link: {}",
                            failure.toString());
                    slot.failed = true;
                } else {
                    slot.message = slot.message.withBody(read);
                }
                slot.ready = true;
                bodyArrived.run();
            });
        }
    }

    /**
     * Writes, in order, the messages that are ready; false if a body could not be read back (the link
     * cannot go on consistently and is closed: what it carried unsettled goes back to its queues).
     */
    boolean writeReady(Consumer<LinkMessage> write) {
        while (!waiting.isEmpty() && waiting.peekFirst().ready) {
            Slot s = waiting.pollFirst();
            if (s.failed) {
                return false;
            }
            write.accept(s.message);
        }
        return true;
    }

    /** The link went: everything still waiting is handed back, in order. */
    void drop(Consumer<LinkMessage> undelivered) {
        for (Slot s = waiting.pollFirst(); s != null; s = waiting.pollFirst()) {
            undelivered.accept(s.message);
        }
    }
}
