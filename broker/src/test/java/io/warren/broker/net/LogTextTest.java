package io.warren.broker.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogTextTest {
    @Test
    void plainTextIsLeftAlone() {
        String s = "bob@example.com élan ✓";
        assertSame(s, LogText.escape(s));
    }

    @Test
    void controlCharactersAndLineSeparatorsBecomeVisibleEscapes() {
        assertEquals("bob\\x0d\\x0aFORGED", LogText.escape("bob\r\nFORGED"));
        assertEquals("a\\x00b\\x1bc\\x7fd\\x85e", LogText.escape("a\0b\u001bc\u007fd\u0085e"));
        assertEquals("x\\u2028y\\u2029z", LogText.escape("x\u2028y\u2029z"));
    }

    @Test
    void aBackslashIsDoubledSoEscapesCannotBeFaked() {
        assertEquals("a\\\\x0ab", LogText.escape("a\\x0ab"));
    }

    @Test
    void longTextIsCut() {
        String s = "u".repeat(5000);
        String e = LogText.escape(s);
        assertTrue(e.startsWith("u".repeat(LogText.MAX_CHARS) + "...(5000 chars)"), e);
        assertEquals(LogText.MAX_CHARS + "...(5000 chars)".length(), e.length());
    }
}
