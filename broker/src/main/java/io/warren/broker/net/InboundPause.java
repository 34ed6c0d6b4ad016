package io.warren.broker.net;

import io.netty.util.ReferenceCountUtil;
import io.warren.codec.ContentBodyFrame;
import io.warren.codec.Frame;

import java.util.ArrayDeque;

/**
 * The frames of a connection whose client stopped reading: while its socket is not writable, the
 * broker handles no more of its requests (every one may write a reply, a confirm, a return or a
 * get-ok that could only pile up) and stops reading it. What was already read when that happened
 * (at most one read batch) waits here in order. On the connection's event loop only.
 */
final class InboundPause {
    private final ArrayDeque<Frame> waiting = new ArrayDeque<>();
    private boolean paused;

    boolean paused() {
        return paused;
    }

    void defer(Frame frame) {
        paused = true;
        waiting.addLast(frame);
    }

    /** The next waiting frame, or null. */
    Frame next() {
        return waiting.pollFirst();
    }

    /** True (and no longer paused) once every waiting frame was handled. */
    boolean resumed() {
        if (paused && waiting.isEmpty()) {
            paused = false;
            return true;
        }
        return false;
    }

    /** The connection is gone: release the body slices that waited. */
    void discard() {
        Frame f;
        while ((f = waiting.pollFirst()) != null) {
            if (f instanceof ContentBodyFrame body) {
                ReferenceCountUtil.release(body.payload());
            }
        }
        paused = false;
    }
}
