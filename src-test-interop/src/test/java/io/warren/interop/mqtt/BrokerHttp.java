package io.warren.interop.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The management API of a broker under test, as guest. Against an external broker (RabbitMQ with its management
 * plugin) the port comes from {@code -Dwarren.test.httpPort}; without it the tests that need it are skipped.
 */
final class BrokerHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final WarrenBroker broker;

    BrokerHttp(WarrenBroker broker) {
        this.broker = broker;
    }

    int port() {
        if (WarrenBroker.external()) {
            Integer p = Integer.getInteger("warren.test.httpPort");
            assumeTrue(p != null, "external broker without -Dwarren.test.httpPort");
            return p;
        }
        return broker.httpPort();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "guest:guest".getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET that must answer 200, as JSON. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send("GET", path, null);
        if (r.statusCode() != 200) {
            fail("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Publishes through the API (which no resource alarm blocks) to amq.topic in vhost /. */
    void publishToAmqTopic(String routingKey, String payload) throws IOException, InterruptedException {
        String body = JSON.createObjectNode().put("routing_key", routingKey).put("payload", payload)
                .put("payload_encoding", "string").set("properties", JSON.createObjectNode()).toString();
        HttpResponse<String> r = send("POST", "/api/exchanges/%2F/amq.topic/publish", body);
        assertEquals(200, r.statusCode(), r.body());
    }

    /** Polls a GET until the predicate holds (connections come and go asynchronously); fails after 10 s. */
    JsonNode await(String path, Predicate<JsonNode> until) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            last = get(path);
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        return fail("GET " + path + " never matched; last answer: " + last);
    }

    /**
     * The connection in /api/connections whose client properties carry this MQTT client id; waits for it (Warren
     * lists a connection at once, RabbitMQ's statistics lag a few seconds), fails after 10 s.
     */
    JsonNode mqttConnection(String clientId) throws Exception {
        JsonNode all = await("/api/connections", cs -> find(cs, clientId) != null);
        return find(all, clientId);
    }

    private static JsonNode find(JsonNode connections, String clientId) {
        for (JsonNode c : connections) {
            if (clientId.equals(c.path("client_properties").path("client_id").asText())) {
                return c;
            }
        }
        return null;
    }
}
