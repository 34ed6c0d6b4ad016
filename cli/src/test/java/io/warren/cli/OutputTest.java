package io.warren.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** rabbitmqctl's table and JSON output shapes. */
class OutputTest {

    private static String print(GlobalOptions opts, List<String> cols, List<List<JsonNode>> rows) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Output out = new Output(new PrintStream(buf, true, StandardCharsets.UTF_8), opts);
        out.info("Listing queues for vhost / ...");
        out.table(cols, rows);
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static JsonNode v(Object o) {
        return ApiClient.JSON.valueToTree(o);
    }

    @Test
    void tableWithInfoLineAndHeader() {
        String s = print(new GlobalOptions(), List.of("name", "messages", "durable"),
                List.of(List.of(v("q1"), v(3), v(true))));
        assertEquals("Listing queues for vhost / ...\nname\tmessages\tdurable\nq1\t3\ttrue\n", s);
    }

    @Test
    void quietKeepsTheHeaderAndNoHeadersDropsIt() {
        GlobalOptions quiet = new GlobalOptions();
        quiet.quiet = true;
        assertEquals("name\nq1\n", print(quiet, List.of("name"), List.of(List.of(v("q1")))));
        quiet.noTableHeaders = true;
        assertEquals("q1\n", print(quiet, List.of("name"), List.of(List.of(v("q1")))));
    }

    @Test
    void jsonFormatterWritesOneObjectPerLine() {
        GlobalOptions json = new GlobalOptions();
        json.formatter = "json";
        String s = print(json, List.of("name", "messages"), List.of(List.of(v("a"), v(1)), List.of(v("b"), v(2))));
        assertEquals("[\n{\"name\":\"a\",\"messages\":1}\n,{\"name\":\"b\",\"messages\":2}\n]\n", s);
        assertEquals("[\n]\n", print(json, List.of("name"), List.of()));
    }

    @Test
    void cellsLookLikeRabbitmqctls() {
        assertEquals("[]", Output.cell(v(Map.of())));
        assertEquals("[{\"x-max-length\",100}]", Output.cell(v(Map.of("x-max-length", 100))));
        assertEquals("[{\"foo\",\"bar\"}]", Output.cell(v(Map.of("foo", "bar"))));
        assertEquals("[administrator]", Output.cell(v(List.of("administrator"))));
        assertEquals("", Output.cell(null));
        assertEquals("false", Output.cell(v(false)));
    }
}
