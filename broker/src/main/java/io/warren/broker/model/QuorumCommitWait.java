package io.warren.broker.model;

import io.warren.broker.error.ChannelException;
import io.warren.codec.AmqpConstants;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a quorum queue's client-facing commands that answer with a result (basic.get, queue.purge)
 * wait for the group's commit: bounded, and turned into the channel error the client gets.
 */
final class QuorumCommitWait {
    /** How long basic.get and queue.purge wait for the group to commit before answering 541. */
    static final long COMMIT_WAIT_MILLIS = 5000;

    private QuorumCommitWait() {
    }

    /** The command's result once committed, or the channel error to answer with. */
    static CompletableFuture<long[]> committed(Object queue, CompletableFuture<long[]> f) {
        return f.orTimeout(COMMIT_WAIT_MILLIS, TimeUnit.MILLISECONDS).handle((r, failure) -> {
            if (failure == null) {
                return r;
            }
            Throwable c = QuorumQueue.cause(failure);
            if (c instanceof TimeoutException) {
                throw new ChannelException(AmqpConstants.INTERNAL_ERROR, "INTERNAL_ERROR - no majority of " + queue
                        + "'s members committed within " + COMMIT_WAIT_MILLIS + " ms");
            }
            throw new ChannelException(AmqpConstants.INTERNAL_ERROR, "INTERNAL_ERROR - " + c.getMessage());
        });
    }

    /** Waits (bounded by {@link #committed}) and rethrows the channel error as it is. */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ChannelException ce) {
                throw ce;
            }
            throw e;
        }
    }
}
