package io.warren.interop.management;

import io.warren.interop.WarrenBroker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A routing key or exchange name longer than 255 bytes cannot be written into basic.deliver, so a message carrying
 * one would fail every delivery at the head of its queue (a poison message). Over AMQP both are shortstrs; these are
 * the ways around that through the management API, and each must be refused before a message can carry it.
 * RabbitMQ 3.10 accepts them and then closes every consumer and basic.get of that queue with 541, so this runs
 * against Warren only.
 */
class UndeliverableMessageTest extends ManagementTestBase {
    private static final String TOO_LONG = "k".repeat(256);

    @BeforeEach
    void onlyWarren() {
        assumeFalse(WarrenBroker.external(), "RabbitMQ 3.10 accepts these and then cannot deliver the message");
    }

    @Test
    void anApiPublishWithALongRoutingKeyIsRefusedAndTheQueueStaysUsable() throws Exception {
        String x = exchangeName();
        String q = declareQueue();
        ch.exchangeDeclare(x, "fanout");
        ch.queueBind(q, x, "");
        HttpResponse<String> r = http("POST", "/api/exchanges/%2F/" + enc(x) + "/publish",
                "{\"properties\":{},\"routing_key\":\"" + TOO_LONG + "\",\"payload\":\"poison\",\"payload_encoding\":\"string\"}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("routing key is longer than 255 bytes"), r.body());

        // 255 bytes is fine, and the queue delivers it (the refused one never got in front of it)
        String longest = "é".repeat(127) + "k";
        r = http("POST", "/api/exchanges/%2F/" + enc(x) + "/publish", "{\"properties\":{},\"routing_key\":\"" + longest
                + "\",\"payload\":\"fine\",\"payload_encoding\":\"string\"}");
        assertEquals(200, r.statusCode(), r.body());
        var got = getOrFail(ch, q, true);
        assertEquals("fine", new String(got.getBody(), StandardCharsets.UTF_8));
        assertEquals(longest, got.getEnvelope().getRoutingKey());
        assertNull(ch.basicGet(q, true));
    }

    @Test
    void aPolicyWithALongDeadLetterRoutingKeyIsRefused() throws Exception {
        String name = uniqueName("pol.long-dlrk");
        HttpResponse<String> r = http("PUT", "/api/policies/%2F/" + enc(name), "{\"pattern\":\"^nothing-matches$\","
                + "\"definition\":{\"dead-letter-exchange\":\"amq.fanout\",\"dead-letter-routing-key\":\"" + TOO_LONG
                + "\"},\"priority\":0,\"apply-to\":\"queues\"}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("is not a valid dead letter routing key"), r.body());
        assertEquals(404, http("GET", "/api/policies/%2F/" + enc(name), null).statusCode());
    }

    @Test
    void aQueueDeclaredOverTheApiWithALongDeadLetterRoutingKeyIsRefused() throws Exception {
        String q = queueName();
        HttpResponse<String> r = http("PUT", "/api/queues/%2F/" + enc(q), "{\"durable\":false,\"arguments\":"
                + "{\"x-dead-letter-exchange\":\"amq.fanout\",\"x-dead-letter-routing-key\":\"" + TOO_LONG + "\"}}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("longer than 255 bytes"), r.body());
        assertEquals(404, http("GET", "/api/queues/%2F/" + enc(q), null).statusCode());
    }

    @Test
    void anExchangeNameLongerThan255BytesIsRefused() throws Exception {
        String name = "x".repeat(256);
        HttpResponse<String> r = http("PUT", "/api/exchanges/%2F/" + name, "{\"type\":\"fanout\"}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("exchange should be less than 255 bytes, actually was 256"), r.body());
        assertEquals(404, http("GET", "/api/exchanges/%2F/" + name, null).statusCode());
    }

    @Test
    void definitionsWithAnExchangeNameLongerThan255BytesAreRefused() throws Exception {
        String name = "d".repeat(256);
        HttpResponse<String> r = http("POST", "/api/definitions", "{\"exchanges\":[{\"name\":\"" + name
                + "\",\"vhost\":\"/\",\"type\":\"fanout\",\"durable\":false,\"auto_delete\":false,"
                + "\"internal\":false,\"arguments\":{}}]}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("exchange name longer than 255 bytes"), r.body());
        assertEquals(404, http("GET", "/api/exchanges/%2F/" + name, null).statusCode());
    }

    @Test
    void anApiPublishWithAPropertyLongerThanAShortstrIsABadRequest() throws Exception {
        String q = declareQueue();
        HttpResponse<String> r = http("POST", "/api/exchanges/%2F/amq.default/publish", "{\"properties\":{\"content_type\":\""
                + "t".repeat(256) + "\"},\"routing_key\":\"" + q + "\",\"payload\":\"x\",\"payload_encoding\":\"string\"}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("invalid properties"), r.body());
        assertNull(ch.basicGet(q, true));
    }
}
