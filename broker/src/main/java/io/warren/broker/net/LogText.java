package io.warren.broker.net;

/**
 * Makes text a client chose (user names, mechanism names, vhost names in error texts) safe to put in a log
 * line: control characters (CR and LF above all, which would let a client forge whole log lines) and
 * Unicode line and paragraph separators become visible {@code \xNN} / {@code \\uNNNN} escapes, a backslash
 * is doubled so an escape cannot be faked, and the text is cut after {@value #MAX_CHARS} characters so a
 * 4 KB user name cannot flood the log. Neither the JDK nor Netty has an escaper for this (JSON
 * escapers leave DEL, C1 controls and U+2028 alone and add quoting a log line does not want).
 */
public final class LogText {
    static final int MAX_CHARS = 200;

    private LogText() {
    }

    public static String escape(String s) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), MAX_CHARS);
        StringBuilder out = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean unsafe = Character.isISOControl(c) || c == '\\' || c == '\u2028' || c == '\u2029';
            if (unsafe && out == null) {
                out = new StringBuilder(n + 16).append(s, 0, i);
            }
            if (out == null) {
                continue;
            }
            if (c == '\\') {
                out.append("\\\\");
            } else if (c <= 0xff && unsafe) {
                out.append(String.format("\\x%02x", (int) c));
            } else if (unsafe) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        String result = out == null ? s.substring(0, n) : out.toString();
        return s.length() > MAX_CHARS ? result + "...(" + s.length() + " chars)" : result;
    }
}
