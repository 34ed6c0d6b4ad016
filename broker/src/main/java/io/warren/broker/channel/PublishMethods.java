package io.warren.broker.channel;

import io.netty.buffer.ByteBuf;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.error.ChannelException;
import io.warren.broker.error.ConnectionException;
import io.warren.broker.model.Exchange;
import io.warren.broker.model.Message;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.ConfirmWait;
import io.warren.broker.model.Router;
import io.warren.broker.persist.MessagePersistence;
import io.warren.codec.AmqpConstants;
import io.warren.codec.BasicProperties;
import io.warren.codec.ContentBodyFrame;
import io.warren.codec.ContentHeaderFrame;
import io.warren.codec.FrameException;
import io.warren.codec.method.BasicAck;
import io.warren.codec.method.BasicNack;
import io.warren.codec.method.BasicPublish;
import io.warren.codec.method.BasicReturn;

import java.util.ArrayList;

/**
 * basic.publish: checks the publish when its content header arrives, assembles the body frames
 * into one message (rejecting frames out of order or bodies longer than announced; memory grows
 * with what arrived, see {@link BodyAssembler}), routes it, returns it when mandatory and
 * unroutable, and tracks publisher confirms. Confirms of one read batch go out as one
 * {@code basic.ack multiple=true}.
 */
final class PublishMethods {
    private final AmqpChannel channel;
    private final ArrayList<AmqpQueue> targets = new ArrayList<>(); // scratch, reused per message
    private final Router router = new Router();

    private BasicPublish pending;      // publish awaiting its content
    private Exchange target;           // its exchange, checked when the content header came
    private byte[] rawProperties;
    private final BodyAssembler body = new BodyAssembler();
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

    /**
     * The content header: every check RabbitMQ makes on a publish runs here, in RabbitMQ's order
     * (size, write permission, exchange, properties), before a byte of the body is buffered, so a
     * refused publish costs nothing however large the body it announced. What follows a refusal is
     * dropped by the closing channel.
     */
    void header(ContentHeaderFrame h) {
        if (pending == null || !awaitingHeader) {
            throw ConnectionException.unexpectedFrame("expected method frame, got non method frame instead");
        }
        if (h.classId() != BasicPublish.CLASS_ID) {
            throw ConnectionException.unexpectedFrame("content header for class " + h.classId()
                    + " does not match method class " + BasicPublish.CLASS_ID);
        }
        BasicPublish m = pending;
        pending = null; // a refusal below leaves nothing half-published
        int size = checkSize(h.bodySize());
        Exchange x = publishableExchange(m.exchange());
        byte[] props = checkProperties(h.rawProperties());
        pending = m;
        target = x;
        rawProperties = props;
        awaitingHeader = false;
        body.start(size);
        if (size == 0) {
            complete();
        }
    }

    /**
     * The body size is an unsigned 64-bit field: a value of 2^63 or more reads as negative and is
     * refused like any other size above the limit (RabbitMQ would wait for that many bytes first).
     * RabbitMQ words it differently at its hard ceiling of 512 MiB (rabbit_channel:check_msg_size).
     */
    private int checkSize(long bodySize) {
        long max = channel.connection().broker().config().maxMessageSize();
        if (Long.compareUnsigned(bodySize, max) > 0) {
            String limit = max == BrokerConfig.MAX_MESSAGE_SIZE_CEILING ? "max size " : "configured max size ";
            throw ChannelException.preconditionFailed("message size " + Long.toUnsignedString(bodySize)
                    + " is larger than " + limit + max);
        }
        return (int) bodySize;
    }

    /** Write permission first, then existence, as rabbit_channel checks them (403 before 404). */
    private Exchange publishableExchange(String name) {
        channel.access().publishTo(name);
        Exchange x = channel.connection().vhost().requireExchange(name);
        if (x.internal()) {
            throw ChannelException.accessRefused("cannot publish to internal exchange '" + name
                    + "' in vhost '" + channel.connection().vhost().name() + "'");
        }
        return x;
    }

    /**
     * Malformed properties close the connection with 502 SYNTAX_ERROR (the spec's code for a frame
     * with illegal field values; RabbitMQ 3.10 crashes the channel and answers 541). Checked once
     * here, so no later decode of these properties (routing, queues, dead-lettering) can fail.
     */
    private byte[] checkProperties(byte[] raw) {
        try {
            BasicProperties.validate(raw);
        } catch (FrameException e) {
            throw new ConnectionException(e.replyCode(), e.replyText());
        }
        PublishChecks.check(raw, channel.connection().user());
        return channel.replyTo().rewriteRequest(raw);
    }

    void body(ContentBodyFrame f) {
        ByteBuf payload = f.payload();
        try {
            if (pending == null || awaitingHeader) {
                throw ConnectionException.unexpectedFrame("expected method frame, got non method frame instead");
            }
            int n = payload.readableBytes();
            if (n > body.missing()) {
                long total = body.expected() - body.missing() + (long) n;
                throw ConnectionException.unexpectedFrame("content body of " + total
                        + " bytes is longer than the announced " + body.expected());
            }
            body.append(payload);
        } finally {
            payload.release();
        }
        if (body.complete()) {
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
        Exchange x = target;
        pending = null;
        target = null;
        Message msg = new Message(sharedExchange(m.exchange()), sharedRoutingKey(m.routingKey()), rawProperties,
                body.take());
        rawProperties = null;
        if (confirmMode) {
            publishSeq++; // counted even if routing fails below: the client counts every publish
        }
        channel.connection().broker().counters().published();
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
        ConfirmWait wait = confirmMode ? confirmWait(publishSeq) : null;
        for (int i = 0; i < targets.size(); i++) {
            accepted &= targets.get(i).enqueue(msg, wait);
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

    /**
     * For a queue that writes its copy itself (a stream): the confirm of {@code seq} waits until it
     * reports the write, which may come from any thread.
     */
    private ConfirmWait confirmWait(long seq) {
        return () -> {
            awaitingSync.addLast(seq); // enqueue runs in publish order: the deque stays ascending
            io.netty.util.concurrent.EventExecutor loop = channel.connection().ctx().executor();
            return failure -> loop.execute(() -> durable(seq, true, failure));
        };
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
        target = null;
        rawProperties = null;
        body.clear();
    }
}
