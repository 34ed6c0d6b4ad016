package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.interop.WarrenBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A vhost's {@code default_queue_type} as RabbitMQ 3.11+ documents it (RabbitMQ 3.10.8 ignores the
 * field: GET shows "undefined" and declares stay classic, so this runs on Warren only): a durable
 * declare without {@code x-queue-type} makes a quorum queue, non-durable and exclusive ones stay
 * classic, a redeclare without the argument matches, and the setting is kept in definitions.
 */
class DefaultQueueTypeTest extends ManagementTestBase {
    private String vhost;

    @BeforeEach
    void warrenOnly() {
        assumeFalse(WarrenBroker.external(), "RabbitMQ 3.10 has no default_queue_type (a 3.11+ setting)");
    }

    @AfterEach
    void dropVhost() throws Exception {
        if (vhost != null) {
            http("DELETE", "/api/vhosts/" + enc(vhost), null);
        }
    }

    private Connection connectTo(String v) throws Exception {
        ConnectionFactory f = factory();
        f.setVirtualHost(v);
        return track(f.newConnection());
    }

    @Test
    void aDurableDeclareWithoutTypeMakesAQuorumQueueInAQuorumDefaultVhost() throws Exception {
        vhost = uniqueName("dqt");
        assertEquals(201, http("PUT", "/api/vhosts/" + enc(vhost), "{\"default_queue_type\":\"quorum\"}").statusCode());
        assertEquals(201, http("PUT", "/api/permissions/" + enc(vhost) + "/guest",
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}").statusCode());
        JsonNode v = getJson("/api/vhosts/" + enc(vhost));
        assertEquals("quorum", v.get("default_queue_type").asText());
        assertEquals("quorum", v.get("metadata").get("default_queue_type").asText());
        assertEquals("undefined", getJson("/api/vhosts/%2F").get("default_queue_type").asText());

        Channel c = connectTo(vhost).createChannel();
        c.queueDeclare("durable", true, false, false, null);
        c.queueDeclare("transient", false, false, false, null);
        String exclusive = c.queueDeclare("", false, true, true, null).getQueue();
        c.queueDeclare("durable", true, false, false, null); // a redeclare without the argument matches
        c.confirmSelect();
        c.basicPublish("", "durable", null, new byte[]{1});
        c.waitForConfirmsOrDie(30_000);
        assertEquals(1, c.queueDeclarePassive("durable").getMessageCount());

        JsonNode q = getJson("/api/queues/" + enc(vhost) + "/durable");
        assertEquals("quorum", q.get("type").asText());
        assertEquals("quorum", q.get("arguments").get("x-queue-type").asText(), "shown as RabbitMQ 3.11+ adds it");
        assertEquals("classic", getJson("/api/queues/" + enc(vhost) + "/transient").get("type").asText());
        assertEquals("classic", getJson("/api/queues/" + enc(vhost) + "/" + enc(exclusive)).get("type").asText());

        JsonNode exported = null;
        for (JsonNode e : getJson("/api/definitions").get("vhosts")) {
            if (e.get("name").asText().equals(vhost)) {
                exported = e;
            }
        }
        assertEquals("quorum", exported.get("default_queue_type").asText());

        assertEquals(400, http("PUT", "/api/vhosts/" + enc(vhost), "{\"default_queue_type\":\"lazy\"}").statusCode());
        assertEquals("quorum", getJson("/api/vhosts/" + enc(vhost)).get("default_queue_type").asText());
    }

    @Test
    void definitionsImportSetsTheDefaultQueueType() throws Exception {
        vhost = uniqueName("dqt-import");
        String file = "{\"vhosts\":[{\"name\":\"" + vhost + "\",\"metadata\":{\"default_queue_type\":\"quorum\"}}],"
                + "\"permissions\":[{\"user\":\"guest\",\"vhost\":\"" + vhost + "\",\"configure\":\".*\","
                + "\"write\":\".*\",\"read\":\".*\"}],"
                + "\"queues\":[{\"name\":\"imported\",\"vhost\":\"" + vhost + "\",\"durable\":true,"
                + "\"auto_delete\":false,\"arguments\":{}}]}";
        int status = http("POST", "/api/definitions", file).statusCode();
        assertEquals(true, status == 201 || status == 204, "import answered " + status);
        assertEquals("quorum", getJson("/api/vhosts/" + enc(vhost)).get("default_queue_type").asText());
        assertEquals("quorum", getJson("/api/queues/" + enc(vhost) + "/imported").get("type").asText(),
                "the imported queue without x-queue-type follows the vhost's default (RabbitMQ 3.11+)");
        Channel c = connectTo(vhost).createChannel();
        c.queueDeclare("imported", true, false, false, Map.of());
    }
}
