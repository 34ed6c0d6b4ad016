package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.MessageProperties;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A confirming publisher's bookkeeping on one channel: message ids (the first 8 bytes of a 1 KiB
 * persistent body) by publish sequence number, and the ids the broker confirmed (basic.ack).
 * Nacked and never-answered ids are simply not confirmed.
 */
final class ConfirmTracker implements ConfirmListener {
    private final Set<Long> confirmed;
    private final NavigableMap<Long, Long> outstanding = new ConcurrentSkipListMap<>();

    ConfirmTracker(Set<Long> confirmed) {
        this.confirmed = confirmed;
    }

    ConfirmTracker() {
        this(ConcurrentHashMap.newKeySet());
    }

    Set<Long> confirmed() {
        return confirmed;
    }

    /** Puts the channel in confirm mode and listens to it. */
    ConfirmTracker on(Channel ch) throws IOException {
        ch.confirmSelect();
        ch.addConfirmListener(this);
        return this;
    }

    void publish(Channel ch, String queue, long id) throws IOException {
        outstanding.put(ch.getNextPublishSeqNo(), id);
        ch.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, body(id));
    }

    static byte[] body(long id) {
        return ByteBuffer.allocate(1024).putLong(id).array();
    }

    static long id(byte[] body) {
        return ByteBuffer.wrap(body).getLong();
    }

    @Override
    public void handleAck(long seq, boolean multiple) {
        settle(seq, multiple, true);
    }

    @Override
    public void handleNack(long seq, boolean multiple) {
        settle(seq, multiple, false);
    }

    private void settle(long seq, boolean multiple, boolean ack) {
        NavigableMap<Long, Long> done = multiple ? outstanding.headMap(seq, true) : outstanding.subMap(seq, true, seq, true);
        if (ack) {
            confirmed.addAll(done.values());
        }
        done.clear();
    }
}
