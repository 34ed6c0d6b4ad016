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
     * A recovered message without its body (read back from the store when it is delivered).
     * Strings equal to {@code previous}'s are shared, so a backlog recovers into few objects.
     */
    static Message decodeOnDisk(byte[] meta, int bodySize, long storeId, long location, Message previous) {
        ByteBuffer b = ByteBuffer.wrap(meta);
        String exchange = new String(take(b), StandardCharsets.UTF_8);
        String key = new String(take(b), StandardCharsets.UTF_8);
        byte[] props = take(b);
        if (previous != null) {
            exchange = exchange.equals(previous.exchange()) ? previous.exchange() : exchange;
            key = key.equals(previous.routingKey()) ? previous.routingKey() : key;
            props = java.util.Arrays.equals(props, previous.rawProperties()) ? previous.rawProperties() : props;
        }
        Message m = Message.onDisk(exchange, key, props, bodySize, storeId, location);
        if (b.remaining() >= 8) {
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
