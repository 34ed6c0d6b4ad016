package io.warren.broker.channel;

import io.netty.buffer.ByteBuf;
import io.warren.broker.error.ChannelException;
import io.warren.broker.error.ConnectionException;
import io.warren.broker.model.Exchange;
import io.warren.broker.model.Message;
import io.warren.broker.model.Queue;
import io.warren.broker.model.Router;
import io.warren.codec.AmqpConstants;
import io.warren.codec.ContentBodyFrame;
import io.warren.codec.ContentHeaderFrame;
import io.warren.codec.method.BasicAck;
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

    private boolean confirmMode;
    private long publishSeq;           // last sequence number handed out
    private long confirmedUpTo;        // last sequence number acked to the client

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

    private void complete() {
        BasicPublish m = pending;
        pending = null;
        Message msg = new Message(m.exchange(), m.routingKey(), rawProperties, body);
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
            if (!DirectReplyTo.routeReply(msg) && mandatory) {
                sendReturn(msg);
                flushConfirms();
            }
            return;
        }
        SenderSelectedKeys.Result cc = SenderSelectedKeys.extract(msg);
        msg = cc.message();
        router.route(x, msg, cc.keys(), targets);
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).enqueue(msg);
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

    /** Acks every publish confirmed since the last flush in one frame. */
    void flushConfirms() {
        if (publishSeq > confirmedUpTo) {
            boolean multiple = publishSeq - confirmedUpTo > 1;
            channel.connection().broker().counters().confirmed(publishSeq - confirmedUpTo);
            channel.send(new BasicAck(publishSeq, multiple));
            confirmedUpTo = publishSeq;
        }
    }

    /** A channel error mid-content: forget the partial message. */
    void reset() {
        pending = null;
        rawProperties = null;
        body = null;
    }
}
