package io.warren.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Map;

/**
 * The basic class's content properties. Null means absent. {@link #decode(byte[])} takes the raw property bytes
 * of a content header (property-flags word(s), then the present properties in order); {@link #encode()} writes
 * them back. For every header a real client sends, encode(decode(raw)) reproduces raw byte for byte; the broker
 * should still forward the raw bytes it received and only re-encode when it changes a property.
 *
 * <p>Not reproducible (and never sent by amqp-client or Pika): continuation flag words, the reserved flag bit,
 * non-UTF-8 shortstrs, and the 'L' table tag (see {@link FieldTables}).
 */
public record BasicProperties(
        String contentType,
        String contentEncoding,
        Map<String, Object> headers,
        Integer deliveryMode,
        Integer priority,
        String correlationId,
        String replyTo,
        String expiration,
        String messageId,
        Long timestamp,
        String type,
        String userId,
        String appId,
        String clusterId) {

    public static final BasicProperties EMPTY = new BasicProperties(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    // Property-flag bits, most significant first, in the order the properties appear on the wire.
    private static final int CONTENT_TYPE = 1 << 15;
    private static final int CONTENT_ENCODING = 1 << 14;
    private static final int HEADERS = 1 << 13;
    private static final int DELIVERY_MODE = 1 << 12;
    private static final int PRIORITY = 1 << 11;
    private static final int CORRELATION_ID = 1 << 10;
    private static final int REPLY_TO = 1 << 9;
    private static final int EXPIRATION = 1 << 8;
    private static final int MESSAGE_ID = 1 << 7;
    private static final int TIMESTAMP = 1 << 6;
    private static final int TYPE = 1 << 5;
    private static final int USER_ID = 1 << 4;
    private static final int APP_ID = 1 << 3;
    private static final int CLUSTER_ID = 1 << 2;
    /** Bit 0 of a flags word says another flags word follows. */
    private static final int CONTINUATION = 1;

    /**
     * Decodes raw property bytes. Truncated or trailing bytes and malformed tables give 502 SYNTAX_ERROR.
     */
    public static BasicProperties decode(byte[] raw) {
        ByteBuf in = Unpooled.wrappedBuffer(raw);
        try {
            BasicProperties p = read(in);
            if (in.isReadable()) {
                throw syntaxError(raw, "trailing bytes after the property list");
            }
            return p;
        } catch (IndexOutOfBoundsException e) {
            throw syntaxError(raw, "truncated property list");
        } finally {
            in.release();
        }
    }

    /**
     * Checks raw property bytes without decoding them: throws exactly when {@link #decode} would (502
     * SYNTAX_ERROR), so a broker that checked a content header once can decode its properties later, anywhere,
     * without an error. Allocation-free for the common header with no properties at all.
     */
    public static void validate(byte[] raw) {
        if (raw.length == 2 && raw[0] == 0 && raw[1] == 0) {
            return; // no properties: amqp-client's and Pika's default
        }
        ByteBuf in = Unpooled.wrappedBuffer(raw);
        try {
            skip(in);
            if (in.isReadable()) {
                throw syntaxError(raw, "trailing bytes after the property list");
            }
        } catch (IndexOutOfBoundsException e) {
            throw syntaxError(raw, "truncated property list");
        } catch (FrameException e) { // from the headers table: say where it was
            throw syntaxError(raw, e.replyText().substring(e.replyText().indexOf(" - ") + 3));
        } finally {
            in.release();
        }
    }

    /** Mirrors {@link #read}: the same fields in the same order, skipped. */
    private static void skip(ByteBuf in) {
        int flags = in.readUnsignedShort();
        int word = flags;
        while ((word & CONTINUATION) != 0) {
            word = in.readUnsignedShort();
        }
        for (int bit = CONTENT_TYPE; bit > CONTINUATION; bit >>>= 1) {
            if ((flags & bit) == 0) {
                continue;
            }
            switch (bit) {
                case HEADERS -> FieldTables.skipTable(in);
                case DELIVERY_MODE, PRIORITY -> in.skipBytes(1);
                case TIMESTAMP -> in.skipBytes(8);
                case 2 -> { } // the reserved bit carries no field (read ignores it too)
                default -> Wire.skipShortStr(in);
            }
        }
    }

    private static BasicProperties read(ByteBuf in) {
        int flags = in.readUnsignedShort();
        int word = flags;
        while ((word & CONTINUATION) != 0) {
            word = in.readUnsignedShort(); // no basic property lives in a continuation word: skip them
        }
        return new BasicProperties(
                (flags & CONTENT_TYPE) != 0 ? Wire.readShortStr(in) : null,
                (flags & CONTENT_ENCODING) != 0 ? Wire.readShortStr(in) : null,
                (flags & HEADERS) != 0 ? FieldTables.read(in) : null,
                (flags & DELIVERY_MODE) != 0 ? Integer.valueOf(in.readUnsignedByte()) : null,
                (flags & PRIORITY) != 0 ? Integer.valueOf(in.readUnsignedByte()) : null,
                (flags & CORRELATION_ID) != 0 ? Wire.readShortStr(in) : null,
                (flags & REPLY_TO) != 0 ? Wire.readShortStr(in) : null,
                (flags & EXPIRATION) != 0 ? Wire.readShortStr(in) : null,
                (flags & MESSAGE_ID) != 0 ? Wire.readShortStr(in) : null,
                (flags & TIMESTAMP) != 0 ? Long.valueOf(in.readLong()) : null,
                (flags & TYPE) != 0 ? Wire.readShortStr(in) : null,
                (flags & USER_ID) != 0 ? Wire.readShortStr(in) : null,
                (flags & APP_ID) != 0 ? Wire.readShortStr(in) : null,
                (flags & CLUSTER_ID) != 0 ? Wire.readShortStr(in) : null);
    }

    /** Encodes to raw property bytes (flags word, then the present properties). */
    public byte[] encode() {
        ByteBuf out = Unpooled.buffer(64);
        try {
            writeTo(out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** Writes the raw property bytes into {@code out}. */
    public void writeTo(ByteBuf out) {
        int start = out.writerIndex();
        try {
            out.writeShort(flags());
            writeIfPresent(out, contentType);
            writeIfPresent(out, contentEncoding);
            if (headers != null) {
                FieldTables.write(out, headers);
            }
            if (deliveryMode != null) {
                Wire.writeOctet(out, deliveryMode);
            }
            if (priority != null) {
                Wire.writeOctet(out, priority);
            }
            writeIfPresent(out, correlationId);
            writeIfPresent(out, replyTo);
            writeIfPresent(out, expiration);
            writeIfPresent(out, messageId);
            if (timestamp != null) {
                out.writeLong(timestamp);
            }
            writeIfPresent(out, type);
            writeIfPresent(out, userId);
            writeIfPresent(out, appId);
            writeIfPresent(out, clusterId);
        } catch (RuntimeException e) {
            out.writerIndex(start); // leave no half-written header behind
            throw e;
        }
    }

    private int flags() {
        int f = 0;
        f |= contentType != null ? CONTENT_TYPE : 0;
        f |= contentEncoding != null ? CONTENT_ENCODING : 0;
        f |= headers != null ? HEADERS : 0;
        f |= deliveryMode != null ? DELIVERY_MODE : 0;
        f |= priority != null ? PRIORITY : 0;
        f |= correlationId != null ? CORRELATION_ID : 0;
        f |= replyTo != null ? REPLY_TO : 0;
        f |= expiration != null ? EXPIRATION : 0;
        f |= messageId != null ? MESSAGE_ID : 0;
        f |= timestamp != null ? TIMESTAMP : 0;
        f |= type != null ? TYPE : 0;
        f |= userId != null ? USER_ID : 0;
        f |= appId != null ? APP_ID : 0;
        f |= clusterId != null ? CLUSTER_ID : 0;
        return f;
    }

    private static void writeIfPresent(ByteBuf out, String s) {
        if (s != null) {
            Wire.writeShortStr(out, s);
        }
    }

    /** Whether delivery-mode is 2 (persistent). */
    public boolean persistent() {
        return deliveryMode != null && deliveryMode == 2;
    }

    public BasicProperties withHeaders(Map<String, Object> newHeaders) {
        return new BasicProperties(contentType, contentEncoding, newHeaders, deliveryMode, priority, correlationId,
                replyTo, expiration, messageId, timestamp, type, userId, appId, clusterId);
    }

    public BasicProperties withExpiration(String newExpiration) {
        return new BasicProperties(contentType, contentEncoding, headers, deliveryMode, priority, correlationId,
                replyTo, newExpiration, messageId, timestamp, type, userId, appId, clusterId);
    }

    public BasicProperties withDeliveryMode(Integer newDeliveryMode) {
        return new BasicProperties(contentType, contentEncoding, headers, newDeliveryMode, priority, correlationId,
                replyTo, expiration, messageId, timestamp, type, userId, appId, clusterId);
    }

    private static FrameException syntaxError(byte[] raw, String what) {
        return new FrameException(AmqpConstants.SYNTAX_ERROR, "SYNTAX_ERROR - cannot decode properties ("
                + what + "): " + ErlangTerms.binary(raw, 0, Math.min(raw.length, 64)));
    }
}
