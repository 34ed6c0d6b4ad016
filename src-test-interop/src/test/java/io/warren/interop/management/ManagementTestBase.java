package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.interop.InteropTestBase;
import io.warren.interop.WarrenBroker;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The management API of the broker under test, over real HTTP. Against an external broker
 * ({@code -Dwarren.test.port}) the HTTP port comes from {@code -Dwarren.test.httpPort} (e.g. RabbitMQ with
 * the management plugin); without it these tests are skipped.
 */
abstract class ManagementTestBase extends InteropTestBase {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static int httpPort() {
        if (WarrenBroker.external()) {
            Integer p = Integer.getInteger("warren.test.httpPort");
            assumeTrue(p != null, "external broker without -Dwarren.test.httpPort");
            return p;
        }
        return WarrenBroker.shared().httpPort();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static HttpResponse<String> http(String method, String path, String body, String user, String pass)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> http(String method, String path, String body) throws IOException, InterruptedException {
        return http(method, path, body, "guest", "guest");
    }

    /** GET that must answer 200; the body as JSON. */
    static JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http("GET", path, null);
        if (r.statusCode() != 200) {
            fail("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** Polls a GET until the predicate holds (connection and queue state change asynchronously). */
    static JsonNode await(String path, Predicate<JsonNode> until) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> r = http("GET", path, null);
            if (r.statusCode() == 200) {
                last = JSON.readTree(r.body());
                if (until.test(last)) {
                    return last;
                }
            }
            Thread.sleep(50);
        }
        return fail("GET " + path + " never matched; last answer: " + last);
    }
}
