package io.warren.broker.admin;

import io.warren.management.model.ChurnCounters;
import io.warren.management.model.MessageCounters;

import java.util.concurrent.atomic.LongAdder;

/**
 * Broker-wide message counters, bumped on the hot path by every channel. LongAdder keeps that
 * cheap under contention (each thread adds to its own cell); reading sums the cells, which only
 * the management API and metrics do.
 */
public final class BrokerCounters {
    private final LongAdder publish = new LongAdder();
    private final LongAdder deliver = new LongAdder();
    private final LongAdder deliverNoAck = new LongAdder();
    private final LongAdder get = new LongAdder();
    private final LongAdder getNoAck = new LongAdder();
    private final LongAdder getEmpty = new LongAdder();
    private final LongAdder ack = new LongAdder();
    private final LongAdder redeliver = new LongAdder();
    private final LongAdder confirm = new LongAdder();
    private final LongAdder returnUnroutable = new LongAdder();
    private final LongAdder dropUnroutable = new LongAdder();
    // lifecycle, not per message
    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder connectionsClosed = new LongAdder();
    private final LongAdder channelsOpened = new LongAdder();
    private final LongAdder channelsClosed = new LongAdder();
    private final LongAdder authSucceeded = new LongAdder();
    private final LongAdder authFailed = new LongAdder();

    /** A message arrived from a publisher (or the management API). */
    public void published() {
        publish.increment();
    }

    /** A message reached no queue: returned if mandatory, else dropped. */
    public void unroutable(boolean mandatory) {
        (mandatory ? returnUnroutable : dropUnroutable).increment();
    }

    public void delivered(boolean noAck, boolean redelivered) {
        (noAck ? deliverNoAck : deliver).increment();
        if (redelivered) {
            redeliver.increment();
        }
    }

    public void got(boolean noAck, boolean redelivered) {
        (noAck ? getNoAck : get).increment();
        if (redelivered) {
            redeliver.increment();
        }
    }

    public void getEmpty() {
        getEmpty.increment();
    }

    public void acked(int count) {
        ack.add(count);
    }

    public void confirmed(long count) {
        confirm.add(count);
    }

    /** A client connection was accepted ({@code true}) or has gone ({@code false}). */
    public void connection(boolean opened) {
        (opened ? connectionsOpened : connectionsClosed).increment();
    }

    /** A channel was opened ({@code true}) or closed, by either side or with its connection ({@code false}). */
    public void channel(boolean opened) {
        (opened ? channelsOpened : channelsClosed).increment();
    }

    /** An AMQP login succeeded or was refused. */
    public void authAttempt(boolean succeeded) {
        (succeeded ? authSucceeded : authFailed).increment();
    }

    /** The lifecycle counts; the queue counts, kept by the vhosts, are added by the caller. */
    public ChurnCounters churn(long queuesDeclared, long queuesCreated, long queuesDeleted) {
        return new ChurnCounters(connectionsOpened.sum(), connectionsClosed.sum(), channelsOpened.sum(),
                channelsClosed.sum(), queuesDeclared, queuesCreated, queuesDeleted, authSucceeded.sum(),
                authFailed.sum());
    }

    public MessageCounters snapshot() {
        return new MessageCounters(publish.sum(), deliver.sum(), deliverNoAck.sum(), get.sum(), getNoAck.sum(),
                getEmpty.sum(), ack.sum(), redeliver.sum(), confirm.sum(), returnUnroutable.sum(),
                dropUnroutable.sum());
    }
}
