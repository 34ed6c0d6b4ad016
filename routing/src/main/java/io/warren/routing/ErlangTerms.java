package io.warren.routing;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints decoded field values the way RabbitMQ's {@code ~tp} does in its error texts, so that Warren's
 * 406 replies read byte for byte like RabbitMQ's. Checked against RabbitMQ 3.10.8 (OTP 25):
 * <ul>
 *   <li>a long string or byte array is {@code <<"text">>} when every byte is printable Latin-1
 *       (0x20-0x7E, 0xA0-0xFF, or \n \r \t \v \b \f \e, which are escaped), otherwise the byte list
 *       {@code <<230,151,165>>}. So "héllo" (UTF-8 bytes C3 A9 are printable Latin-1) prints as text but
 *       "日本" (bytes 0x80-0x9F appear) prints as numbers; the empty string is {@code <<>>}.</li>
 *   <li>void is {@code undefined}, booleans {@code true}/{@code false}, decimals {@code {Scale,Unscaled}},
 *       arrays {@code [{signedint,1},{longstr,<<"a">>}]}, tables {@code [{<<"k">>,longstr,<<"v">>}]}.</li>
 * </ul>
 * The text is never wrapped (RabbitMQ does not wrap it either); truncating a reply text to the 255 bytes of
 * a short string is the broker's job.
 */
public final class ErlangTerms {

    private ErlangTerms() {
    }

    /** The AMQP type name RabbitMQ uses for a value ({@code signedint}, {@code longstr}, ...). */
    public static String typeName(Object v) {
        if (v == null) {
            return "void";
        }
        if (v instanceof String) {
            return "longstr";
        }
        if (v instanceof byte[]) {
            return "binary";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Byte) {
            return "byte";
        }
        if (v instanceof Short) {
            return "short";
        }
        if (v instanceof Integer) {
            return "signedint";
        }
        if (v instanceof Long) {
            return "long";
        }
        if (v instanceof Float) {
            return "float";
        }
        if (v instanceof Double) {
            return "double";
        }
        if (v instanceof BigDecimal) {
            return "decimal";
        }
        if (v instanceof List<?>) {
            return "array";
        }
        if (v instanceof Map<?, ?>) {
            return "table";
        }
        // Codec records (unsigned ints, timestamps): guess RabbitMQ's name from the class name.
        String name = v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        for (String known : new String[] {"timestamp", "unsignedbyte", "unsignedshort", "unsignedint"}) {
            if (name.contains(known)) {
                return known;
            }
        }
        return name;
    }

    /** {@code ~tp} of a decoded value. */
    static String format(Object v) {
        StringBuilder sb = new StringBuilder();
        append(sb, v);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("undefined");
        } else if (v instanceof String s) {
            appendBinary(sb, s.getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof byte[] b) {
            appendBinary(sb, b);
        } else if (v instanceof Float f) {
            sb.append(formatFloat(f.doubleValue()));
        } else if (v instanceof Double d) {
            sb.append(formatFloat(d));
        } else if (v instanceof BigDecimal d) {
            sb.append('{').append(d.scale()).append(',').append(d.unscaledValue()).append('}');
        } else if (v instanceof List<?> list) {
            sb.append('[');
            for (Iterator<?> i = list.iterator(); i.hasNext(); ) {
                Object e = i.next();
                sb.append('{').append(typeName(e)).append(',');
                append(sb, e);
                sb.append('}');
                if (i.hasNext()) {
                    sb.append(',');
                }
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> map) {
            sb.append('[');
            for (Iterator<? extends Map.Entry<?, ?>> i = map.entrySet().iterator(); i.hasNext(); ) {
                Map.Entry<?, ?> e = i.next();
                sb.append('{');
                appendBinary(sb, String.valueOf(e.getKey()).getBytes(StandardCharsets.UTF_8));
                sb.append(',').append(typeName(e.getValue())).append(',');
                append(sb, e.getValue());
                sb.append('}');
                if (i.hasNext()) {
                    sb.append(',');
                }
            }
            sb.append(']');
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else {
            Number n = CodecIntegers.unwrap(v);
            sb.append(n != null ? n : v);
        }
    }

    private static void appendBinary(StringBuilder sb, byte[] bytes) {
        if (bytes.length == 0) {
            sb.append("<<>>");
            return;
        }
        if (printableLatin1(bytes)) {
            sb.append("<<\"");
            // Decoded as UTF-8 so the broker's UTF-8 encoding of the text gives back RabbitMQ's raw bytes.
            String text = new String(bytes, StandardCharsets.UTF_8);
            for (int i = 0; i < text.length(); i++) {
                appendEscaped(sb, text.charAt(i));
            }
            sb.append("\">>");
            return;
        }
        sb.append("<<");
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(bytes[i] & 0xFF);
        }
        sb.append(">>");
    }

    /** io_lib:printable_latin1_list/1 over the bytes. */
    private static boolean printableLatin1(byte[] bytes) {
        for (byte b : bytes) {
            int c = b & 0xFF;
            boolean ok = (c >= 0x20 && c <= 0x7E) || c >= 0xA0
                    || c == '\n' || c == '\r' || c == '\t' || c == 0x0B || c == '\b' || c == '\f' || c == 0x1B;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static void appendEscaped(StringBuilder sb, char c) {
        switch (c) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 0x0B -> sb.append("\\v");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case 0x1B -> sb.append("\\e");
            default -> sb.append(c);
        }
    }

    /**
     * An approximation: Erlang prints the shortest exact form with a lower-case exponent (1.0, 0.1, 1.0e20),
     * Java's shortest form switches to an exponent at other magnitudes (1.0E7). Only a float x-match reaches
     * this, which neither amqp-client nor Pika users send in practice.
     */
    private static String formatFloat(double d) {
        return Double.toString(d).replace('E', 'e');
    }
}
