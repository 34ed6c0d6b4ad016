package io.warren.broker.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Records written before JsonRecords (by Jackson's ObjectMapper) read back the same, and the other way round. */
class JsonRecordsTest {
    private final JsonRecords records = new JsonRecords();
    private final ObjectMapper mapper = new ObjectMapper();

    private static Map<String, Object> sample() {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("max-length", 10);
        definition.put("message-ttl", 60_000L * 60 * 24 * 365 * 100); // beyond an int
        definition.put("ratio", 0.25);
        definition.put("dead-letter-exchange", "dlx \"quoted\" \u00e9\u4e2d\ud83d\ude00");
        definition.put("nothing", null);
        definition.put("huge", new BigInteger("123456789012345678901234567890"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "q");
        m.put("durable", true);
        m.put("auto_delete", false);
        m.put("tags", List.of("administrator", "monitoring"));
        m.put("definition", definition);
        m.put("empty", Map.of());
        m.put("nested", List.of(List.of(1, 2), List.of()));
        return m;
    }

    @Test
    void whatObjectMapperWroteReadsTheSame() throws Exception {
        byte[] old = mapper.writeValueAsBytes(sample());
        assertEquals(mapper.readValue(old, Map.class), records.read(old));
        assertEquals(sample(), records.read(old));
    }

    @Test
    void whatItWritesObjectMapperReadsTheSame() throws Exception {
        byte[] written = records.write(sample());
        assertEquals(sample(), mapper.readValue(written, Map.class));
        assertEquals(sample(), records.read(written));
        assertEquals(new ArrayList<>(sample().keySet()), new ArrayList<>(records.read(written).keySet()), "member order kept");
    }

    @Test
    void numbersComeBackAsTheNarrowestWholeTypeOrDouble() {
        Map<String, Object> r = records.read(bytes("{\"i\":7,\"l\":8589934592,\"b\":18446744073709551616,\"d\":1.5,\"e\":1e3}"));
        assertEquals(List.of(Integer.class, Long.class, BigInteger.class, Double.class, Double.class),
                r.values().stream().map(Object::getClass).toList());
    }

    @Test
    void refusesWhatIsNotOneObject() {
        for (String bad : Arrays.asList("[1]", "\"text\"", "{\"a\":1} {}", "{\"a\":[1,2", "{\"a\":", "", "{\"a\" 1}")) {
            assertThrows(UncheckedIOException.class, () -> records.read(bytes(bad)), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> records.write(Map.of("when", new java.util.Date())));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
