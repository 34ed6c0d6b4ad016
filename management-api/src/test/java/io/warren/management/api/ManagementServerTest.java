package io.warren.management.api;

import io.warren.management.ManagementServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real Netty listener: HTTP framing, keep-alive, /metrics and the static files. */
class ManagementServerTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FakeAdmin admin;
    private ManagementServer server;

    @BeforeEach
    void start() throws Exception {
        admin = new FakeAdmin();
        server = new ManagementServer(admin, "127.0.0.1", 0).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, boolean auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5));
        if (auth) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes()));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesApiOverHttp() throws Exception {
        HttpResponse<String> r = get("/api/overview", true);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        assertTrue(r.body().contains("\"rabbitmq_version\""));
        assertEquals(401, get("/api/overview", false).statusCode());
    }

    @Test
    void metricsNeedNoCredentials() throws Exception {
        admin.declareQueue("/", "q\"1", false, false, java.util.Map.of());
        HttpResponse<String> r = get("/metrics", false);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(r.body().contains("rabbitmq_queue_messages_ready{vhost=\"/\",queue=\"q\\\"1\"} 0"), r.body());
        assertTrue(r.body().contains("rabbitmq_global_messages_received_total 10"));
        assertTrue(r.body().contains("jvm_memory_used_bytes{area=\"heap\"}"));
    }

    @Test
    void unknownFileIs404() throws Exception {
        assertEquals(404, get("/nothing-here.js", false).statusCode());
        assertEquals(404, get("/../etc/passwd", false).statusCode());
    }
}
