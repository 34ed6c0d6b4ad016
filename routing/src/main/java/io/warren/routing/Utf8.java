package io.warren.routing;

import java.nio.charset.StandardCharsets;

/**
 * Compares a Java String with raw bytes as RabbitMQ would compare two binaries: by their UTF-8 encoding.
 * Done char by char so that the headers hot path does not encode (allocate) per comparison.
 */
final class Utf8 {

    private Utf8() {
    }

    /** True if {@code bytes} is exactly {@code s.getBytes(UTF_8)}. */
    static boolean sameBytes(String s, byte[] bytes) {
        int n = s.length();
        int j = 0;
        for (int i = 0; i < n; i++) {
            int c = s.charAt(i);
            if (c < 0x80) {
                if (j >= bytes.length || bytes[j++] != (byte) c) {
                    return false;
                }
                continue;
            }
            if (Character.isSurrogate((char) c)) {
                // Rare: fall back to the JDK encoder so unpaired surrogates are handled identically.
                return java.util.Arrays.equals(s.getBytes(StandardCharsets.UTF_8), bytes);
            }
            if (c < 0x800) {
                if (j + 2 > bytes.length
                        || bytes[j] != (byte) (0xC0 | (c >> 6))
                        || bytes[j + 1] != (byte) (0x80 | (c & 0x3F))) {
                    return false;
                }
                j += 2;
            } else {
                if (j + 3 > bytes.length
                        || bytes[j] != (byte) (0xE0 | (c >> 12))
                        || bytes[j + 1] != (byte) (0x80 | ((c >> 6) & 0x3F))
                        || bytes[j + 2] != (byte) (0x80 | (c & 0x3F))) {
                    return false;
                }
                j += 3;
            }
        }
        return j == bytes.length;
    }
}
