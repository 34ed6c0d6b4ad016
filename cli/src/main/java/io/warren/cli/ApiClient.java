package io.warren.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The broker's management API over HTTP. Transport failures become the exit codes rabbitmqctl
 * uses: node unreachable 69, timeout 75, refused credentials 77.
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Target target;
    private final Duration timeout;
    private final HttpClient http;

    ApiClient(Target target, double timeoutSeconds) {
        this.target = target;
        this.timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
        // HTTP/1.1: the default h2c upgrade attempt makes RabbitMQ's Cowboy drop POSTs with a body
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(Math.min(10, Math.max(1, (long) timeoutSeconds)))).build();
    }

    /** One answer: status and body (JSON when there is one). */
    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body.isEmpty() ? "null" : body);
            } catch (IOException e) {
                throw new CliException(CliException.SOFTWARE, "Error: the broker sent a malformed answer: " + body);
            }
        }

        /** The API's error reason, or the raw body. */
        String reason() {
            try {
                JsonNode n = JSON.readTree(body);
                return n != null && n.has("reason") ? n.get("reason").asText() : body;
            } catch (IOException e) {
                return body;
            }
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** The target node's name, as banners show it. */
    String node() {
        return target.node();
    }

    Reply send(String method, String path, String body) {
        return send(method, path, body, null);
    }

    /** {@code reason}, when given, goes in the X-Reason header (the close reason of DELETE /api/connections). */
    Reply send(String method, String path, String body, String reason) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + target.host() + ":" + target.port() + path))
                .timeout(timeout)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (target.user() + ":" + target.password()).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (reason != null) {
            b.header("X-Reason", reason);
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw unreachable();
        } catch (HttpTimeoutException e) {
            throw new CliException(CliException.TEMPFAIL, "Error: operation timed out after "
                    + timeout.toMillis() / 1000.0 + " seconds waiting for node " + target.node());
        } catch (IOException e) {
            throw unreachable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.SOFTWARE, "Error: interrupted");
        }
        Reply reply = new Reply(r.statusCode(), r.body());
        if (r.statusCode() == 401) {
            throw new CliException(CliException.NOPERM, "Error: access refused for user '" + target.user()
                    + "' on node " + target.node() + " (check --username/--password)");
        }
        if (r.statusCode() == 403) {
            throw new CliException(CliException.NOPERM, "Error: user '" + target.user() + "' may not do this: "
                    + reply.reason());
        }
        return reply;
    }

    private CliException unreachable() {
        return new CliException(CliException.UNAVAILABLE, "Error: unable to perform an operation on node '"
                + target.node() + "'. Please see diagnostics information and suggestions below.\n\n"
                + "Most common reasons for this are:\n\n"
                + " * Target node is unreachable (e.g. due to hostname resolution, TCP connection or firewall issues)\n"
                + " * Target node is not running\n"
                + " * The management HTTP port is not the one given (--port, WARRENCTL_PORT)\n");
    }

    /** GET that must succeed; anything else is an error with the API's reason. */
    JsonNode get(String path) {
        Reply r = send("GET", path, null);
        if (!r.ok()) {
            throw new CliException(r.status() == 404 ? CliException.UNAVAILABLE : CliException.SOFTWARE,
                    "Error:\n" + r.reason());
        }
        return r.json();
    }

    static String enc(String segment) {
        StringBuilder sb = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
