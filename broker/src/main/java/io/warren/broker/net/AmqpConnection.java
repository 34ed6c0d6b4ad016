package io.warren.broker.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.warren.broker.BrokerState;
import io.warren.broker.channel.AmqpChannel;
import io.warren.broker.error.AmqpException;
import io.warren.broker.error.ConnectionException;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.persist.MessagePersistence;
import io.warren.broker.model.VirtualHost;
import io.warren.codec.AmqpConstants;
import io.warren.codec.ContentBodyFrame;
import io.warren.codec.Frame;
import io.warren.codec.FrameDecoder;
import io.warren.codec.FrameException;
import io.warren.codec.FrameWriter;
import io.warren.codec.HeartbeatFrame;
import io.warren.codec.MethodFrame;
import io.warren.codec.method.AmqpMethod;
import io.warren.codec.method.ChannelOpen;
import io.warren.codec.method.ConnectionClose;
import io.warren.codec.method.ConnectionCloseOk;
import io.warren.codec.method.ConnectionUpdateSecret;
import io.warren.codec.method.ConnectionUpdateSecretOk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One AMQP connection: the handshake (delegated to {@link ConnectionHandshake}), frame dispatch to
 * its channels ({@link ConnectionChannels}), back-pressure and the close handshakes; heartbeats are
 * {@link Heartbeats}, when the socket is read {@link ReadControl}. Runs entirely on its Netty event loop. Writes
 * are not flushed one by one: inbound work is flushed once per read batch
 * ({@link #channelReadComplete}), and deliveries handed over from other loops schedule one flush
 * after whatever else is queued on this loop.
 */
public final class AmqpConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpConnection.class);
    /** RabbitMQ's SILENT_CLOSE_DELAY: a client refused before open waits this long for the close. */
    static final long SILENT_CLOSE_DELAY_MILLIS = 3_000;

    enum State { AWAITING_HEADER, HANDSHAKE, OPEN, CLOSING, CLOSED }

    private final BrokerState broker;
    private final ConnectionHandshake handshake;
    private final Set<AmqpQueue> exclusiveQueues = ConcurrentHashMap.newKeySet();
    private ChannelHandlerContext ctx;
    private FrameDecoder decoder;
    private State state = State.AWAITING_HEADER;
    // channel numbers go up to 65535 whatever channel_max is (RabbitMQ limits the count, not the id)
    private final ConnectionChannels channels;
    private int frameMax;
    private VirtualHost vhost;
    private String user;
    private Outbound outbound;
    private ConnectionLog log;
    private final Heartbeats heartbeats = new Heartbeats(this);
    private final ReadControl reads = new ReadControl(this);
    // resumes as a task of its own: the window may open inside a queue's dispatch, under its lock
    private final DeliveryWindow deliveryWindow = new DeliveryWindow(() -> ctx.executor().execute(this::resumeDeliveries));
    // for the management API: written on this loop, read there too (AdminSnapshots runs on it)
    private final long connectedAt = System.currentTimeMillis();
    private Map<String, Object> clientProperties = Map.of();
    private String authMechanism = "";
    private int heartbeat;

    public AmqpConnection(BrokerState broker) {
        this.broker = broker;
        this.channels = new ConnectionChannels(broker.counters());
        this.handshake = new ConnectionHandshake(this, broker);
    }

    // ---- accessors used by channels ---------------------------------------------------------

    public BrokerState broker() {
        return broker;
    }

    public VirtualHost vhost() {
        return vhost;
    }

    public String user() {
        return user;
    }

    public int frameMax() {
        return frameMax;
    }

    public ChannelHandlerContext ctx() {
        return ctx;
    }

    public io.netty.channel.Channel nettyChannel() {
        return ctx.channel();
    }

    public void registerExclusive(AmqpQueue q) {
        exclusiveQueues.add(q);
    }

    // ---- read accessors for the management API; call on this connection's event loop ---------

    public long connectedAt() {
        return connectedAt;
    }

    public Map<String, Object> clientProperties() {
        return clientProperties;
    }

    public String authMechanism() {
        return authMechanism;
    }

    public int heartbeat() {
        return heartbeat;
    }

    public int channelMax() {
        return channels.max();
    }

    public List<AmqpChannel> channels() {
        return channels.list();
    }

    /**
     * RabbitMQ's connection states: starting (handshake), running, blocked (by a resource alarm),
     * flow (not read because the client does not read what the broker writes, or by credit flow), closing, closed.
     */
    public String stateName() {
        return switch (state) {
            case AWAITING_HEADER, HANDSHAKE -> "starting";
            case OPEN -> reads.openStateName();
            case CLOSING -> "closing";
            case CLOSED -> "closed";
        };
    }

    void clientInfo(Map<String, Object> properties, String mechanism) {
        this.clientProperties = properties == null ? Map.of() : properties;
        this.authMechanism = mechanism;
    }

    /** Closed by an operator (management API): 320 CONNECTION_FORCED with their reason, as RabbitMQ does. */
    public void closeByAdmin(String reason) {
        ctx.executor().execute(() -> {
            if (state == State.OPEN || state == State.HANDSHAKE) {
                LOG.info("closing connection {} (user '{}') on request: {}", remote(), user, reason);
                sendCloseAndWait(AmqpConstants.CONNECTION_FORCED, "CONNECTION_FORCED - " + reason, 0, 0);
            }
        });
    }

    // ---- pipeline events -------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.outbound = new Outbound(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        broker.connections().add(this);
        broker.counters().connection(true);
        log = new ConnectionLog(broker.nextConnectionId(), ctx.channel());
        handshake.startDeadline(ctx);
        ctx.fireChannelActive();
    }

    void protocolHeaderAccepted(ChannelHandlerContext headerCtx, ProtocolHeaderHandler headerHandler) {
        // until tune-ok nothing is negotiated: frames are capped at the spec's minimum frame_max, as in
        // RabbitMQ, so a client that has not even logged in cannot make the broker buffer 128 KB frames
        decoder = new FrameDecoder(AmqpConstants.FRAME_MIN_SIZE);
        headerCtx.pipeline().replace(headerHandler, "frames", decoder);
        state = State.HANDSHAKE;
        log.accepted();
        handshake.sendStart();
        flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        heartbeats.read();
        if (!(msg instanceof Frame frame)) {
            ReferenceCountUtil.release(msg); // bytes after a refused protocol header
            return;
        }
        if (state == State.OPEN && reads.mustWait(ctx.channel().isWritable())) {
            // the client does not read what we write: whatever it asks now would only pile up
            // replies, so the frames already read wait (bounded by one read) and reading stops
            reads.defer(frame);
            updateAutoRead();
            return;
        }
        process(frame);
    }

    private void process(Frame frame) {
        try {
            handleFrame(frame);
        } catch (ConnectionException e) {
            closeWithError(e, frame);
        } catch (AmqpException e) {
            closeWithError(new ConnectionException(e.replyCode(), e.replyText()), frame);
        } catch (RuntimeException e) {
            LOG.error("internal error on connection {}", remote(), e);
            closeWithError(new ConnectionException(AmqpConstants.INTERNAL_ERROR, "INTERNAL_ERROR"), frame);
        }
    }

    /**
     * Body payloads are retained slices of the read buffer. Whoever ends a body frame's journey
     * releases it exactly once: the channel (which always does), or this class for frames it
     * does not hand on.
     */
    private static void releaseBody(Frame frame) {
        if (frame instanceof ContentBodyFrame body) {
            body.payload().release();
        }
    }

    private void handleFrame(Frame frame) {
        switch (state) {
            case HANDSHAKE -> {
                releaseBody(frame);
                handshake.handle(frame);
            }
            case OPEN -> dispatch(frame);
            case CLOSING -> closingFrame(frame);
            default -> releaseBody(frame);
        }
    }

    private void dispatch(Frame frame) {
        int id = frame.channel();
        if (frame instanceof HeartbeatFrame) {
            if (id != 0) {
                throw ConnectionException.unexpectedFrame("heartbeat frame on channel " + id);
            }
            return; // any inbound traffic resets the reader-idle timer
        }
        if (id == 0) {
            if (!(frame instanceof MethodFrame mf)) {
                releaseBody(frame);
                throw ConnectionException.unexpectedFrame("expected method frame on channel 0");
            }
            connectionMethod(mf.method());
            return;
        }
        AmqpChannel ch = channels.get(id);
        if (ch == null) {
            if (frame instanceof MethodFrame mf && mf.method() instanceof ChannelOpen) {
                channels.open(this, id).sendOpenOk();
                return;
            }
            releaseBody(frame);
            throw ConnectionException.channelError("expected 'channel.open'");
        }
        ch.handleFrame(frame);
    }

    private void connectionMethod(AmqpMethod m) {
        if (m instanceof ConnectionClose) {
            log.closed(user, vhost == null ? null : vhost.name());
            write(0, new ConnectionCloseOk());
            flush();
            state = State.CLOSED;
            ctx.close();
        } else if (m instanceof ConnectionUpdateSecret) {
            write(0, new ConnectionUpdateSecretOk());
        } else {
            throw ConnectionException.commandInvalid("unexpected method " + m.name() + " on channel 0");
        }
    }

    /** Called by a channel once its close handshake is complete (either direction). */
    public void channelClosed(int id) {
        channels.closed(id);
    }

    private void closingFrame(Frame frame) {
        releaseBody(frame);
        if (frame instanceof MethodFrame mf) {
            if (mf.method() instanceof io.warren.codec.method.ConnectionCloseOk) {
                state = State.CLOSED;
                ctx.close();
            } else if (mf.method() instanceof ConnectionClose) {
                write(0, new ConnectionCloseOk());
                flush();
                state = State.CLOSED;
                ctx.close();
            }
        }
    }

    /** Sends connection.close with the error and waits (bounded) for close-ok. */
    public void closeWithError(ConnectionException e, Frame cause) {
        if (state == State.CLOSING || state == State.CLOSED) {
            return;
        }
        int classId = 0;
        int methodId = 0;
        if (cause instanceof MethodFrame mf) {
            classId = mf.method().classId();
            methodId = mf.method().methodId();
        }
        LOG.warn("closing connection {} (user '{}'): {}", remote(), user, LogText.escape(e.replyText()));
        sendCloseAndWait(e.replyCode(), e.replyText(), classId, methodId);
    }

    private void sendCloseAndWait(int code, String text, int classId, int methodId) {
        state = State.CLOSING;
        // the deadline first: whatever happens below, a closing connection never stays open for good
        ctx.executor().schedule(() -> {
            if (ctx.channel().isActive()) {
                ctx.close();
            }
        }, 3, TimeUnit.SECONDS);
        closeAllChannels();
        write(0, new ConnectionClose(code, text, classId, methodId));
        flush();
    }

    /** Broker shutdown: connection.close 320 CONNECTION_FORCED, as RabbitMQ sends it. */
    public void forceClose(String reason) {
        ctx.executor().execute(() -> {
            if (state == State.OPEN || state == State.HANDSHAKE) {
                sendCloseAndWait(AmqpConstants.CONNECTION_FORCED,
                        "CONNECTION_FORCED - broker forced connection closure with reason '" + reason + "'", 0, 0);
            } else if (state == State.AWAITING_HEADER) {
                ctx.close();
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof FrameException fe) {
            if (state == State.HANDSHAKE) {
                closeSilently(fe.replyText()); // before open RabbitMQ tells the client nothing
            } else if (state == State.OPEN) {
                // the decoder now discards all input, so a close-ok could never be read: close
                // the socket as soon as connection.close is out
                LOG.warn("closing connection {}: {}", remote(), fe.replyText());
                state = State.CLOSING;
                closeAllChannels();
                flush();
                ByteBuf buf = ctx.alloc().buffer(64 + fe.replyText().length());
                FrameWriter.writeMethod(buf, 0, new ConnectionClose(fe.replyCode(), fe.replyText(), fe.classId(), fe.methodId()));
                ctx.writeAndFlush(buf);
                // linger before closing: closing with unread input would reset the connection and
                // could destroy the close frame in the client's receive buffer
                ctx.executor().schedule(() -> {
                    ctx.close();
                }, 1, TimeUnit.SECONDS);
            } else {
                ctx.close();
            }
            return;
        }
        if (log != null && log.tlsFailed(cause)) {
            state = State.CLOSED;
        } else if (cause instanceof java.io.IOException) {
            LOG.debug("connection {} I/O error: {}", remote(), cause.toString());
        } else {
            LOG.warn("connection {} error", remote(), cause);
            state = State.CLOSED;
        }
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            resumeDeliveries(); // content reserved earlier goes out before replies to later requests
            resumeReading();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void resumeDeliveries() {
        // a copy: a delivery that fails (store read error) closes the connection and its channels
        for (AmqpChannel ch : channels.list()) {
            ch.resumeDeliveries();
        }
    }

    /** The socket is writable again: handle the frames that waited, then read again if all went out. */
    private void resumeReading() {
        if (reads.resume(() -> state != State.OPEN || ctx.channel().isWritable(), this::process)) {
            channelReadComplete(ctx);
            updateAutoRead();
        }
    }

    /** The socket is read only while no alarm blocks this connection and its client keeps reading. */
    void updateAutoRead() {
        ctx.channel().config().setAutoRead(!readingPaused());
    }

    /** Back-pressure for queues handing deliveries to this connection's consumers (any thread). */
    public DeliveryWindow deliveryWindow() {
        return deliveryWindow;
    }

    /**
     * A persistent publish of this read was handed to the store: the store's writer waits (briefly) for the
     * rest of the read's publishes, so they share one sync. Released when the read is done.
     */
    public void holdStoreWrites(MessagePersistence persistence) {
        reads.holdStoreWrites(persistence);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reads.releaseStoreWrites();
        channels.forEach(AmqpChannel::endOfReadBatch);
        flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.OPEN || state == State.HANDSHAKE) { // no close handshake, no close of ours
            log.unexpectedlyClosed(user, vhost == null ? null : vhost.name());
        }
        state = State.CLOSED;
        reads.closed();
        heartbeats.stop();
        handshake.end();
        outbound.discard();
        closeAllChannels();
        for (AmqpQueue q : new ArrayList<>(exclusiveQueues)) {
            q.vhost().deleteQueue(q, false, false);
        }
        exclusiveQueues.clear();
        broker.connections().remove(this);
        broker.counters().connection(false);
        ctx.fireChannelInactive();
    }

    private void closeAllChannels() {
        channels.releaseAll();
    }

    // ---- called by the handshake -------------------------------------------------------------

    void opened(String user, VirtualHost vhost, int channelMax, int frameMax, int heartbeat) {
        this.user = user;
        this.vhost = vhost;
        channels.negotiated(channelMax);
        this.frameMax = frameMax;
        this.heartbeat = heartbeat;
        decoder.setMaxFrameSize(frameMax);
        heartbeats.start(ctx.executor(), heartbeat);
        state = State.OPEN;
        log.authenticated(user, vhost.name());
    }

    /** A heartbeat tick: one goes out unless something else did since the last tick. */
    void heartbeatIfIdle() {
        if (!outbound.takeWroteSinceTick()) {
            FrameWriter.writeHeartbeat(outbound.reserve(8));
            flush();
            outbound.takeWroteSinceTick();
        }
    }

    /** Whether this connection's socket is not being read (an alarm blocks it, its client does not read, credit flow). */
    boolean readingPaused() {
        return reads.paused();
    }

    /** A publish of this connection went to a congested queue: credit flow may hold this connection ({@link PublisherFlow}). */
    public void publishedToCongested(AmqpQueue q) {
        reads.publishedToCongested(q);
    }

    /** Whether any channel of this connection consumes (credit flow never holds such a connection). */
    boolean hasConsumers() {
        return channels.anyConsumes();
    }

    void missedHeartbeats() {
        LOG.warn("closing connection {}: missed heartbeats from client", remote());
        state = State.CLOSED;
        ctx.close();
    }

    void tuned(int frameMax) {
        decoder.setMaxFrameSize(frameMax);
    }

    /** Authentication or vhost failure during the handshake; logs {@code logLine} (escaped). */
    void refuse(int code, String text, int classId, int methodId, String logLine) {
        LOG.warn("refusing connection {}: {}", remote(), logLine);
        sendCloseAndWait(code, text, classId, methodId);
    }

    /**
     * Ends a connection that is not open yet without telling the client why, as RabbitMQ's reader
     * does for handshake errors (and for failed logins of clients without authentication_failure_close):
     * logs {@code logLine} (already escaped), stops reading and closes after
     * {@link #SILENT_CLOSE_DELAY_MILLIS}, so a client cannot retry logins in a tight loop.
     */
    void closeSilently(String logLine) {
        LOG.warn("closing connection {}: {}", remote(), logLine);
        state = State.CLOSING;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> {
            ctx.close();
        }, SILENT_CLOSE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The handshake deadline passed: closes the socket unless it got through connection.open (or is closing). */
    void handshakeTimedOut(String awaiting) {
        if (state == State.AWAITING_HEADER || state == State.HANDSHAKE) {
            LOG.warn("closing connection {}: handshake timeout, waiting for {}", remote(),
                    state == State.AWAITING_HEADER ? "the protocol header" : awaiting);
            state = State.CLOSED;
            ctx.close();
        }
    }

    // ---- writing -----------------------------------------------------------------------------

    public void write(int channel, AmqpMethod m) {
        FrameWriter.writeMethod(outbound.reserve(256), channel, m);
        scheduleFlush();
    }

    /**
     * The buffer to append content frames to (deliveries, returns); call {@link #scheduleFlush}
     * after writing.
     */
    public ByteBuf contentBuffer(int sizeHint) {
        return outbound.reserve(sizeHint);
    }

    /** Flushes after whatever else is queued on this loop, so a burst shares one write. */
    public void scheduleFlush() {
        outbound.scheduleFlush();
    }

    public void flush() {
        outbound.flush();
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** A resource alarm changed (any thread): publishing connections are blocked, see {@link PublisherBlock}. */
    public void alarmsChanged(boolean on, String reason) {
        if (ctx != null) {
            ctx.executor().execute(() -> reads.block().alarmsChanged(on, reason, state == State.OPEN));
        }
    }

    /** Called on every publish: the first one marks this a publishing connection. */
    public void publishing() {
        reads.block().publishing(broker.alarms());
    }

    void clientCapabilities(java.util.Map<?, ?> caps) {
        reads.block().clientCapabilities(caps);
    }

    /** Whether the client connects from a loopback address (where RabbitMQ lets guest in). */
    boolean fromLoopback() {
        return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a
                && a.getAddress() != null && a.getAddress().isLoopbackAddress();
    }

    public String remote() {
        return log != null ? log.toString() : ctx == null ? "?" : String.valueOf(ctx.channel().remoteAddress());
    }
}
