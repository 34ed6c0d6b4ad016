package io.warren.broker.model;

import io.warren.codec.BasicProperties;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageDeliveryModeTest {
    private static byte[] props(String contentType, String encoding, Map<String, Object> headers, Integer mode) {
        return new BasicProperties(contentType, encoding, headers, mode, 5, "corr", null, null, null, null, null,
                null, null, null).encode();
    }

    @Test
    void readsDeliveryModeWhateverComesBeforeIt() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("a", 1);
        headers.put("nested", Map.of("x", "y"));
        for (String ct : new String[]{null, "text/plain"}) {
            for (String enc : new String[]{null, "gzip"}) {
                for (Map<String, Object> h : new Map[]{null, Map.of(), headers}) {
                    for (Integer mode : new Integer[]{null, 1, 2}) {
                        byte[] raw = props(ct, enc, h, mode);
                        assertEquals(mode == null ? 0 : mode, Message.deliveryMode(raw), ct + " " + enc + " " + h + " " + mode);
                        assertEquals(mode != null && mode == 2, new Message("", "k", raw, new byte[0]).persistent());
                    }
                }
            }
        }
    }

    @Test
    void emptyOrTruncatedPropertiesAreNotPersistent() {
        assertFalse(new Message("", "k", new byte[0], new byte[0]).persistent());
        assertFalse(new Message("", "k", new byte[]{0x10, 0}, new byte[0]).persistent());
        assertTrue(new Message("", "k", new byte[]{0x10, 0, 2}, new byte[0]).persistent());
    }
}
