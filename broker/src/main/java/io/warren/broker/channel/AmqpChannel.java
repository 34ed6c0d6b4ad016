package io.warren.broker.channel;

import io.netty.buffer.ByteBuf;
import io.warren.broker.error.ChannelException;
import io.warren.broker.error.ConnectionException;
import io.warren.broker.model.Message;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueEntry;
import io.warren.broker.net.AmqpConnection;
import io.warren.broker.net.DeliveryWindow;
import io.warren.codec.ContentBodyFrame;
import io.warren.codec.ContentHeaderFrame;
import io.warren.codec.FrameWriter;
import io.warren.codec.Frame;
import io.warren.codec.HeartbeatFrame;
import io.warren.codec.MethodFrame;
import io.warren.codec.method.*;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP channel: frame routing into its method groups ({@link TopologyMethods},
 * {@link PublishMethods}, {@link ConsumeMethods}) and the channel close handshakes. A channel error
 * sends channel.close and then ignores everything but close/close-ok, as RabbitMQ does. Lives on
 * its connection's event loop.
 */
public final class AmqpChannel {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpChannel.class);
    private static final int KEY_SHIFT = 16;

    private final AmqpConnection connection;
    private final int id;
    private final ChannelAccess access;
    private final TopologyMethods topology;
    private final PublishMethods publishing = new PublishMethods(this);
    private final ConsumeMethods consuming = new ConsumeMethods(this);
    private final ChannelCredit credit = new ChannelCredit();
    private final DirectReplyTo replyTo = new DirectReplyTo(this);
    private final OrderedContentWriter contentWriter = new OrderedContentWriter(this);
    private boolean closing;     // we sent channel.close and await close-ok
    private Transaction transaction; // non-null once tx.select was called
    private volatile boolean open = true;
    private final java.util.Queue<HandOver> handOver = io.netty.util.internal.PlatformDependent.newMpscQueue();
    private final java.util.concurrent.atomic.AtomicBoolean drainScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    private final Runnable drainTask = this::drainHandOvers;

    public AmqpChannel(AmqpConnection connection, int id) {
        this.connection = connection;
        this.id = id;
        this.access = new ChannelAccess(connection);
        this.topology = new TopologyMethods(this, access);
    }

    ChannelAccess access() {
        return access;
    }

    public AmqpConnection connection() {
        return connection;
    }

    public int id() {
        return id;
    }

    ChannelCredit credit() {
        return credit;
    }

    // ---- read accessors for the management API; call on the connection's event loop ----------

    /** One consumer of this channel as the management API lists it. */
    public record ConsumerDetails(String tag, io.warren.broker.model.AmqpQueue queue, boolean ackRequired,
                                  boolean exclusive, int prefetchCount, int priority, String activityStatus) {
    }

    public java.util.List<ConsumerDetails> consumerDetails() {
        return consuming.consumerDetails();
    }

    public int unackedCount() {
        return consuming.unackedCount();
    }

    /** Whether this channel has consumers (a direct reply-to one too). */
    public boolean hasConsumers() {
        return consuming.hasConsumers() || replyTo.active();
    }

    /** basic.qos global=false: the prefetch given to consumers created from now on. */
    public int prefetchCount() {
        return consuming.prefetchCount();
    }

    /** basic.qos global=true: the limit shared by the channel's consumers. */
    public int globalPrefetchCount() {
        return credit.limit();
    }

    public boolean inConfirmMode() {
        return publishing.confirmMode();
    }

    public boolean isTransactional() {
        return transaction != null;
    }

    boolean isOpen() {
        return open && !closing;
    }

    /**
     * Any thread (a queue's dispatch): may this channel take one more delivery? Not while the
     * client leaves what we wrote unread (socket above its high watermark) or the connection's
     * deliveries not yet written fill their window.
     */
    boolean mayTakeDelivery() {
        return open && !closing && connection.nettyChannel().isWritable() && connection.deliveryWindow().open();
    }

    /** Content goes out only while the client reads (or to drop it once the channel closed). */
    boolean writeAllowed() {
        return !isOpen() || connection.nettyChannel().isWritable();
    }

    public void sendOpenOk() {
        send(new ChannelOpenOk());
    }

    /** Sends a method, after any deliveries still waiting for their bodies (see {@link OrderedContentWriter}). */
    void send(AmqpMethod m) {
        if (contentWriter.idle()) {
            connection.write(id, m);
        } else {
            contentWriter.enqueueMethod(m);
        }
    }

    void sendNow(AmqpMethod m) {
        connection.write(id, m);
    }

    /** Writes method + content header + body frames of {@code msg} to the client. */
    void writeContent(AmqpMethod method, Message msg) {
        writeContent(method, msg, (Runnable) null);
    }

    /** @param afterRead runs once the body was read back from the store (null: nothing to do) */
    void writeContent(AmqpMethod method, Message msg, Runnable afterRead) {
        if (writeContentNow(method, msg)) {
            if (afterRead != null) {
                afterRead.run();
            }
        } else {
            contentWriter.enqueue(method, msg, afterRead);
        }
    }

    /**
     * The usual case, without allocation or wait: the body is in memory and no earlier content
     * waits. False if it was not written (the caller then queues it with {@link #enqueueContent}).
     */
    boolean writeContentNow(AmqpMethod method, Message msg) {
        byte[] body = contentWriter.idle() ? msg.bodyOrNull() : null;
        if (body == null) {
            return false; // the body is on disk, or an earlier one is
        }
        writeContent(method, msg, body);
        return true;
    }

    void enqueueContent(AmqpMethod method, Message msg, Runnable afterWrite) {
        contentWriter.enqueue(method, msg, afterWrite);
    }

    void writeContent(AmqpMethod method, Message msg, byte[] body) {
        ByteBuf buf = connection.contentBuffer(contentSize(msg));
        FrameWriter.writeContent(buf, id, method, msg.rawProperties(), body, connection.frameMax());
        connection.scheduleFlush();
    }

    /** Bytes needed for the method, header and every body frame of this message. */
    private int contentSize(Message msg) {
        int frameMax = connection.frameMax();
        int bodyFrames = msg.bodySize() == 0 ? 0 : (msg.bodySize() + frameMax - 9) / (frameMax - 8);
        int size = 8 + 4 + 3 * 256 + 24 + 8 + 14 + msg.rawProperties().length + 8 * bodyFrames + msg.bodySize();
        return size;
    }

    // ---- inbound -----------------------------------------------------------------------------

    public void handleFrame(Frame frame) {
        if (closing) {
            whileClosing(frame);
            return;
        }
        try {
            if (frame instanceof MethodFrame mf) {
                if (publishing.expectingContent()) {
                    throw ConnectionException.unexpectedFrame(publishing.awaitingHeader()
                            ? "expected content header for class 60, got non content header frame instead"
                            : "expected content body, got non content body frame instead");
                }
                handleMethod(mf.method());
            } else if (frame instanceof ContentHeaderFrame h) {
                publishing.header(h);
            } else if (frame instanceof ContentBodyFrame b) {
                publishing.body(b);
            } else if (frame instanceof HeartbeatFrame) {
                throw ConnectionException.frameError("heartbeat frame on channel " + id);
            }
        } catch (ChannelException e) {
            closeWithError(e, frame);
        }
    }

    private void whileClosing(Frame frame) {
        if (frame instanceof ContentBodyFrame b) {
            b.payload().release();
        } else if (frame instanceof MethodFrame mf) {
            if (mf.method() instanceof ChannelCloseOk) {
                connection.channelClosed(id);
            } else if (mf.method() instanceof ChannelClose) {
                send(new ChannelCloseOk()); // both sides closed at once
                connection.channelClosed(id);
            }
        }
    }

    /**
     * Answers {@code method} once {@code change} (a definition change replicated to the cluster)
     * completes: {@code onOk} on this connection's loop, or the channel closes with the change's
     * error. The loop never waits for the cluster.
     */
    void afterCommit(java.util.concurrent.CompletableFuture<?> change, AmqpMethod method, Runnable onOk) {
        afterAnswer(change, method, v -> onOk.run());
    }

    /**
     * As {@link #afterCommit}, for an answer with a value (a queue on another node answered over
     * the cluster link): {@code onOk} takes it on this connection's loop.
     */
    <T> void afterAnswer(java.util.concurrent.CompletableFuture<T> answer, AmqpMethod method,
                         java.util.function.Consumer<T> onOk) {
        // an answer completed later on this very loop (a cluster link sharing it) is handled at once: a
        // delivery right behind a consume's answer must not overtake its basic.consume-ok
        java.util.concurrent.atomic.AtomicBoolean registering = new java.util.concurrent.atomic.AtomicBoolean(true);
        answer.whenComplete((v, failure) -> runOnLoop(!registering.get(), () -> {
            if (!isOpen()) {
                return; // closed meanwhile: nobody to answer
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause == null) {
                try {
                    onOk.accept(v);
                } catch (ChannelException e) { // e.g. a lookup made again after the answer still misses
                    closeWithError(e, method.classId(), method.methodId());
                }
            } else if (cause instanceof ChannelException e) {
                closeWithError(e, method.classId(), method.methodId());
            } else {
                closeWithError(new ChannelException(io.warren.codec.AmqpConstants.INTERNAL_ERROR,
                        "INTERNAL_ERROR - " + cause.getClass().getSimpleName()), method.classId(), method.methodId());
            }
        }));
        registering.set(false);
    }

    private void runOnLoop(boolean inlineIfOnLoop, Runnable task) {
        if (inlineIfOnLoop && connection.ctx().executor().inEventLoop()) {
            task.run();
        } else {
            connection.ctx().executor().execute(task);
        }
    }

    private void closeWithError(ChannelException e, Frame cause) {
        int classId = 0;
        int methodId = 0;
        if (cause instanceof MethodFrame mf) {
            classId = mf.method().classId();
            methodId = mf.method().methodId();
        } else {
            classId = BasicPublish.CLASS_ID;
            methodId = BasicPublish.METHOD_ID;
        }
        closeWithError(e, classId, methodId);
    }

    private void closeWithError(ChannelException e, int classId, int methodId) {
        LOG.info("channel {} on {}: {}", id, connection.remote(), e.replyText());
        release();
        closing = true;
        send(new ChannelClose(e.replyCode(), e.replyText(), classId, methodId));
    }

    private void handleMethod(AmqpMethod m) {
        switch ((m.classId() << KEY_SHIFT) | m.methodId()) {
            case (ChannelClose.CLASS_ID << KEY_SHIFT) | ChannelClose.METHOD_ID -> {
                release();
                send(new ChannelCloseOk());
                connection.channelClosed(id);
            }
            case (ChannelCloseOk.CLASS_ID << KEY_SHIFT) | ChannelCloseOk.METHOD_ID -> { }
            case (ChannelOpen.CLASS_ID << KEY_SHIFT) | ChannelOpen.METHOD_ID ->
                    throw ConnectionException.channelError("second 'channel.open' seen");
            case (ChannelFlow.CLASS_ID << KEY_SHIFT) | ChannelFlow.METHOD_ID -> flow((ChannelFlow) m);
            case (AccessRequest.CLASS_ID << KEY_SHIFT) | AccessRequest.METHOD_ID -> send(new AccessRequestOk(1));
            case (ExchangeDeclare.CLASS_ID << KEY_SHIFT) | ExchangeDeclare.METHOD_ID ->
                    topology.exchangeDeclare((ExchangeDeclare) m);
            case (ExchangeDelete.CLASS_ID << KEY_SHIFT) | ExchangeDelete.METHOD_ID ->
                    topology.exchangeDelete((ExchangeDelete) m);
            case (ExchangeBind.CLASS_ID << KEY_SHIFT) | ExchangeBind.METHOD_ID -> topology.exchangeBind((ExchangeBind) m);
            case (ExchangeUnbind.CLASS_ID << KEY_SHIFT) | ExchangeUnbind.METHOD_ID ->
                    topology.exchangeUnbind((ExchangeUnbind) m);
            case (QueueDeclare.CLASS_ID << KEY_SHIFT) | QueueDeclare.METHOD_ID -> topology.queueDeclare((QueueDeclare) m);
            case (QueueBind.CLASS_ID << KEY_SHIFT) | QueueBind.METHOD_ID -> topology.queueBind((QueueBind) m);
            case (QueueUnbind.CLASS_ID << KEY_SHIFT) | QueueUnbind.METHOD_ID -> topology.queueUnbind((QueueUnbind) m);
            case (QueuePurge.CLASS_ID << KEY_SHIFT) | QueuePurge.METHOD_ID -> topology.queuePurge((QueuePurge) m);
            case (QueueDelete.CLASS_ID << KEY_SHIFT) | QueueDelete.METHOD_ID -> topology.queueDelete((QueueDelete) m);
            case (BasicPublish.CLASS_ID << KEY_SHIFT) | BasicPublish.METHOD_ID -> publishing.publish((BasicPublish) m);
            case (BasicQos.CLASS_ID << KEY_SHIFT) | BasicQos.METHOD_ID -> consuming.qos((BasicQos) m);
            case (BasicConsume.CLASS_ID << KEY_SHIFT) | BasicConsume.METHOD_ID -> {
                BasicConsume c = (BasicConsume) m;
                if (DirectReplyTo.isPseudoQueue(c.queue())) {
                    replyTo.consume(c);
                } else {
                    topology.withQueue(c.queue(), c, q -> {
                        access.readQueue(q.name());
                        consuming.consume(c, q);
                    });
                }
            }
            case (BasicCancel.CLASS_ID << KEY_SHIFT) | BasicCancel.METHOD_ID -> {
                BasicCancel c = (BasicCancel) m;
                if (replyTo.cancel(c.consumerTag())) {
                    if (!c.noWait()) {
                        send(new BasicCancelOk(c.consumerTag()));
                    }
                } else {
                    consuming.cancel(c);
                }
            }
            case (BasicGet.CLASS_ID << KEY_SHIFT) | BasicGet.METHOD_ID -> {
                BasicGet g = (BasicGet) m;
                topology.withQueue(g.queue(), g, q -> {
                    access.readQueue(q.name());
                    consuming.get(g, q);
                });
            }
            case (BasicAck.CLASS_ID << KEY_SHIFT) | BasicAck.METHOD_ID -> consuming.ack((BasicAck) m);
            case (BasicReject.CLASS_ID << KEY_SHIFT) | BasicReject.METHOD_ID -> consuming.reject((BasicReject) m);
            case (BasicNack.CLASS_ID << KEY_SHIFT) | BasicNack.METHOD_ID -> consuming.nack((BasicNack) m);
            case (BasicRecover.CLASS_ID << KEY_SHIFT) | BasicRecover.METHOD_ID -> {
                consuming.recover(((BasicRecover) m).requeue());
                send(new BasicRecoverOk());
            }
            case (BasicRecoverAsync.CLASS_ID << KEY_SHIFT) | BasicRecoverAsync.METHOD_ID ->
                    consuming.recover(((BasicRecoverAsync) m).requeue());
            case (ConfirmSelect.CLASS_ID << KEY_SHIFT) | ConfirmSelect.METHOD_ID -> {
                publishing.selectConfirms();
                if (!((ConfirmSelect) m).noWait()) {
                    send(new ConfirmSelectOk());
                }
            }
            case (TxSelect.CLASS_ID << KEY_SHIFT) | TxSelect.METHOD_ID -> txSelect();
            case (TxCommit.CLASS_ID << KEY_SHIFT) | TxCommit.METHOD_ID -> txCommit();
            case (TxRollback.CLASS_ID << KEY_SHIFT) | TxRollback.METHOD_ID -> txRollback();
            default -> throw ConnectionException.commandInvalid("unexpected method " + m.name() + " on channel " + id);
        }
    }

    Transaction transaction() {
        return transaction;
    }

    private void txSelect() {
        if (publishing.confirmMode()) {
            throw ChannelException.preconditionFailed("cannot switch from confirm to tx mode");
        }
        if (transaction == null) {
            transaction = new Transaction();
        }
        send(new TxSelectOk());
    }

    private Transaction requireTransaction() {
        if (transaction == null) {
            throw ChannelException.preconditionFailed("channel is not transactional");
        }
        return transaction;
    }

    private void txCommit() {
        Transaction tx = requireTransaction();
        for (Transaction.Publish p : tx.publishes()) {
            publishing.deliver(p.exchange(), p.message(), p.mandatory());
        }
        for (Transaction.Settlement s : tx.settlements()) {
            consuming.apply(s.deliveries(), s.requeue(), s.rejected());
        }
        tx.clear();
        send(new TxCommitOk());
    }

    private void txRollback() {
        Transaction tx = requireTransaction();
        for (Transaction.Settlement s : tx.settlements()) {
            consuming.restoreUnacked(s.deliveries());
        }
        tx.clear();
        send(new TxRollbackOk());
    }

    private void flow(ChannelFlow m) {
        if (!m.active()) {
            throw ConnectionException.notImplemented("active=false");
        }
        send(new ChannelFlowOk(true));
    }

    // ---- called by queues and the connection -------------------------------------------------

    /**
     * From any thread: a queue reserved this entry for consumer {@code c} (and charged the delivery
     * window, see {@link ChannelConsumer#reserved}). Hand-overs from other
     * loops are batched: they queue up and one task delivers them all, so a busy consumer loop
     * is woken once per batch rather than once per message. The queue is multi-producer FIFO, so
     * each source queue's order is kept.
     */
    void deliverFromQueue(ChannelConsumer c, AmqpQueue q, QueueEntry e) {
        if (connection.ctx().executor().inEventLoop()) {
            // hand-overs from other loops were reserved earlier: they must go out first
            if (!handOver.isEmpty()) {
                drainHandOvers();
            }
            if (handOver.isEmpty()) {
                consuming.deliver(c, q, e);
                return;
            }
            // the earlier ones wait for the socket to drain: this one waits behind them
        }
        handOver.offer(new HandOver(c, q, e));
        if (!drainScheduled.get() && drainScheduled.compareAndSet(false, true)) {
            connection.ctx().executor().execute(drainTask);
        }
    }

    /**
     * Writes the hand-overs while the client reads; the rest wait for the socket to drain
     * ({@link #resumeDeliveries}), bounded by the connection's {@link DeliveryWindow}.
     */
    private void drainHandOvers() {
        drainScheduled.set(false);
        HandOver h;
        while (writeAllowed() && (h = handOver.poll()) != null) {
            consuming.deliver(h.consumer(), h.queue(), h.entry());
        }
    }

    private record HandOver(ChannelConsumer consumer, AmqpQueue queue, QueueEntry entry) {
    }

    DirectReplyTo replyTo() {
        return replyTo;
    }

    /** From any thread: a reply for this channel's direct reply-to consumer. */
    void deliverReply(Message msg) {
        Runnable task = () -> {
            if (isOpen() && replyTo.active()) {
                replyTo.deliver(msg, consuming.nextDeliveryTag());
            }
        };
        if (connection.ctx().executor().inEventLoop()) {
            task.run();
        } else {
            connection.ctx().executor().execute(task);
        }
    }

    void consumerCancelledByBroker(ChannelConsumer c) {
        if (connection.ctx().executor().inEventLoop()) {
            consuming.cancelledByBroker(c);
        } else {
            connection.ctx().executor().execute(() -> consuming.cancelledByBroker(c));
        }
    }

    /** From any thread: {@code replacement} serves the queue {@code old} served {@code c} from. */
    void consumerMoved(ChannelConsumer c, AmqpQueue old, AmqpQueue replacement) {
        connection.ctx().executor().execute(() -> consuming.move(c, old, replacement));
    }

    public void endOfReadBatch() {
        if (!isOpen()) {
            return;
        }
        publishing.flushConfirms();
        consuming.endOfReadBatch();
    }

    /** On this channel's loop: a consumer delivery's content was written (or dropped). */
    void deliveryWritten(int cost) {
        connection.deliveryWindow().written(cost);
    }

    /**
     * The socket drained or the delivery window opened again: first what waited (bodies read back,
     * hand-overs), then let the queues deliver more.
     */
    public void resumeDeliveries() {
        contentWriter.drain();
        drainHandOvers();
        if (isOpen() && writeAllowed()) {
            consuming.resumeAll();
        }
    }

    /** Cancels consumers and requeues unacked deliveries; idempotent. */
    public void release() {
        if (!open) {
            return;
        }
        open = false;
        publishing.reset();
        replyTo.release();
        if (transaction != null) { // uncommitted acks never happened: those messages get requeued
            transaction.settlements().forEach(st -> consuming.restoreUnacked(st.deliveries()));
            transaction.clear();
        }
        consuming.release();
        // what waited for the socket is dropped now (a no-ack delivery's message settles, its window frees);
        // deliveries still waiting go back to their queues
        contentWriter.drain();
        drainHandOvers();
    }
}
