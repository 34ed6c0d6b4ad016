package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator closes a connection with an X-Reason longer than a shortstr holds: the client still gets its
 * connection.close (320, the text cut to 252 bytes + "..." as RabbitMQ cuts reply texts) and the connection goes,
 * instead of staying in "closing" for good.
 */
class LongCloseReasonTest extends ManagementTestBase {

    @Test
    void aLongCloseReasonIsCutAndTheConnectionReallyCloses() throws Exception {
        String connName = uniqueName("long-reason");
        Connection c = track(factory().newConnection(connName));
        Channel bystander = ch; // another connection of the same user
        JsonNode conns = await("/api/connections", n -> n.toString().contains(connName));
        String name = null;
        for (JsonNode n : conns) {
            if (connName.equals(n.path("client_properties").path("connection_name").asText())) {
                name = n.get("name").asText();
            }
        }
        assertNotNull(name);

        String reason = "r".repeat(400);
        HttpRequest del = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort() + "/api/connections/"
                        + enc(name)))
                .timeout(Duration.ofSeconds(10))
                .header("X-Reason", reason)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "guest:guest".getBytes(StandardCharsets.UTF_8)))
                .DELETE().build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(del, HttpResponse.BodyHandlers.ofString());
        assertEquals(204, r.statusCode(), r.body());

        String text = awaitConnectionError(320, c);
        assertEquals(("CONNECTION_FORCED - " + reason).substring(0, 252) + "...", text);
        await("/api/connections", n -> !n.toString().contains(connName));
        assertTrue(bystander.isOpen());
        String q = queueName("bystander");
        bystander.queueDeclare(q, false, false, false, null);
        assertEquals(0, bystander.messageCount(q));
    }
}
