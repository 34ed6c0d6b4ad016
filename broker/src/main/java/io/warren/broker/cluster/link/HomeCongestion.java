package io.warren.broker.cluster.link;

import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueFlow;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publisher credit flow across a link, on the home side: when a message from the other node lands in a
 * queue of this node that is congested (its consumers fall behind, see {@link QueueFlow}), the other node
 * is told so, once, and told again when the queue drained. Its stand-in for the queue
 * ({@link RemoteQueue#flow()}) then holds that node's publishing connections as this node holds its own.
 * The "congested" message is always sent before the wait for the drain is registered, so the "drained"
 * one cannot overtake it.
 */
final class HomeCongestion {
    private final PeerLink link;
    private final Map<AmqpQueue, Runnable> reported = new ConcurrentHashMap<>();

    HomeCongestion(PeerLink link) {
        this.link = link;
    }

    /** After a message from the other node was enqueued into {@code q} (link's loop). */
    void published(AmqpQueue q) {
        QueueFlow flow = q.flow();
        if (flow == null || !flow.congested() || reported.containsKey(q)) {
            return;
        }
        Runnable drained = new Runnable() {
            @Override
            public void run() {
                link.send(new LinkMessage.Flow(q.vhost().name(), q.name(), false));
                reported.remove(q, this);
            }
        };
        reported.put(q, drained);
        link.send(new LinkMessage.Flow(q.vhost().name(), q.name(), true));
        if (!flow.await(drained)) {
            drained.run(); // drained meanwhile
        }
    }

    /** The link went: stop waiting for drains nobody will hear of. */
    void release() {
        reported.forEach((q, drained) -> q.flow().cancel(drained));
        reported.clear();
    }
}
