package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /api/queues shows a quorum queue as RabbitMQ 3.10 does: type, leader (also as node), members, online. */
class QuorumQueueApiTest extends ManagementTestBase {
    @Test
    void aQuorumQueueShowsItsTypeLeaderAndMembers() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum"));
        ch.confirmSelect();
        ch.basicPublish("", q, null, new byte[]{1, 2, 3});
        assertTrue(ch.waitForConfirms(30_000));
        // RabbitMQ fills in counts and node only after its first stats interval: wait for the leader
        JsonNode json = await("/api/queues/%2F/" + enc(q), j -> j.hasNonNull("leader"));
        assertEquals("quorum", json.get("type").asText());
        String leader = json.get("leader").asText();
        if (json.has("node")) {
            assertEquals(leader, json.get("node").asText(), "a quorum queue's node is its leader's");
        }
        assertEquals(1, json.get("members").size(), "a single node: a single-member group");
        assertEquals(leader, json.get("members").get(0).asText());
        assertEquals(leader, json.get("online").get(0).asText());
        assertEquals(1, ch.queueDeclarePassive(q).getMessageCount());
        assertTrue(json.get("durable").asBoolean());
    }
}
