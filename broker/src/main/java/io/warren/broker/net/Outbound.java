package io.warren.broker.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Coalesces a connection's outbound frames into one pooled buffer until the next flush, so a
 * burst of deliveries is one buffer and one write instead of a buffer, a promise and an outbound
 * entry per frame. Used only on the connection's event loop.
 */
final class Outbound {
    private static final int CHUNK = 64 * 1024;

    private final ChannelHandlerContext ctx;
    private ByteBuf pending;
    private boolean wroteSinceTick;
    private boolean flushScheduled;
    private final Runnable scheduledFlush = () -> {
        flushScheduled = false;
        flush();
    };

    Outbound(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The buffer to append frames to, with room for at least {@code sizeHint} bytes (it grows if needed). */
    ByteBuf reserve(int sizeHint) {
        if (pending != null && pending.writableBytes() < sizeHint) {
            handOff();
        }
        if (pending == null) {
            pending = ctx.alloc().directBuffer(Math.max(CHUNK, sizeHint));
        }
        return pending;
    }

    private void handOff() {
        if (pending.isReadable()) {
            ctx.write(pending, ctx.voidPromise());
            wroteSinceTick = true;
        } else {
            pending.release();
        }
        pending = null;
    }

    void flush() {
        if (pending != null) {
            handOff();
        }
        ctx.flush();
    }

    /** Flushes after whatever else is queued on this loop, so a burst shares one write. */
    void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(scheduledFlush);
        }
    }

    /** For the heartbeat sender: was anything flushed since the last call? Resets the flag. */
    boolean takeWroteSinceTick() {
        boolean w = wroteSinceTick;
        wroteSinceTick = false;
        return w;
    }

    void discard() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
