package io.warren.broker.persist;

import io.warren.broker.model.Message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** What the store keeps beside a body: exchange, routing key and the raw property bytes. */
final class MessageMeta {
    private MessageMeta() {
    }

    static byte[] encode(Message m) {
        byte[] x = m.exchange().getBytes(StandardCharsets.UTF_8);
        byte[] k = m.routingKey().getBytes(StandardCharsets.UTF_8);
        byte[] p = m.rawProperties();
        return ByteBuffer.allocate(4 + x.length + 4 + k.length + 4 + p.length + 8)
                .putInt(x.length).put(x).putInt(k.length).put(k).putInt(p.length).put(p)
                .putLong(m.publishedAt()).array();
    }

    /**
     * Reads the metadata of recovered messages one after another. When a record has the same exchange,
     * routing key and properties as the one before (a backlog from one publisher mostly does), the
     * previous strings and property bytes are kept — the same instances, so queues share them — and
     * only the publish time is read.
     */
    static final class Reader {
        String exchange;
        String routingKey;
        byte[] rawProperties;
        long publishedAt;
        private byte[] previous;

        void next(byte[] meta) {
            int routingEnd = meta.length - 8; // exchange, key and properties; the publish time follows
            byte[] p = previous;
            previous = meta;
            if (p == null || p.length != meta.length || !java.util.Arrays.equals(meta, 0, routingEnd, p, 0, routingEnd)) {
                ByteBuffer b = ByteBuffer.wrap(meta);
                exchange = new String(take(b), StandardCharsets.UTF_8);
                routingKey = new String(take(b), StandardCharsets.UTF_8);
                rawProperties = take(b);
            }
            publishedAt = ByteBuffer.wrap(meta, routingEnd, 8).getLong();
        }
    }

    private static byte[] take(ByteBuffer b) {
        byte[] out = new byte[b.getInt()];
        b.get(out);
        return out;
    }
}
