package io.warren.broker.persist;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The durable definitions' records as JSON objects, read and written with jackson-core's streaming parser and
 * generator. Values are what JSON has: strings, numbers (read back as Integer, Long or BigInteger when whole,
 * Double otherwise, as Jackson's ObjectMapper does), booleans, null, lists and maps with string keys.
 *
 * <p>Why not ObjectMapper: the broker writes a record for every durable queue, exchange and binding, and
 * jackson-databind loads ~400 classes for it that then stay loaded for the broker's life (metaspace, symbols,
 * compiled code: several MiB of resident memory); the management API still loads it when it serves a request.
 */
final class JsonRecords {
    private final JsonFactory factory = new JsonFactory();

    byte[] write(Map<String, Object> record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = factory.createGenerator(out)) {
            writeValue(g, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The JSON object in {@code bytes}; fails on anything else (an array, a bare value, text after it). */
    Map<String, Object> read(byte[] bytes) {
        try (JsonParser p = factory.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a durable definition record is not a JSON object");
            }
            Map<String, Object> record = readObject(p);
            if (p.nextToken() != null) {
                throw new IOException("text after a durable definition record's JSON object");
            }
            return record;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else if (v instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("no JSON form for a " + v.getClass().getName() + " in a durable definition");
        }
    }

    /** Reads the members of an object whose START_OBJECT was just read, up to and including its END_OBJECT. */
    private static Map<String, Object> readObject(JsonParser p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            m.put(name, readValue(p, p.nextToken()));
        }
        return m;
    }

    private static Object readValue(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            throw new IOException("a durable definition record ends early");
        }
        switch (t) {
            case START_OBJECT:
                return readObject(p);
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    list.add(readValue(p, e));
                }
                return list;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getNumberValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + t + " in a durable definition record");
        }
    }
}
