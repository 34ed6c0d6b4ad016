package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /api/consumers and /api/queues for a quorum queue's consumers, as RabbitMQ 3.10.8 shows them:
 * with single active consumer the receiving one is {@code active: true, activity_status:
 * "single_active"}, the others {@code active: false, "waiting"}; all count in the queue's
 * {@code consumers}; the queue's {@code single_active_consumer_tag} stays null for a quorum queue.
 */
class QuorumConsumerApiTest extends ManagementTestBase {
    private static JsonNode consumerOf(JsonNode all, String queue, String tag) {
        for (JsonNode c : all) {
            if (c.path("queue").path("name").asText().equals(queue) && c.path("consumer_tag").asText().equals(tag)) {
                return c;
            }
        }
        return null;
    }

    @Test
    void singleActiveConsumerShowsWhichOneIsActiveAndWhichWait() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum", "x-single-active-consumer", true));
        Channel a = conn.createChannel();
        a.basicConsume(q, false, "sac-first", new DefaultConsumer(a));
        Channel b = conn.createChannel();
        b.basicConsume(q, false, "sac-second", new DefaultConsumer(b));

        JsonNode all = await("/api/consumers/%2F", j -> consumerOf(j, q, "sac-first") != null
                && consumerOf(j, q, "sac-second") != null
                && consumerOf(j, q, "sac-first").path("activity_status").asText().equals("single_active"));
        JsonNode first = consumerOf(all, q, "sac-first");
        JsonNode second = consumerOf(all, q, "sac-second");
        assertTrue(first.get("active").asBoolean());
        assertEquals("waiting", second.get("activity_status").asText());
        assertEquals(false, second.get("active").asBoolean());

        JsonNode queue = await("/api/queues/%2F/" + enc(q), j -> j.path("consumers").asInt() == 2);
        assertFalse(queue.path("single_active_consumer_tag").isTextual(), "3.10 sets no tag for a quorum queue");

        a.basicCancel("sac-first");
        JsonNode after = await("/api/consumers/%2F", j -> consumerOf(j, q, "sac-first") == null
                && consumerOf(j, q, "sac-second") != null
                && consumerOf(j, q, "sac-second").path("activity_status").asText().equals("single_active"));
        assertTrue(consumerOf(after, q, "sac-second").get("active").asBoolean());
    }

    @Test
    void anOrdinaryQuorumConsumerIsUpWithItsPriority() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum"));
        Map<String, Object> args = new HashMap<>();
        args.put("x-priority", 5);
        ch.basicConsume(q, false, "prio-5", false, false, args, new DefaultConsumer(ch));
        JsonNode all = await("/api/consumers/%2F", j -> consumerOf(j, q, "prio-5") != null);
        JsonNode c = consumerOf(all, q, "prio-5");
        assertEquals("up", c.get("activity_status").asText());
        assertTrue(c.get("active").asBoolean());
        assertEquals(5, c.get("arguments").get("x-priority").asInt());
    }
}
