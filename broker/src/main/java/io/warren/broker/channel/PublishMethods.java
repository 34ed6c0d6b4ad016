package io.warren.broker.channel;

import io.netty.buffer.ByteBuf;
import io.warren.broker.error.ChannelException;
import io.warren.broker.error.ConnectionException;
import io.warren.broker.model.Exchange;
import io.warren.broker.model.Message;
import io.warren.broker.model.Queue;
import io.warren.broker.model.Router;
import io.warren.broker.persist.MessagePersistence;
import io.warren.codec.AmqpConstants;
import io.warren.codec.ContentBodyFrame;
import io.warren.codec.ContentHeaderFrame;
import io.warren.codec.method.BasicAck;
import io.warren.codec.method.BasicNack;
import io.warren.codec.method.BasicPublish;
import io.warren.codec.method.BasicReturn;

import java.util.ArrayList;

/**
 * basic.publish: assembles method + content header + body frames into one message (rejecting
 * frames out of order or bodies longer than announced), routes it, returns it when mandatory and
 * unroutable, and tracks publisher confirms. Confirms of one read batch go out as one
 * {@code basic.ack multiple=true}.
 */
final class PublishMethods {
    private final AmqpChannel channel;
    private final ArrayList<Queue> targets = new ArrayList<>(); // scratch, reused per message
    private final Router router = new Router();

    private BasicPublish pending;      // publish awaiting its content
    private byte[] rawProperties;
    private byte[] body;
    private int received;
    private boolean awaitingHeader;

    private String lastExchange = "";
    private String lastRoutingKey = "";
    private boolean confirmMode;
    private long publishSeq;           // last sequence number handed out
    private long confirmedUpTo;        // last sequence number acked to the client
    private final java.util.ArrayDeque<Long> awaitingSync = new java.util.ArrayDeque<>(); // stored, not yet synced
    private long[] refused = new long[4]; // publishes a queue refused since the last flush, ascending
    private int refusedCount;

    PublishMethods(AmqpChannel channel) {
        this.channel = channel;
    }

    boolean expectingContent() {
        return pending != null;
    }

    boolean awaitingHeader() {
        return pending != null && awaitingHeader;
    }

    void publish(BasicPublish m) {
        if (m.immediate()) {
            throw ConnectionException.notImplemented("immediate=true");
        }
        channel.connection().publishing();
        pending = m;
        awaitingHeader = true;
    }

    void header(ContentHeaderFrame h) {
        if (pending == null || !awaitingHeader) {
            throw ConnectionException.unexpectedFrame("expected method frame, got non method frame instead");
        }
        if (h.classId() != BasicPublish.CLASS_ID) {
            throw ConnectionException.unexpectedFrame("content header for class " + h.classId()
                    + " does not match method class " + BasicPublish.CLASS_ID);
        }
        long max = channel.connection().broker().config().maxMessageSize();
        if (h.bodySize() > max) {
            pending = null;
            throw ChannelException.preconditionFailed("message size " + h.bodySize()
                    + " is larger than configured max size " + max);
        }
        awaitingHeader = false;
        rawProperties = h.rawProperties();
        body = new byte[(int) h.bodySize()];
        received = 0;
        if (h.bodySize() == 0) {
            complete();
        }
    }

    void body(ContentBodyFrame f) {
        ByteBuf payload = f.payload();
        try {
            if (pending == null || awaitingHeader) {
                throw ConnectionException.unexpectedFrame("expected method frame, got non method frame instead");
            }
            int n = payload.readableBytes();
            if (n > body.length - received) {
                throw ConnectionException.unexpectedFrame("content body of " + (received + n)
                        + " bytes is longer than the announced " + body.length);
            }
            payload.readBytes(body, received, n);
            received += n;
        } finally {
            payload.release();
        }
        if (received == body.length) {
            complete();
        }
    }

    /**
     * Publishers usually repeat the same exchange and routing key: reuse the previous message's
     * String so a backlog does not hold a copy of each per message (the decoded one dies young).
     */
    private String sharedExchange(String exchange) {
        if (!exchange.equals(lastExchange)) {
            lastExchange = exchange;
        }
        return lastExchange;
    }

    private String sharedRoutingKey(String key) {
        if (!key.equals(lastRoutingKey)) {
            lastRoutingKey = key;
        }
        return lastRoutingKey;
    }

    private void complete() {
        BasicPublish m = pending;
        pending = null;
        Message msg = new Message(sharedExchange(m.exchange()), sharedRoutingKey(m.routingKey()), rawProperties, body);
        rawProperties = null;
        body = null;
        if (confirmMode) {
            publishSeq++; // counted even if routing fails below: the client counts every publish
        }
        PublishChecks.check(msg.rawProperties(), channel.connection().user());
        channel.connection().broker().counters().published();
        byte[] props = channel.replyTo().rewriteRequest(msg.rawProperties());
        if (props != msg.rawProperties()) {
            msg = new Message(msg.exchange(), msg.routingKey(), props, msg.body());
        }
        route(m, msg);
    }

    private void route(BasicPublish m, Message msg) {
        Exchange x = channel.connection().vhost().requireExchange(m.exchange());
        channel.access().publishTo(m.exchange());
        if (x.internal()) {
            throw ChannelException.accessRefused("cannot publish to internal exchange '" + m.exchange()
                    + "' in vhost '" + channel.connection().vhost().name() + "'");
        }
        Transaction tx = channel.transaction();
        if (tx != null) {
            tx.publish(x, msg, m.mandatory()); // routed at tx.commit
            return;
        }
        deliver(x, msg, m.mandatory());
    }

    /** Routes and enqueues; a mandatory message no queue takes goes back with basic.return. */
    void deliver(Exchange x, Message msg, boolean mandatory) {
        if (DirectReplyTo.isReplyAddress(msg.exchange(), msg.routingKey())) {
            if (channel.connection().vhost().tracing()) {
                Firehose.publishedReply(channel, msg);
            }
            DirectReplyTo.routeReply(channel.connection().broker(), msg);
            // RabbitMQ 3.10 returns a mandatory reply to the replier whether or not it reached the
            // requester (the address is not a queue, so it counts as unroutable): copied for fidelity
            if (mandatory) {
                sendReturn(msg);
                flushConfirms();
            }
            return;
        }
        SenderSelectedKeys.Result cc = SenderSelectedKeys.extract(msg);
        msg = cc.message();
        router.route(x, msg, cc.keys(), targets);
        x.countPublish(targets.size());
        if (channel.connection().vhost().tracing()) {
            Firehose.published(channel, x, msg, cc.keys(), targets);
        }
        storeIfPersistent(msg);
        boolean accepted = true;
        for (int i = 0; i < targets.size(); i++) {
            accepted &= targets.get(i).enqueue(msg);
        }
        if (!accepted && confirmMode) {
            refuse(publishSeq); // a full queue with x-overflow reject-publish: basic.nack, not ack
        }
        if (targets.isEmpty()) {
            channel.connection().broker().counters().unroutable(mandatory);
        }
        if (targets.isEmpty() && mandatory) {
            sendReturn(msg);
            flushConfirms(); // RabbitMQ confirms a returned message right after its basic.return
        }
        targets.clear(); // confirms go out at the end of the read batch (flushConfirms)
    }

    /**
     * A persistent message for durable queues is written before it is enqueued (so a settle can
     * never reach the store before its publish); under confirms its ack then waits for the sync.
     */
    private void storeIfPersistent(Message msg) {
        MessagePersistence persistence = channel.connection().broker().messagePersistence();
        if (persistence == null || targets.isEmpty()) {
            return;
        }
        long seq = publishSeq;
        boolean confirm = confirmMode;
        io.netty.util.concurrent.EventExecutor loop = channel.connection().ctx().executor();
        boolean stored = persistence.store(msg, targets, loop, (location, failure) -> durable(seq, confirm, failure));
        if (stored && confirm) {
            awaitingSync.addLast(seq);
        }
    }

    /** On the channel's loop: the store synced (or failed) a message; release its confirm. */
    private void durable(long seq, boolean confirm, Throwable failure) {
        if (!confirm) {
            return;
        }
        awaitingSync.remove(seq); // completions come in submission order: this is the head
        if (failure != null) {
            refuse(seq); // not on disk: basic.nack, as RabbitMQ does when a queue cannot take it
        }
        if (channel.isOpen()) {
            flushConfirms();
            channel.connection().scheduleFlush();
        }
    }

    private void sendReturn(Message msg) {
        BasicReturn ret = new BasicReturn(AmqpConstants.NO_ROUTE, "NO_ROUTE", msg.exchange(), msg.routingKey());
        channel.writeContent(ret, msg);
    }

    void selectConfirms() {
        if (channel.transaction() != null) {
            throw ChannelException.preconditionFailed("cannot switch from tx to confirm mode");
        }
        confirmMode = true;
    }

    boolean confirmMode() {
        return confirmMode;
    }

    private void refuse(long seq) {
        if (refusedCount == refused.length) {
            refused = java.util.Arrays.copyOf(refused, refusedCount * 2);
        }
        refused[refusedCount++] = seq;
    }

    /**
     * Confirms every publish since the last flush: one {@code basic.ack multiple=true} in the usual
     * case; when queues refused some, each of those gets a {@code basic.nack} and the runs between
     * them an ack each, in sequence order.
     */
    void flushConfirms() {
        // everything up to the first publish still waiting for its disk sync can be confirmed
        long limit = awaitingSync.isEmpty() ? publishSeq : awaitingSync.peekFirst() - 1;
        if (limit <= confirmedUpTo) {
            return;
        }
        long from = confirmedUpTo;
        int i = 0;
        sortRefused();
        for (; i < refusedCount && refused[i] <= limit; i++) {
            long seq = refused[i];
            ackUpTo(from, seq - 1);
            // multiple=true as RabbitMQ sends it when all before it are confirmed (they just were)
            channel.send(new BasicNack(seq, true, false));
            from = seq;
        }
        System.arraycopy(refused, i, refused, 0, refusedCount - i);
        refusedCount -= i;
        ackUpTo(from, limit);
        confirmedUpTo = limit;
    }

    /** Refusals come from enqueue (in order) and from failed syncs (later): keep them sorted. */
    private void sortRefused() {
        java.util.Arrays.sort(refused, 0, refusedCount);
    }

    /** Acks (after, upTo] if not empty. */
    private void ackUpTo(long after, long upTo) {
        if (upTo > after) {
            channel.connection().broker().counters().confirmed(upTo - after);
            channel.send(new BasicAck(upTo, upTo - after > 1));
        }
    }

    /** A channel error mid-content: forget the partial message. */
    void reset() {
        pending = null;
        rawProperties = null;
        body = null;
    }
}
