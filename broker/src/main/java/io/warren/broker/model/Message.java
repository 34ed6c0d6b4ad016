package io.warren.broker.model;

import io.warren.codec.BasicProperties;

/**
 * One published message, immutable and shared (not copied) by every queue it was routed to.
 * The content header's property bytes are kept exactly as the publisher sent them so a delivery
 * writes them back byte for byte without re-encoding.
 */
public final class Message {
    private final String exchange;
    private final String routingKey;
    private final byte[] rawProperties;
    private final byte[] body;
    private BasicProperties properties; // decoded on first use only; benign race (idempotent decode)
    private volatile long storeId;      // message id in the durable store; 0 = not stored
    private long publishedAt = System.currentTimeMillis(); // TTLs count from here, across restarts too

    public Message(String exchange, String routingKey, byte[] rawProperties, byte[] body) {
        this.exchange = exchange;
        this.routingKey = routingKey;
        this.rawProperties = rawProperties;
        this.body = body;
    }

    /** A message the broker built itself (a dead letter): its properties are known already. */
    Message(String exchange, String routingKey, BasicProperties properties, byte[] body) {
        this(exchange, routingKey, properties.encode(), body);
        this.properties = properties;
    }

    public String exchange() {
        return exchange;
    }

    public String routingKey() {
        return routingKey;
    }

    public byte[] rawProperties() {
        return rawProperties;
    }

    public byte[] body() {
        return body;
    }

    public int bodySize() {
        return body.length;
    }

    public BasicProperties properties() {
        BasicProperties p = properties;
        if (p == null) {
            p = BasicProperties.decode(rawProperties);
            properties = p;
        }
        return p;
    }

    public long publishedAt() {
        return publishedAt;
    }

    /** Recovery: the original publish time, from the store. */
    public void publishedAt(long epochMillis) {
        this.publishedAt = epochMillis;
    }

    /** The id under which the message store keeps this message, 0 if it is not stored. */
    public long storeId() {
        return storeId;
    }

    public void storeId(long id) {
        this.storeId = id;
    }

    /** delivery_mode 2. Peeks the property flags first, so most transient messages are not decoded. */
    public boolean persistent() {
        if (rawProperties.length < 2 || (rawProperties[0] & 0x10) == 0) { // bit 12: delivery-mode present
            return false;
        }
        Integer mode = properties().deliveryMode();
        return mode != null && mode == 2;
    }
}
