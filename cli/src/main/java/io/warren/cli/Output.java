package io.warren.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Prints as rabbitmqctl 3.10 does: informational lines ("Listing queues for vhost / ...") on
 * stdout unless --quiet or a JSON formatter is on, then a tab-separated table with a header line,
 * or with {@code --formatter json} an array written one object per line, later lines led by a comma.
 */
final class Output {
    private final PrintStream out;
    private final GlobalOptions opts;

    Output(PrintStream out, GlobalOptions opts) {
        this.out = out;
        this.opts = opts;
    }

    void info(String line) {
        if (!opts.quiet && !opts.json()) {
            out.println(line);
        }
    }

    /** Rows of JSON values under the given column names. */
    void table(List<String> columns, List<List<JsonNode>> rows) {
        if (opts.json()) {
            out.println("[");
            boolean first = true;
            for (List<JsonNode> row : rows) {
                ObjectNode o = ApiClient.JSON.createObjectNode();
                for (int i = 0; i < columns.size(); i++) {
                    o.set(columns.get(i), row.get(i));
                }
                out.println((first ? "" : ",") + write(o));
                first = false;
            }
            out.println("]");
            return;
        }
        if (!opts.noTableHeaders) {
            out.println(String.join("\t", columns));
        }
        for (List<JsonNode> row : rows) {
            List<String> cells = new ArrayList<>(row.size());
            for (JsonNode v : row) {
                cells.add(cell(v));
            }
            out.println(String.join("\t", cells));
        }
    }

    private static String write(JsonNode n) {
        try {
            return ApiClient.JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value as rabbitmqctl's table shows it: tables as {@code [{"k",v}]}, lists as {@code [a, b]}. */
    static String cell(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isObject()) {
            List<String> pairs = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                pairs.add("{\"" + e.getKey() + "\"," + erlang(e.getValue()) + "}");
            }
            return "[" + String.join(",", pairs) + "]";
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(x -> items.add(x.isTextual() ? x.textValue() : cell(x)));
            return "[" + String.join(", ", items) + "]";
        }
        return v.asText();
    }

    private static String erlang(JsonNode v) {
        if (v.isTextual()) {
            return "\"" + v.textValue() + "\"";
        }
        return cell(v);
    }
}
