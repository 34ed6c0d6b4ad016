package io.warren.management.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.warren.management.model.UserInfo;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** One API request after routing: path parameters decoded, query parsed, body buffered. */
public final class Request {
    private final String method;
    private final Map<String, String> params;
    private final Map<String, List<String>> query;
    private final HttpHeaders headers;
    private final byte[] body;
    private final Viewer viewer;

    public Request(String method, Map<String, String> params, Map<String, List<String>> query, HttpHeaders headers,
                   byte[] body, Viewer viewer) {
        this.method = method;
        this.params = params;
        this.query = query;
        this.headers = headers;
        this.body = body;
        this.viewer = viewer;
    }

    public String method() {
        return method;
    }

    /** A decoded path parameter, e.g. {@code vhost} in {@code /api/queues/{vhost}}. */
    public String param(String name) {
        return params.get(name);
    }

    /** The first value of a query parameter, or null. */
    public String query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public boolean queryFlag(String name) {
        return "true".equals(query(name));
    }

    public String header(String name) {
        return headers.get(name);
    }

    public UserInfo user() {
        return viewer.user();
    }

    /** The caller's rights (vhost visibility, resource permissions). */
    public Viewer viewer() {
        return viewer;
    }

    public byte[] body() {
        return body;
    }

    /** The body as JSON; an empty body reads as {@code {}}. A body that is not JSON is 400 not_json. */
    public JsonNode json() {
        if (body.length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n == null ? JsonNodeFactory.instance.objectNode() : n;
        } catch (IOException e) {
            throw ApiException.badRequest("not_json");
        }
    }

    /** The body as a JSON object (400 otherwise). */
    public JsonNode jsonObject() {
        JsonNode n = json();
        if (!n.isObject()) {
            throw ApiException.badRequest("not_json");
        }
        return n;
    }
}
