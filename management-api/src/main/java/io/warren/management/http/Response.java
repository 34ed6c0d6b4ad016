package io.warren.management.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers: a status, optional extra headers, and a JSON value or raw bytes. */
public final class Response {
    private final int status;
    private final Object json;
    private final byte[] raw;
    private final String contentType;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Response(int status, Object json, byte[] raw, String contentType) {
        this.status = status;
        this.json = json;
        this.raw = raw;
        this.contentType = contentType;
    }

    /** 200 with a value Jackson serialises. */
    public static Response json(Object value) {
        return new Response(200, value, null, "application/json");
    }

    public static Response json(int status, Object value) {
        return new Response(status, value, null, "application/json");
    }

    /** A status without a body (201, 204 ...). */
    public static Response empty(int status) {
        return new Response(status, null, null, null);
    }

    public static Response raw(int status, byte[] body, String contentType) {
        return new Response(status, null, body, contentType);
    }

    /** 201 when the object was created, 204 when it already existed (RabbitMQ's PUT answers). */
    public static Response createdOrExisted(boolean created) {
        return empty(created ? 201 : 204);
    }

    public Response header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public Object json() {
        return json;
    }

    public byte[] raw() {
        return raw;
    }

    public String contentType() {
        return contentType;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
