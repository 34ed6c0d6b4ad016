package io.warren.management.http;

/**
 * An API error answered as RabbitMQ answers it: a status and {@code {"error": ..., "reason": ...}}.
 * The reason is usually a string, but RabbitMQ sometimes sends a list (e.g. {@code ["not_int","priority"]}).
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String error;
    private final Object reason;

    public ApiException(int status, String error, Object reason) {
        super(status + " " + error + ": " + reason, null, false, false);
        this.status = status;
        this.error = error;
        this.reason = reason;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public Object reason() {
        return reason;
    }

    public static ApiException notFound() {
        return new ApiException(404, "Object Not Found", "Not Found");
    }

    public static ApiException vhostNotFound() {
        return new ApiException(404, "not_found", "vhost_not_found");
    }

    public static ApiException badRequest(Object reason) {
        return new ApiException(400, "bad_request", reason);
    }

    /** Authenticated but not allowed (RabbitMQ says 401 here; 403 is what the status means). */
    public static ApiException forbidden(String reason) {
        return new ApiException(403, "not_authorised", reason);
    }
}
