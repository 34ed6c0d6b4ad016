package io.warren.management.api;

import io.warren.management.ManagementServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
        assertTrue(r.body().contains("rabbitmq_global_messages_received_total{protocol=\"amqp091\"} 10.0"), r.body());
        assertTrue(r.body().contains("jvm_memory_used_bytes{area=\"heap\"}"));
        HttpResponse<String> perObject = get("/metrics/per-object", false);
        assertEquals(200, perObject.statusCode());
        assertTrue(perObject.body().contains("rabbitmq_queue_messages_ready{queue=\"q\\\"1\",vhost=\"/\"} 0.0"),
                perObject.body());
    }

    @Test
    void unknownFileIs404() throws Exception {
        assertEquals(404, get("/nothing-here.js", false).statusCode());
        assertEquals(404, get("/../etc/passwd", false).statusCode());
    }

    /**
     * Sends a request head and the first bytes of its body on a raw socket, and reads the answer (head and
     * Content-Length body). An answer that waits for the rest of the body never comes: the read times out.
     * {@code thenClosed}: also asserts that the server closes the connection after answering.
     */
    private String rawHead(String head, boolean thenClosed) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write("{\"users\":[".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (!got.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
                int b = in.read();
                assertTrue(b >= 0, "closed before answering: " + got);
                got.write(b);
            }
            String text = got.toString(StandardCharsets.US_ASCII);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
            if (m.find()) {
                got.write(in.readNBytes(Integer.parseInt(m.group(1))));
            }
            if (thenClosed) {
                assertEquals(-1, in.read(), "connection left open");
            }
            return got.toString(StandardCharsets.US_ASCII);
        }
    }

    @Test
    void bodyWithoutLoginIsRefusedAtTheHeadWithoutReadingIt() throws Exception {
        String noAuth = rawHead("POST /api/definitions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 10000000\r\n\r\n", true);
        assertTrue(noAuth.startsWith("HTTP/1.1 401 "), noAuth);
        assertTrue(noAuth.contains("WWW-Authenticate: Basic realm=\"RabbitMQ Management\""), noAuth);
        String badAuth = rawHead("PUT /api/queues/%2F/q HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Authorization: Basic " + Base64.getEncoder().encodeToString("guest:wrong".getBytes())
                + "\r\nTransfer-Encoding: chunked\r\n\r\n", true);
        assertTrue(badAuth.startsWith("HTTP/1.1 401 "), badAuth);
        assertTrue(badAuth.contains("Login failed"), badAuth);
        assertNull(admin.imported);
        assertTrue(admin.queues.isEmpty());
    }

    /** A client still sending a big body when refused gets the 401, not a connection reset. */
    @Test
    void wrongPasswordWithABigBodyStillReads401() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                            + "/api/definitions")).header("Content-Type", "application/json")
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("guest:wrong".getBytes()))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"users\":[" + " ".repeat(8_000_000) + "]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode(), r.body());
            assertTrue(r.body().contains("Login failed"), r.body());
        }
        assertNull(admin.imported);
    }

    @Test
    void bodyAboveTheLimitIs413EvenWhenLoggedIn() throws Exception {
        String r = rawHead("POST /api/definitions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Authorization: Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes())
                + "\r\nContent-Length: 100000000\r\n\r\n", false);
        assertTrue(r.startsWith("HTTP/1.1 413 "), r);
    }

    @Test
    void loggedInBodiesStillWork() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/queues/%2F/q1")).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes()))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"durable\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(admin.queues.get("q1").durable());
    }
}
