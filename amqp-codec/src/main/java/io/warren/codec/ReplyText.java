package io.warren.codec;

import java.nio.charset.StandardCharsets;

/**
 * The reply-text of channel.close and connection.close is a shortstr (at most 255 bytes), but an error text
 * quotes names that may themselves be 255 bytes long. RabbitMQ (rabbit_binary_generator,
 * amqp_exception_explanation) sends such a text as its first 252 bytes followed by "..."; so does Warren, except
 * that it never cuts a multi-byte UTF-8 character in half (RabbitMQ would send invalid UTF-8 there).
 */
public final class ReplyText {
    static final int MAX_BYTES = 255;
    private static final String ELLIPSIS = "...";

    private ReplyText() {
    }

    /** The text as it fits a shortstr; texts of at most 255 UTF-8 bytes (and null) are returned unchanged. */
    public static String fit(String text) {
        if (text == null || text.length() * 3 <= MAX_BYTES) {
            return text; // a char is at most 3 UTF-8 bytes (a surrogate pair is 2 chars for 4 bytes)
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BYTES) {
            return text;
        }
        int end = MAX_BYTES - ELLIPSIS.length();
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // bytes[end] would start the cut-off part: step back to the start of its character
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8) + ELLIPSIS;
    }
}
