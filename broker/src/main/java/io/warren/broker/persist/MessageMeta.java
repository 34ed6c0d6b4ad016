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

    static Message decode(byte[] meta, byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(meta);
        String exchange = new String(take(b), StandardCharsets.UTF_8);
        String key = new String(take(b), StandardCharsets.UTF_8);
        byte[] props = take(b);
        Message m = new Message(exchange, key, props, body);
        if (b.remaining() >= 8) { // records written before the publish time was stored lack it
            m.publishedAt(b.getLong());
        }
        return m;
    }

    /**
     * A recovered message without its body (read back from the store when it is delivered). When
     * {@code meta} has the same exchange, routing key and properties as {@code previousMeta} (a backlog
     * from one publisher mostly does), {@code previous}'s strings and property bytes are shared
     * without decoding anything but the publish time.
     */
    static Message decodeOnDisk(byte[] meta, int bodySize, long storeId, long location, byte[] previousMeta,
                                Message previous) {
        int routingEnd = meta.length - 8; // exchange, key and properties; the publish time follows
        Message m;
        if (previous != null && routingEnd > 0 && previousMeta.length == meta.length
                && java.util.Arrays.equals(meta, 0, routingEnd, previousMeta, 0, routingEnd)) {
            m = Message.onDisk(previous.exchange(), previous.routingKey(), previous.rawProperties(), bodySize, storeId,
                    location);
            m.publishedAt(ByteBuffer.wrap(meta, routingEnd, 8).getLong());
            return m;
        }
        ByteBuffer b = ByteBuffer.wrap(meta);
        String exchange = new String(take(b), StandardCharsets.UTF_8);
        String key = new String(take(b), StandardCharsets.UTF_8);
        m = Message.onDisk(exchange, key, take(b), bodySize, storeId, location);
        if (b.remaining() >= 8) { // records written before the publish time was stored lack it
            m.publishedAt(b.getLong());
        }
        return m;
    }

    private static byte[] take(ByteBuffer b) {
        byte[] out = new byte[b.getInt()];
        b.get(out);
        return out;
    }
}
