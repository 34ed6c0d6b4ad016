package io.warren.broker.channel;

import io.warren.broker.model.Message;
import io.warren.codec.BasicProperties;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RabbitMQ's sender-selected distribution: routing keys in the {@code CC} and {@code BCC} headers
 * (arrays of strings) route the message too; {@code BCC} is removed before delivery, {@code CC}
 * is kept. Only messages that carry headers are decoded.
 */
final class SenderSelectedKeys {
    private static final int HEADERS_FLAG = 1 << 13;

    /** The extra keys and the message to deliver (without BCC when it had one). */
    record Result(List<String> keys, Message message) {
    }

    private SenderSelectedKeys() {
    }

    static Result extract(Message msg) {
        byte[] raw = msg.rawProperties();
        if (raw.length < 2 || ((((raw[0] & 0xFF) << 8) | (raw[1] & 0xFF)) & HEADERS_FLAG) == 0) {
            return new Result(List.of(), msg);
        }
        BasicProperties p = msg.properties();
        Map<String, Object> headers = p.headers();
        if (headers == null || (!headers.containsKey("CC") && !headers.containsKey("BCC"))) {
            return new Result(List.of(), msg);
        }
        checkArray(headers, "CC");
        checkArray(headers, "BCC");
        List<String> keys = new ArrayList<>();
        addKeys(headers.get("CC"), keys);
        addKeys(headers.get("BCC"), keys);
        if (!headers.containsKey("BCC")) {
            return new Result(keys, msg);
        }
        Map<String, Object> kept = new LinkedHashMap<>(headers);
        kept.remove("BCC");
        byte[] props = p.withHeaders(kept).encode();
        return new Result(keys, new Message(msg.exchange(), msg.routingKey(), props, msg.body()));
    }

    /** A CC or BCC header that is not an array makes the message invalid (RabbitMQ: 406). */
    private static void checkArray(Map<String, Object> headers, String name) {
        Object v = headers.get(name);
        if (headers.containsKey(name) && !(v instanceof List)) {
            throw io.warren.broker.error.ChannelException.preconditionFailed("invalid message: {unacceptable_type_in_header,\""
                    + name + "\"," + io.warren.broker.model.Equivalence.typeName(v) + "}");
        }
    }

    /** Inside the array RabbitMQ takes the long strings and ignores other elements. */
    private static void addKeys(Object value, List<String> out) {
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    out.add(s);
                } else if (o instanceof byte[] b) {
                    out.add(new String(b, StandardCharsets.UTF_8));
                }
            }
        }
    }
}
