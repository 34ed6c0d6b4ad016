package io.warren.broker.stream;

import io.warren.codec.BasicProperties;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The x-stream-offset header spliced into raw properties decodes as if the properties had been re-encoded. */
class StreamWriterTest {

    private static BasicProperties props(String contentType, String encoding, Map<String, Object> headers, String appId) {
        return new BasicProperties(contentType, encoding, headers, 2, null, "c", null, null, null, null, null, null,
                appId, null);
    }

    @Test
    void theOffsetHeaderJoinsWhateverPropertiesThereAre() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("i", 7);
        BasicProperties[] cases = {
            BasicProperties.EMPTY,
            props(null, null, null, null),
            props("text/plain", null, null, "app"),
            props("text/plain", "gzip", h, "app"),
            props(null, null, Map.of(), null),
            props(null, "utf8", Map.of("x-stream-offset", "the publisher's"), null),
        };
        for (BasicProperties p : cases) {
            BasicProperties out = BasicProperties.decode(StreamWriter.withOffset(p.encode(), 1L << 40));
            Map<String, Object> expected = p.headers() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(p.headers());
            expected.put("x-stream-offset", 1L << 40);
            assertEquals(expected, out.headers(), p.toString());
            assertEquals(p.contentType(), out.contentType());
            assertEquals(p.contentEncoding(), out.contentEncoding());
            assertEquals(p.appId(), out.appId());
            assertEquals(p.correlationId(), out.correlationId());
            assertEquals(p.deliveryMode(), out.deliveryMode());
        }
    }
}
