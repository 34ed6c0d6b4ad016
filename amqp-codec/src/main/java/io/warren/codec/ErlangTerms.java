package io.warren.codec;

/**
 * Formats bytes the way RabbitMQ's error texts show them (Erlang's {@code ~tp} of a binary), so that reply texts
 * read like RabbitMQ's: {@code <<1,0,10>>}, or {@code <<"abc">>} when every byte is printable.
 */
public final class ErlangTerms {
    private ErlangTerms() {
    }

    public static String binary(byte[] bytes) {
        return binary(bytes, 0, bytes.length);
    }

    public static String binary(byte[] bytes, int offset, int length) {
        StringBuilder sb = new StringBuilder(length * 4 + 4).append("<<");
        if (length > 0 && printable(bytes, offset, length)) {
            sb.append('"');
            for (int i = offset; i < offset + length; i++) {
                char c = (char) bytes[i];
                if (c == '"' || c == '\\') {
                    sb.append('\\');
                }
                sb.append(c);
            }
            sb.append('"');
        } else {
            for (int i = offset; i < offset + length; i++) {
                if (i > offset) {
                    sb.append(',');
                }
                sb.append(bytes[i] & 0xFF);
            }
        }
        return sb.append(">>").toString();
    }

    private static boolean printable(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0x20 || bytes[i] > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
