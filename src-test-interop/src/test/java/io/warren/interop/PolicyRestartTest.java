package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** A policy is a durable definition: after a restart it is listed and applies to recovered queues again. */
class PolicyRestartTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated();

    @BeforeEach
    void onlyWarren() {
        assumeFalse(WarrenBroker.external(), "restarts the broker process");
    }

    private static HttpResponse<String> http(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + broker.httpPort() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("guest:guest"
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void policySurvivesRestartAndAppliesToRecoveredQueues() throws Exception {
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            ch.queueDeclare("pr.q", true, false, false, null);
        }
        assertEquals(201, http("PUT", "/api/policies/%2F/pr.limit",
                "{\"pattern\":\"^pr\\\\.\",\"definition\":{\"max-length\":2},\"priority\":4,\"apply-to\":\"queues\"}")
                .statusCode());
        assertEquals(201, http("PUT", "/api/policies/%2F/pr.gone", "{\"pattern\":\"^zz\",\"definition\":{\"expires\":9000}}")
                .statusCode());
        assertEquals(204, http("DELETE", "/api/policies/%2F/pr.gone", null).statusCode());
        broker.restart();
        String list = http("GET", "/api/policies/%2F", null).body();
        assertTrue(list.contains("\"name\":\"pr.limit\"") && list.contains("\"priority\":4"), list);
        assertTrue(!list.contains("pr.gone"), list);
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            for (int i = 0; i < 5; i++) {
                ch.basicPublish("", "pr.q", null, new byte[] {(byte) i});
            }
            long deadline = System.currentTimeMillis() + 5_000;
            while (ch.messageCount("pr.q") < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(100);
            assertEquals(2, ch.messageCount("pr.q"));
        }
    }
}
