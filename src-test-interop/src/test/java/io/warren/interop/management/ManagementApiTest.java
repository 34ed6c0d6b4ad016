package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP API against the real broker process, cross-checked with an amqp-client connection. */
class ManagementApiTest extends ManagementTestBase {

    @Test
    void overviewAndNodes() throws Exception {
        // RabbitMQ's statistics lag by up to 5 s; Warren's are immediate
        JsonNode o = await("/api/overview", n -> n.path("object_totals").path("connections").asInt() >= 1);
        assertTrue(o.get("rabbitmq_version").asText().startsWith("3."));
        assertTrue(o.get("message_stats").has("publish") || o.get("message_stats").isEmpty());
        assertTrue(o.get("queue_totals").isObject());
        JsonNode nodes = getJson("/api/nodes");
        assertEquals(o.get("node").asText(), nodes.get(0).get("name").asText());
        assertTrue(nodes.get(0).get("running").asBoolean());
    }

    @Test
    void nodeReportsMemoryAndDiskAgainstTheirAlarmLevelsAndFileDescriptors() throws Exception {
        JsonNode n = getJson("/api/nodes").get(0);
        for (String f : new String[]{"mem_used", "mem_limit", "disk_free", "disk_free_limit", "fd_used", "fd_total",
                "uptime"}) {
            assertTrue(n.path(f).asLong() > 0, f + " in " + n);
        }
        // mem_limit is the high watermark the alarm uses, so the alarm is on exactly when used passes it
        assertEquals(n.get("mem_used").asLong() > n.get("mem_limit").asLong(), n.get("mem_alarm").asBoolean());
        assertEquals(n.get("disk_free").asLong() < n.get("disk_free_limit").asLong(), n.get("disk_free_alarm").asBoolean());
    }

    @Test
    void exchangeMessageStatsCountPublishInAndCopiesOut() throws Exception {
        String x = exchangeName("stats");
        String up = exchangeName("up");
        String q1 = declareQueue();
        String q2 = queueName("second");
        ch.queueDeclare(q2, false, false, false, null);
        ch.exchangeDeclare(x, "fanout");
        ch.exchangeDeclare(up, "fanout");
        JsonNode quiet = getJson("/api/exchanges/%2F/" + enc(x));
        assertFalse(quiet.has("message_stats"), "RabbitMQ shows no message_stats before traffic: " + quiet);
        ch.queueBind(q1, x, "");
        ch.queueBind(q2, x, "");
        ch.exchangeBind(x, up, "");
        ch.basicPublish(x, "", null, new byte[1]);
        ch.basicPublish(up, "", null, new byte[1]);
        awaitMessageCount(q2, 2);
        // publish_in counts what clients published to the exchange; publish_out the queue copies it
        // routed, through other exchanges too (RabbitMQ 3.10; its statistics lag by up to 5 s)
        JsonNode s = await("/api/exchanges/%2F/" + enc(x), j -> j.path("message_stats").path("publish_out").asInt() == 2)
                .get("message_stats");
        assertEquals(1, s.get("publish_in").asInt(), s.toString());
        assertTrue(s.get("publish_in_details").has("rate"));
        s = await("/api/exchanges/%2F/" + enc(up), j -> j.path("message_stats").path("publish_out").asInt() == 2)
                .get("message_stats");
        assertEquals(1, s.get("publish_in").asInt(), s.toString());
    }

    @Test
    void authFailures() throws Exception {
        HttpResponse<String> none = http("GET", "/api/overview", null, null, null);
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("www-authenticate").orElse("").startsWith("Basic"));
        HttpResponse<String> bad = http("GET", "/api/queues", null, "guest", "wrong");
        assertEquals(401, bad.statusCode());
        assertEquals("not_authorized", json(bad).get("error").asText());
        assertEquals(401, http("GET", "/api/overview", null, "nosuchuser", "x").statusCode());
    }

    @Test
    void notFoundAnswers() throws Exception {
        assertEquals(404, http("GET", "/api/queues/%2F/" + enc(uniqueName("missing")), null).statusCode());
        assertEquals(404, http("GET", "/api/queues/no-such-vhost", null).statusCode());
        assertEquals(404, http("GET", "/api/exchanges/%2F/no.such.exchange", null).statusCode());
        assertEquals(404, http("DELETE", "/api/queues/%2F/" + enc(uniqueName("missing")), null).statusCode());
        HttpResponse<String> r = http("GET", "/api/no-such-endpoint", null);
        assertEquals(404, r.statusCode());
        assertEquals("Object Not Found", json(r).get("error").asText());
        assertEquals(405, http("POST", "/api/queues", "{}").statusCode());
    }

    @Test
    void queueDeclaredOverApiIsVisibleOverAmqp() throws Exception {
        String q = queueName();
        assertEquals(201, http("PUT", "/api/queues/%2F/" + enc(q), "{\"durable\":false,\"arguments\":{}}").statusCode());
        assertEquals(204, http("PUT", "/api/queues/%2F/" + enc(q), "{\"durable\":false}").statusCode());
        AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(q);
        assertEquals(q, ok.getQueue());
        HttpResponse<String> bad = http("PUT", "/api/queues/%2F/" + enc(q), "{\"durable\":true}");
        assertEquals(400, bad.statusCode());
        assertTrue(json(bad).get("reason").asText().startsWith("inequivalent arg 'durable'"), bad.body());
    }

    @Test
    void queueDeclaredOverAmqpShowsCountsInApi() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 100));
        for (int i = 0; i < 3; i++) {
            ch.basicPublish("", q, null, ("m" + i).getBytes());
        }
        awaitMessageCount(q, 3);
        ch.basicQos(1);
        ch.basicConsume(q, false, "ctag-api", (tag, d) -> { }, tag -> { });
        JsonNode info = await("/api/queues/%2F/" + enc(q), n -> n.path("consumers").asInt() == 1
                && n.path("messages_unacknowledged").asLong() == 1 && n.path("messages").asLong() == 3);
        assertEquals(3, info.get("messages").asLong());
        assertEquals(2, info.get("messages_ready").asLong());
        assertFalse(info.get("durable").asBoolean());
        assertFalse(info.get("exclusive").asBoolean());
        assertFalse(info.get("auto_delete").asBoolean());
        assertEquals(100, info.get("arguments").get("x-max-length").asInt());
        assertEquals("running", info.get("state").asText());
        assertTrue(info.get("memory").asLong() > 0, "memory is reported");
        assertEquals("/", info.get("vhost").asText());
        JsonNode consumers = await("/api/consumers/%2F", n -> n.toString().contains("ctag-api"));
        for (JsonNode c : consumers) {
            if (c.get("consumer_tag").asText().equals("ctag-api")) {
                assertEquals(q, c.get("queue").get("name").asText());
                assertTrue(c.get("ack_required").asBoolean());
                assertEquals(1, c.get("prefetch_count").asInt());
            }
        }
        JsonNode list = getJson("/api/queues/%2F?columns=name,messages");
        assertTrue(list.toString().contains("\"name\":\"" + q + "\""));
    }

    @Test
    void publishOverApiGetOverAmqp() throws Exception {
        String q = declareQueue();
        HttpResponse<String> r = http("POST", "/api/exchanges/%2F/amq.default/publish", "{\"properties\":"
                + "{\"content_type\":\"text/plain\",\"delivery_mode\":2,\"headers\":{\"h\":\"v\",\"n\":7}},"
                + "\"routing_key\":\"" + q + "\",\"payload\":\"hello from http\",\"payload_encoding\":\"string\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(json(r).get("routed").asBoolean());
        GetResponse g = getOrFail(ch, q, true);
        assertEquals("hello from http", new String(g.getBody(), StandardCharsets.UTF_8));
        assertEquals("text/plain", g.getProps().getContentType());
        assertEquals(2, g.getProps().getDeliveryMode());
        assertEquals("v", g.getProps().getHeaders().get("h").toString());
        assertEquals(7L, ((Number) g.getProps().getHeaders().get("n")).longValue());
        HttpResponse<String> unrouted = http("POST", "/api/exchanges/%2F/amq.default/publish",
                "{\"properties\":{},\"routing_key\":\"" + uniqueName("nowhere") + "\",\"payload\":\"x\","
                        + "\"payload_encoding\":\"string\"}");
        assertFalse(json(unrouted).get("routed").asBoolean());
    }

    @Test
    void publishOverAmqpGetOverApi() throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().contentType("application/json")
                .headers(Map.of("k", "v")).build(), "{\"a\":1}".getBytes());
        ch.basicPublish("", q, null, new byte[]{(byte) 0xff, (byte) 0xfe});
        awaitMessageCount(q, 2);
        String path = "/api/queues/%2F/" + enc(q) + "/get";
        JsonNode peek = json(http("POST", path, "{\"count\":5,\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\"}"));
        assertEquals(2, peek.size());
        assertEquals("{\"a\":1}", peek.get(0).get("payload").asText());
        assertEquals("string", peek.get(0).get("payload_encoding").asText());
        assertEquals("application/json", peek.get(0).get("properties").get("content_type").asText());
        assertEquals("v", peek.get(0).get("properties").get("headers").get("k").asText());
        assertEquals("//4=", peek.get(1).get("payload").asText());
        assertEquals("base64", peek.get(1).get("payload_encoding").asText());
        awaitMessageCount(q, 2); // requeued
        JsonNode take = json(http("POST", path, "{\"count\":1,\"ackmode\":\"ack_requeue_false\",\"encoding\":\"base64\"}"));
        assertTrue(take.get(0).get("redelivered").asBoolean());
        assertEquals(1, take.get(0).get("message_count").asInt());
        awaitMessageCount(q, 1);
    }

    @Test
    void purgeAndDelete() throws Exception {
        String q = declareQueue();
        for (int i = 0; i < 5; i++) {
            ch.basicPublish("", q, null, new byte[]{1});
        }
        awaitMessageCount(q, 5);
        assertEquals(204, http("DELETE", "/api/queues/%2F/" + enc(q) + "/contents", null).statusCode());
        assertEquals(0, ch.queueDeclarePassive(q).getMessageCount());
        assertEquals(204, http("DELETE", "/api/queues/%2F/" + enc(q), null).statusCode());
        assertChannelError(404, ch, () -> ch.queueDeclarePassive(q));
    }

    @Test
    void exchangesAndBindingsRouteAmqpTraffic() throws Exception {
        String x = exchangeName();
        String q = declareQueue();
        assertEquals(201, http("PUT", "/api/exchanges/%2F/" + enc(x), "{\"type\":\"topic\",\"durable\":false}")
                .statusCode());
        ch.exchangeDeclarePassive(x);
        assertEquals("topic", getJson("/api/exchanges/%2F/" + enc(x)).get("type").asText());
        HttpResponse<String> created = http("POST", "/api/bindings/%2F/e/" + enc(x) + "/q/" + enc(q),
                "{\"routing_key\":\"a.#\",\"arguments\":{}}");
        assertEquals(201, created.statusCode());
        assertTrue(created.headers().firstValue("location").isPresent());
        ch.basicPublish(x, "a.b", null, "routed".getBytes());
        assertEquals("routed", new String(getOrFail(ch, q, true).getBody()));
        JsonNode bindings = getJson("/api/bindings/%2F/e/" + enc(x) + "/q/" + enc(q));
        assertEquals(1, bindings.size());
        String props = bindings.get(0).get("properties_key").asText();
        assertEquals(204, http("DELETE", "/api/bindings/%2F/e/" + enc(x) + "/q/" + enc(q) + "/" + enc(props), null)
                .statusCode());
        assertEquals(0, getJson("/api/bindings/%2F/e/" + enc(x) + "/q/" + enc(q)).size());
        // a binding made over AMQP shows in the API, including the default exchange's implicit one
        ch.queueBind(q, x, "k");
        JsonNode qb = getJson("/api/queues/%2F/" + enc(q) + "/bindings");
        assertEquals(2, qb.size(), qb.toString());
        assertEquals(204, http("DELETE", "/api/exchanges/%2F/" + enc(x), null).statusCode());
        assertChannelError(404, ch, () -> ch.exchangeDeclarePassive(x));
    }

    @Test
    void connectionsChannelsAndClose() throws Exception {
        Connection c = track(factory().newConnection("mgmt-close-me"));
        c.createChannel();
        JsonNode conns = await("/api/connections", n -> n.toString().contains("mgmt-close-me")
                && n.toString().contains("\"channels\":1"));
        String name = null;
        for (JsonNode n : conns) {
            if ("mgmt-close-me".equals(n.path("client_properties").path("connection_name").asText())) {
                name = n.get("name").asText();
                assertEquals("guest", n.get("user").asText());
                assertEquals("/", n.get("vhost").asText());
                assertEquals("running", n.get("state").asText());
                assertEquals(1, n.get("channels").asInt());
                assertEquals("mgmt-close-me", n.get("user_provided_name").asText());
            }
        }
        assertNotNull(name);
        String connName = name;
        JsonNode channels = getJson("/api/connections/" + enc(name) + "/channels");
        assertEquals(connName + " (1)", channels.get(0).get("name").asText());
        HttpResponse<String> del = http("DELETE", "/api/connections/" + enc(name), null);
        assertEquals(204, del.statusCode());
        String text = awaitConnectionError(320, c);
        assertEquals("CONNECTION_FORCED - Closed via management plugin", text);
        await("/api/connections", n -> !n.toString().contains(connName));
    }

    @Test
    void vhostsUsersWhoamiPermissions() throws Exception {
        assertTrue(getJson("/api/vhosts").toString().contains("\"name\":\"/\""));
        assertEquals("/", getJson("/api/vhosts/%2F").get("name").asText());
        assertEquals("guest", getJson("/api/whoami").get("name").asText());
        assertTrue(getJson("/api/users").toString().contains("\"guest\""));
        assertTrue(getJson("/api/users/guest").get("tags").toString().contains("administrator"));
        assertFalse(getJson("/api/permissions").isEmpty());
    }

    @Test
    void healthChecks() throws Exception {
        assertEquals("ok", getJson("/api/health/checks/alarms").get("status").asText());
        assertEquals("ok", getJson("/api/aliveness-test/%2F").get("status").asText());
        assertEquals(404, http("GET", "/api/aliveness-test/no-such-vhost", null).statusCode());
        deleteQueueAfter("aliveness-test");
    }

    @Test
    void definitionsExportAndImport() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, true, false, false, Map.of("x-max-length", 7));
        JsonNode defs = getJson("/api/definitions");
        assertTrue(defs.has("rabbit_version"));
        assertTrue(defs.get("queues").toString().contains("\"" + q + "\""));
        String imported = queueName("imported");
        String x = exchangeName("imported");
        String file = "{\"queues\":[{\"name\":\"" + imported + "\",\"vhost\":\"/\",\"durable\":true,\"auto_delete\":false,"
                + "\"arguments\":{}}],\"exchanges\":[{\"name\":\"" + x + "\",\"vhost\":\"/\",\"type\":\"fanout\","
                + "\"durable\":true,\"auto_delete\":false,\"internal\":false,\"arguments\":{}}],"
                + "\"bindings\":[{\"source\":\"" + x + "\",\"vhost\":\"/\",\"destination\":\"" + imported
                + "\",\"destination_type\":\"queue\",\"routing_key\":\"\",\"arguments\":{}}]}";
        HttpResponse<String> r = http("POST", "/api/definitions", file);
        assertTrue(r.statusCode() == 204 || r.statusCode() == 201, r.statusCode() + " " + r.body());
        ch.basicPublish(x, "any", null, "via-imported-binding".getBytes());
        assertEquals("via-imported-binding", new String(getOrFail(ch, imported, true).getBody()));
    }

    @Test
    void paginationOnTheRealBroker() throws Exception {
        String prefix = uniqueName("page");
        for (int i = 0; i < 3; i++) {
            deleteQueueAfter(prefix + "." + i);
            ch.queueDeclare(prefix + "." + i, false, false, false, null);
        }
        JsonNode page = getJson("/api/queues/%2F?page=1&page_size=2&name=" + enc(prefix) + "&sort=name");
        assertEquals(3, page.get("filtered_count").asInt());
        assertEquals(2, page.get("item_count").asInt());
        assertEquals(2, page.get("page_count").asInt());
        assertEquals(prefix + ".0", page.get("items").get(0).get("name").asText());
        HttpResponse<String> out = http("GET", "/api/queues/%2F?page=50&page_size=2&name=" + enc(prefix), null);
        assertEquals(400, out.statusCode());
    }

    @Test
    void metricsInPrometheusFormat() throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, null, new byte[]{1});
        awaitMessageCount(q, 1);
        assumeWarren();
        HttpResponse<String> r = http("GET", "/metrics/per-object", null, null, null);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("rabbitmq_queue_messages_ready{queue=\"" + q + "\",vhost=\"/\"} 1.0"), r.body());
        assertTrue(r.body().contains("# TYPE rabbitmq_global_messages_received_total counter"));
        assertNull(r.headers().firstValue("www-authenticate").orElse(null));
    }

    /** RabbitMQ serves Prometheus metrics from another plugin and port. */
    private static void assumeWarren() {
        org.junit.jupiter.api.Assumptions.assumeFalse(io.warren.interop.WarrenBroker.external());
    }
}
