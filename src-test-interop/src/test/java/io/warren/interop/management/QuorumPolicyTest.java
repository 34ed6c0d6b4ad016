package io.warren.interop.management;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code message-ttl} and {@code expires} policies on quorum queues, as RabbitMQ 3.10 applies them. */
class QuorumPolicyTest extends ManagementTestBase {
    private final List<String> policies = new ArrayList<>();

    @AfterEach
    void dropPolicies() throws Exception {
        for (String p : policies) {
            http("DELETE", "/api/policies/%2F/" + enc(p), null);
        }
    }

    private void policy(String queue, String definition) throws Exception {
        String name = "qq-policy-" + policies.size() + "-" + queue.hashCode();
        policies.add(name);
        HttpResponse<String> r = http("PUT", "/api/policies/%2F/" + enc(name), "{\"pattern\":\"^"
                + Pattern.quote(queue).replace("\\", "\\\\") + "$\",\"apply-to\":\"queues\",\"definition\":"
                + definition + "}");
        assertTrue(r.statusCode() == 201 || r.statusCode() == 204, r.statusCode() + " " + r.body());
    }

    @Test
    void aMessageTtlPolicyExpiresMessagesOfAQuorumQueue() throws Exception {
        String dlq = queueName("dead");
        ch.queueDeclare(dlq, false, false, false, null);
        String q = queueName();
        ch.queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum", "x-dead-letter-exchange", "",
                "x-dead-letter-routing-key", dlq));
        policy(q, "{\"message-ttl\":100}");
        await("/api/queues/%2F/" + enc(q), j -> j.path("effective_policy_definition").has("message-ttl"));
        ch.confirmSelect();
        ch.basicPublish("", q, null, "short-lived".getBytes(StandardCharsets.UTF_8));
        assertTrue(ch.waitForConfirms(30_000));
        GetResponse dead = getOrFail(ch, dlq, true);
        assertEquals("short-lived", new String(dead.getBody(), StandardCharsets.UTF_8));
        @SuppressWarnings("unchecked")
        Map<String, Object> death = ((List<Map<String, Object>>) dead.getProps().getHeaders().get("x-death")).get(0);
        assertEquals("expired", death.get("reason").toString());
    }

    @Test
    void anExpiresPolicyDeletesAnUnusedQuorumQueue() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum"));
        policy(q, "{\"expires\":500}");
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            Channel probe = conn.createChannel();
            try {
                probe.queueDeclarePassive(q);
                probe.close();
                Thread.sleep(100);
            } catch (IOException e) {
                assertTrue(e.getCause().getMessage().contains("NOT_FOUND"), e.getCause().getMessage());
                return;
            }
        }
        throw new AssertionError(q + " was not deleted within 30 s of its expires policy");
    }
}
