package io.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.warren.management.http.ApiException;
import io.warren.management.http.Json;
import io.warren.management.model.AdminException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading request bodies with RabbitMQ's error reasons: a field of the wrong type is
 * {@code ["not_boolean","yes"]}, missing required keys are {@code "[{key_missing,ackmode}]"}.
 */
final class BodyFields {
    private BodyFields() {
    }

    static boolean bool(JsonNode body, String field, boolean dflt) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual() && (n.textValue().equals("true") || n.textValue().equals("false"))) {
            return Boolean.parseBoolean(n.textValue());
        }
        throw ApiException.badRequest(List.of("not_boolean", n.isTextual() ? n.textValue() : n.toString()));
    }

    static String string(JsonNode body, String field, String dflt) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        return n.isTextual() ? n.textValue() : n.toString();
    }

    static int integer(JsonNode body, String field, int dflt) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (n.canConvertToInt() && n.isIntegralNumber()) {
            return n.intValue();
        }
        if (n.isTextual()) {
            try {
                return Integer.parseInt(n.textValue().trim());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw ApiException.badRequest(List.of("not_int", field));
    }

    /** A JSON object as a plain map (JSON numbers become Integer/Long/Double, objects maps, arrays lists). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull() || (n.isArray() && n.isEmpty())) {
            return new LinkedHashMap<>(); // RabbitMQ's own answers write an empty table as []
        }
        if (!n.isObject()) {
            throw ApiException.badRequest(List.of("not_table", field));
        }
        return Json.MAPPER.convertValue(n, LinkedHashMap.class);
    }

    /** 400 with RabbitMQ's reason when any of the keys is absent. */
    static void require(JsonNode body, String... keys) {
        List<String> missing = new ArrayList<>();
        for (String k : keys) {
            if (!body.has(k)) {
                missing.add("{key_missing," + k + "}");
            }
        }
        if (!missing.isEmpty()) {
            throw ApiException.badRequest("[" + String.join(",", missing) + "]");
        }
    }

    /** A refused declare/delete: 404, 403, or 400 with the text after "NAME - ", as RabbitMQ shows it. */
    static ApiException declareError(AdminException e) {
        return switch (e.replyCode()) {
            case 404 -> ApiException.notFound();
            case 403 -> ApiException.forbidden(e.detail());
            default -> ApiException.badRequest(e.detail());
        };
    }

    /** A refused publish or get: 400 with the whole AMQP reply, e.g. "404 NOT_FOUND - no exchange ...". */
    static ApiException operationError(AdminException e) {
        return ApiException.badRequest(e.replyCode() + " " + e.replyText());
    }
}
