package io.warren.broker.persist;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.codec.FieldTables;

import java.util.Base64;
import java.util.Map;

/**
 * Arguments are stored as AMQP field-table bytes (base64 in the JSON record), not as JSON values:
 * that keeps every type exactly (a long stays a long, a byte array stays bytes), which argument
 * equivalence checks after a restart depend on.
 */
public final class ArgumentCodec {
    private ArgumentCodec() {
    }

    public static String encode(Map<String, Object> args) {
        ByteBuf buf = Unpooled.buffer();
        try {
            FieldTables.write(buf, args == null ? Map.of() : args);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        } finally {
            buf.release();
        }
    }

    public static Map<String, Object> decode(String b64) {
        if (b64 == null || b64.isEmpty()) {
            return Map.of();
        }
        ByteBuf buf = Unpooled.wrappedBuffer(Base64.getDecoder().decode(b64));
        try {
            return FieldTables.read(buf);
        } finally {
            buf.release();
        }
    }
}
