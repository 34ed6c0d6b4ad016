package io.warren.broker.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.codec.FieldTables;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/** Username and password parsed from a connection.start-ok response (PLAIN or AMQPLAIN). */
public record SaslResponse(String user, byte[] password) {
    public static final String MECHANISMS = "PLAIN AMQPLAIN";

    /** Whether the broker offers this mechanism (an exact name, not a substring of {@link #MECHANISMS}). */
    public static boolean isOffered(String mechanism) {
        return "PLAIN".equals(mechanism) || "AMQPLAIN".equals(mechanism);
    }

    /** Returns null if the mechanism is unknown or the response is malformed. */
    public static SaslResponse parse(String mechanism, byte[] response) {
        if ("PLAIN".equals(mechanism)) {
            return parsePlain(response);
        }
        if ("AMQPLAIN".equals(mechanism)) {
            return parseAmqPlain(response);
        }
        return null;
    }

    /** RFC 4616: [authzid] NUL authcid NUL passwd. */
    private static SaslResponse parsePlain(byte[] r) {
        int first = indexOf(r, 0);
        int second = first < 0 ? -1 : indexOf(r, first + 1);
        if (second < 0) {
            return null;
        }
        String user = new String(r, first + 1, second - first - 1, StandardCharsets.UTF_8);
        return new SaslResponse(user, Arrays.copyOfRange(r, second + 1, r.length));
    }

    /** AMQPLAIN: a field table without its length prefix, holding LOGIN and PASSWORD. */
    private static SaslResponse parseAmqPlain(byte[] r) {
        ByteBuf buf = Unpooled.buffer(r.length + 4);
        try {
            buf.writeInt(r.length).writeBytes(r);
            Map<String, Object> table = FieldTables.read(buf);
            Object login = table.get("LOGIN");
            Object password = table.get("PASSWORD");
            if (login == null || password == null) {
                return null;
            }
            return new SaslResponse(text(login), text(password).getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null;
        } finally {
            buf.release();
        }
    }

    private static String text(Object v) {
        return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v);
    }

    private static int indexOf(byte[] a, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
