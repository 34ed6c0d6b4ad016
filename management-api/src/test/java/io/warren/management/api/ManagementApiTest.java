package io.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.warren.management.http.Json;
import io.warren.management.http.Response;
import io.warren.management.metrics.RateSampler;
import io.warren.management.model.ConnectionInfo;
import io.warren.management.model.ExchangeInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing, auth, JSON shapes, pagination and error answers of the API, over an in-memory broker. */
class ManagementApiTest {
    private FakeAdmin admin;
    private ManagementApi api;

    @BeforeEach
    void setUp() {
        admin = new FakeAdmin();
        api = new ManagementApi(admin, new RateSampler(admin), "0.0.0.0", 15672);
    }

    private Response call(String method, String uri, String body, String user, String pass) {
        HttpHeaders h = new DefaultHttpHeaders();
        if (body != null) {
            h.set("Content-Type", "application/json");
        }
        if (user != null) {
            h.set("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return api.handle(method, uri, h, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), true);
    }

    private Response call(String method, String uri, String body) {
        return call(method, uri, body, "guest", "guest");
    }

    private static JsonNode json(Response r) {
        assertNotNull(r.json(), "no JSON body");
        return Json.MAPPER.valueToTree(r.json());
    }

    @Test
    void noCredentialsIs401WithChallenge() {
        Response r = call("GET", "/api/overview", null, null, null);
        assertEquals(401, r.status());
        assertEquals("Basic realm=\"RabbitMQ Management\"", r.headers().get("WWW-Authenticate"));
    }

    @Test
    void wrongPasswordIs401WithJsonError() {
        Response r = call("GET", "/api/queues", null, "guest", "nope");
        assertEquals(401, r.status());
        assertEquals("not_authorized", json(r).get("error").asText());
        assertEquals("Login failed", json(r).get("reason").asText());
        assertNotNull(r.headers().get("WWW-Authenticate"));
    }

    @Test
    void tagsDecideWhatAUserMayDo() {
        assertEquals(200, call("GET", "/api/queues", null, "mon", "pw").status());
        Response users = call("GET", "/api/users", null, "mon", "pw");
        assertEquals(403, users.status());
        assertEquals("Not administrator user", json(users).get("reason").asText());
        assertEquals(403, call("GET", "/api/overview", null, "nobody", "pw").status());
    }

    @Test
    void managementUsersSeeTheirVhostsAndNeedPermissions() {
        assertEquals(1, json(call("GET", "/api/vhosts", null, "mgr", "pw")).size(), "only vhosts with permissions");
        assertEquals(2, json(call("GET", "/api/vhosts", null, "mon", "pw")).size(), "monitoring sees all");
        assertEquals(403, call("GET", "/api/queues/secret", null, "mgr", "pw").status());
        assertEquals(201, call("PUT", "/api/queues/%2F/mgr.q", "{}", "mgr", "pw").status());
        Response refused = call("PUT", "/api/queues/%2F/other.q", "{}", "mgr", "pw");
        assertEquals(403, refused.status());
        assertEquals("access to queue 'other.q' in vhost '/' refused for user 'mgr'", json(refused).get("reason").asText());
        assertEquals(403, call("PUT", "/api/queues/%2F/q", "{}", "mon", "pw").status(), "no permissions at all");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() {
        Response r = call("GET", "/api/nothing", null);
        assertEquals(404, r.status());
        assertEquals("Object Not Found", json(r).get("error").asText());
        Response m = call("POST", "/api/queues", "{}");
        assertEquals(405, m.status());
        assertTrue(m.headers().get("Allow").contains("GET"));
    }

    @Test
    void overviewHasRabbitMqFields() {
        JsonNode o = json(call("GET", "/api/overview", null));
        assertEquals("3.10.8", o.get("rabbitmq_version").asText());
        assertEquals(10, o.get("message_stats").get("publish").asLong());
        assertTrue(o.get("message_stats").get("publish_details").has("rate"));
        assertEquals(2, o.get("object_totals").get("exchanges").asInt());
        assertEquals(0, o.get("queue_totals").get("messages").asLong());
        assertEquals("warren@test", o.get("node").asText());
    }

    @Test
    void nodeShowsMemoryAndDiskAgainstTheirAlarmsAndFileDescriptors() {
        JsonNode n = json(call("GET", "/api/nodes/warren@test", null));
        assertEquals(100L << 20, n.get("mem_used").asLong());
        assertEquals(400L << 20, n.get("mem_limit").asLong(), "the alarm's high watermark, not the heap size");
        assertEquals(256L << 20, n.get("disk_free_limit").asLong(), "the disk alarm's level");
        assertFalse(n.get("mem_alarm").asBoolean());
        assertTrue(n.get("fd_used").asLong() > 0);
        assertTrue(n.get("fd_total").asLong() >= n.get("fd_used").asLong());
    }

    @Test
    void exchangeShowsMessageStatsOnceItHasTraffic() {
        JsonNode quiet = json(call("GET", "/api/exchanges/%2F/amq.direct", null));
        assertFalse(quiet.has("message_stats"), "RabbitMQ 3.10 leaves message_stats out before any publish");
        admin.exchanges.put("amq.direct", new ExchangeInfo("/", "amq.direct", "direct", true, false, false, Map.of(),
                null, 7, 12));
        JsonNode stats = json(call("GET", "/api/exchanges/%2F/amq.direct", null)).get("message_stats");
        assertEquals(7, stats.get("publish_in").asLong());
        assertEquals(12, stats.get("publish_out").asLong());
        assertTrue(stats.get("publish_in_details").has("rate"));
        assertTrue(stats.get("publish_out_details").has("rate"));
        JsonNode listed = json(call("GET", "/api/exchanges?name=amq.direct&page=1", null)).get("items").get(0);
        assertEquals(7, listed.get("message_stats").get("publish_in").asLong());
    }

    @Test
    void overviewSamplesWhenAsked() {
        JsonNode o = json(call("GET", "/api/overview?msg_rates_age=60&msg_rates_incr=5", null));
        assertTrue(o.get("message_stats").get("publish_details").get("samples").isArray());
    }

    @Test
    void putQueueIs201ThenIs204AndInequivalentIs400() {
        assertEquals(201, call("PUT", "/api/queues/%2F/q1", "{\"durable\":true}").status());
        assertEquals(204, call("PUT", "/api/queues/%2F/q1", "{\"durable\":true}").status());
        Response bad = call("PUT", "/api/queues/%2F/q1", "{\"durable\":false}");
        assertEquals(400, bad.status());
        assertEquals("inequivalent arg 'durable' for queue 'q1' in vhost '/': received 'false' but current is 'true'",
                json(bad).get("reason").asText());
    }

    @Test
    void putQueueErrors() {
        assertEquals(404, call("PUT", "/api/queues/nope/q", "{}").status());
        assertEquals("vhost_not_found", json(call("PUT", "/api/queues/nope/q", "{}")).get("reason").asText());
        assertEquals("not_json", json(call("PUT", "/api/queues/%2F/q", "{bad")).get("reason").asText());
        JsonNode notBool = json(call("PUT", "/api/queues/%2F/q", "{\"durable\":\"yes\"}"));
        assertEquals("not_boolean", notBool.get("reason").get(0).asText());
        assertEquals(403, call("PUT", "/api/queues/%2F/amq.q", "{}").status());
    }

    @Test
    void queueShowListDelete() {
        call("PUT", "/api/queues/%2F/a%2Bb", "{}");
        JsonNode q = json(call("GET", "/api/queues/%2F/a%2Bb", null));
        assertEquals("a+b", q.get("name").asText());
        assertEquals("/", q.get("vhost").asText());
        assertEquals("running", q.get("state").asText());
        assertTrue(q.has("messages_ready") && q.has("messages_unacknowledged") && q.has("consumers"));
        assertEquals(204, call("DELETE", "/api/queues/%2F/a%2Bb", null).status());
        assertEquals(404, call("DELETE", "/api/queues/%2F/a%2Bb", null).status());
        assertEquals(404, call("GET", "/api/queues/%2F/a%2Bb", null).status());
        assertEquals(404, call("GET", "/api/queues/nope", null).status());
    }

    @Test
    void paginationSortingAndColumns() {
        for (String n : new String[]{"c", "a", "b", "ab"}) {
            call("PUT", "/api/queues/%2F/" + n, "{}");
        }
        JsonNode plain = json(call("GET", "/api/queues?sort=name&sort_reverse=true&columns=name", null));
        assertEquals("c", plain.get(0).get("name").asText());
        assertEquals(1, plain.get(0).size());
        JsonNode page = json(call("GET", "/api/queues?page=2&page_size=1&name=a", null));
        assertEquals(4, page.get("total_count").asInt());
        assertEquals(2, page.get("filtered_count").asInt());
        assertEquals(2, page.get("page_count").asInt());
        assertEquals("ab", page.get("items").get(0).get("name").asText());
        JsonNode regex = json(call("GET", "/api/queues?page=1&name=%5E%5Bab%5D%24&use_regex=true", null));
        assertEquals(2, regex.get("filtered_count").asInt());
        Response out = call("GET", "/api/queues?page=9", null);
        assertEquals(400, out.status());
        assertEquals("page_out_of_range", json(out).get("error").asText());
        assertEquals("invalid_pagination_parameters", json(call("GET", "/api/queues?page=1&page_size=600", null))
                .get("error").asText());
    }

    @Test
    void publishAndGet() {
        call("PUT", "/api/queues/%2F/q", "{}");
        Response p = call("POST", "/api/exchanges/%2F/amq.default/publish",
                "{\"properties\":{},\"routing_key\":\"q\",\"payload\":\"hello\",\"payload_encoding\":\"string\"}");
        assertEquals(Map.of("routed", true), p.json());
        call("POST", "/api/exchanges/%2F/amq.default/publish",
                "{\"properties\":{},\"routing_key\":\"q\",\"payload\":\"//4=\",\"payload_encoding\":\"base64\"}");
        JsonNode got = json(call("POST", "/api/queues/%2F/q/get",
                "{\"count\":5,\"ackmode\":\"ack_requeue_false\",\"encoding\":\"auto\",\"truncate\":3}"));
        assertEquals(2, got.size());
        assertEquals("hel", got.get(0).get("payload").asText());
        assertEquals(5, got.get(0).get("payload_bytes").asInt());
        assertEquals("string", got.get(0).get("payload_encoding").asText());
        assertEquals("base64", got.get(1).get("payload_encoding").asText());
        assertTrue(got.get(0).get("properties").isArray(), "RabbitMQ writes empty properties as []");
        Response unrouted = call("POST", "/api/exchanges/%2F/amq.default/publish",
                "{\"properties\":{},\"routing_key\":\"none\",\"payload\":\"x\",\"payload_encoding\":\"string\"}");
        assertEquals(false, json(unrouted).get("routed").asBoolean());
    }

    @Test
    void publishAndGetErrors() {
        Response missing = call("POST", "/api/exchanges/%2F/amq.default/publish", "{\"routing_key\":\"q\",\"payload\":\"x\"}");
        assertEquals("[{key_missing,properties},{key_missing,payload_encoding}]", json(missing).get("reason").asText());
        Response noX = call("POST", "/api/exchanges/%2F/nox/publish",
                "{\"properties\":{},\"routing_key\":\"q\",\"payload\":\"x\",\"payload_encoding\":\"string\"}");
        assertEquals("404 NOT_FOUND - no exchange 'nox' in vhost '/'", json(noX).get("reason").asText());
        Response badInt = call("POST", "/api/exchanges/%2F/amq.default/publish",
                "{\"properties\":{\"priority\":\"x\"},\"routing_key\":\"q\",\"payload\":\"x\",\"payload_encoding\":\"string\"}");
        assertEquals("not_int", json(badInt).get("reason").get(0).asText());
        assertEquals("[{key_missing,ackmode},{key_missing,encoding}]",
                json(call("POST", "/api/queues/%2F/q/get", "{\"count\":1}")).get("reason").asText());
        assertEquals(404, call("POST", "/api/queues/%2F/nope/get",
                "{\"count\":1,\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\"}").status());
    }

    @Test
    void purge() {
        call("PUT", "/api/queues/%2F/q", "{}");
        admin.publish("/", "", "q", Map.of(), new byte[]{1});
        assertEquals(204, call("DELETE", "/api/queues/%2F/q/contents", null).status());
        assertEquals(0, admin.contents.get("q").size());
        assertEquals(404, call("DELETE", "/api/queues/%2F/nope/contents", null).status());
    }

    @Test
    void exchanges() {
        assertEquals(201, call("PUT", "/api/exchanges/%2F/x", "{\"type\":\"topic\"}").status());
        assertEquals(204, call("PUT", "/api/exchanges/%2F/x", "{\"type\":\"topic\"}").status());
        assertEquals("unknown exchange type 'bogus'",
                json(call("PUT", "/api/exchanges/%2F/y", "{\"type\":\"bogus\"}")).get("reason").asText());
        assertEquals("", json(call("GET", "/api/exchanges/%2F/amq.default", null)).get("name").asText());
        JsonNode x = json(call("GET", "/api/exchanges/%2F/x", null));
        assertEquals("topic", x.get("type").asText());
        assertTrue(x.get("incoming").isArray());
        assertEquals(3, json(call("GET", "/api/exchanges/%2F", null)).size());
        assertEquals(204, call("DELETE", "/api/exchanges/%2F/x", null).status());
        assertEquals(404, call("DELETE", "/api/exchanges/%2F/x", null).status());
    }

    @Test
    void bindingsNestedPaths() {
        call("PUT", "/api/queues/%2F/q", "{}");
        call("PUT", "/api/exchanges/%2F/x", "{\"type\":\"topic\"}");
        Response created = call("POST", "/api/bindings/%2F/e/x/q/q", "{\"routing_key\":\"a.#\",\"arguments\":{}}");
        assertEquals(201, created.status());
        assertEquals("q/a.%23", created.headers().get("Location"));
        JsonNode list = json(call("GET", "/api/bindings/%2F/e/x/q/q", null));
        assertEquals(1, list.size());
        assertEquals("a.%23", list.get(0).get("properties_key").asText());
        assertEquals("a.#", json(call("GET", "/api/bindings/%2F/e/x/q/q/a.%2523", null)).get("routing_key").asText());
        assertEquals(1, json(call("GET", "/api/queues/%2F/q/bindings", null)).size());
        assertEquals(1, json(call("GET", "/api/exchanges/%2F/x/bindings/source", null)).size());
        assertEquals(204, call("DELETE", "/api/bindings/%2F/e/x/q/q/a.%2523", null).status());
        assertEquals(404, call("DELETE", "/api/bindings/%2F/e/x/q/q/a.%2523", null).status());
        assertEquals(404, call("POST", "/api/bindings/%2F/e/x/q/nope", "{}").status());
    }

    @Test
    void propertiesKeyWithArgumentsIsStable() {
        String k = PropertiesKey.of("k", Map.of("a", 1));
        assertTrue(k.startsWith("k~"));
        assertEquals(k, PropertiesKey.of("k", Map.of("a", 1)));
        assertEquals("~", PropertiesKey.of("", Map.of()));
    }

    @Test
    void connectionsAndClose() {
        admin.connections.add(new ConnectionInfo("127.0.0.1:1 -> 127.0.0.1:5672", "/", "guest", "127.0.0.1", 1,
                "127.0.0.1", 5672, "running", 1, 2047, 131072, 60, 0, "PLAIN", Map.of("connection_name", "app")));
        JsonNode list = json(call("GET", "/api/connections", null));
        assertEquals("app", list.get(0).get("user_provided_name").asText());
        assertEquals("AMQP 0-9-1", list.get(0).get("protocol").asText());
        assertEquals(1, json(call("GET", "/api/channels", null)).size());
        assertEquals("c1 (1)", json(call("GET", "/api/channels", null)).get(0).get("name").asText());
        assertEquals(204, call("DELETE", "/api/connections/127.0.0.1%3A1%20-%3E%20127.0.0.1%3A5672", null).status());
        assertEquals("127.0.0.1:1 -> 127.0.0.1:5672:Closed via management plugin", admin.closed.get(0));
        assertEquals(404, call("DELETE", "/api/connections/nope", null).status());
    }

    @Test
    void vhostsUsersWhoami() {
        assertEquals("/", json(call("GET", "/api/vhosts", null)).get(0).get("name").asText());
        assertEquals(404, call("GET", "/api/vhosts/nope", null).status());
        assertEquals("administrator", json(call("GET", "/api/whoami", null)).get("tags").get(0).asText());
        assertEquals(4, json(call("GET", "/api/users", null)).size());
        assertEquals(404, call("GET", "/api/users/zed", null).status());
    }

    @Test
    void healthChecks() {
        assertEquals("ok", json(call("GET", "/api/health/checks/alarms", null)).get("status").asText());
        admin.alarms.add("memory");
        assertEquals(503, call("GET", "/api/health/checks/alarms", null).status());
        assertEquals("ok", json(call("GET", "/api/aliveness-test/%2F", null)).get("status").asText());
        assertEquals(404, call("GET", "/api/aliveness-test/nope", null).status());
    }

    @Test
    void definitionsExportAndImport() {
        call("PUT", "/api/queues/%2F/q", "{\"durable\":true}");
        JsonNode d = json(call("GET", "/api/definitions", null));
        assertEquals("q", d.get("queues").get(0).get("name").asText());
        assertEquals(0, d.get("exchanges").size(), "amq.* and the default exchange are not exported");
        String file = "{\"rabbit_version\":\"3.10.8\",\"users\":[{\"name\":\"u\"}],\"vhosts\":[{\"name\":\"/\"}],"
                + "\"queues\":[{\"name\":\"iq\",\"vhost\":\"/\",\"durable\":true,\"auto_delete\":false,\"arguments\":{}}],"
                + "\"exchanges\":[{\"name\":\"ix\",\"vhost\":\"/\",\"type\":\"fanout\",\"durable\":true,"
                + "\"auto_delete\":false,\"internal\":false,\"arguments\":{}}],"
                + "\"bindings\":[{\"source\":\"ix\",\"vhost\":\"/\",\"destination\":\"iq\",\"destination_type\":\"queue\","
                + "\"routing_key\":\"\",\"arguments\":{}}]}";
        assertEquals(204, call("POST", "/api/definitions", file).status());
        assertTrue(admin.queues.containsKey("iq"));
        assertEquals(1, ((java.util.List<?>) admin.imported.get("bindings")).size());
        assertEquals(1, ((java.util.List<?>) admin.imported.get("users")).size());
        Response other = call("POST", "/api/definitions", "{\"queues\":[{\"name\":\"z\",\"vhost\":\"other\"}]}");
        assertEquals(400, other.status());
        assertEquals("no vhost other", json(other).get("reason").asText());
        assertEquals(204, call("POST", "/api/definitions/%2F", "{\"queues\":[{\"name\":\"y\",\"vhost\":\"x\"}],"
                + "\"users\":[{\"name\":\"skipped\"}]}").status());
        assertTrue(admin.queues.containsKey("y"), "a per-vhost import puts everything in the path's vhost");
        assertFalse(admin.imported.containsKey("users"));
    }

    @Test
    void usersVhostsAndPermissionsAdmin() {
        assertEquals(201, call("PUT", "/api/users/bob", "{\"password\":\"pw\",\"tags\":\"monitoring,management\"}")
                .status());
        assertEquals(java.util.List.of("monitoring", "management"), admin.extraUsers.get("bob"));
        assertEquals(204, call("PUT", "/api/users/bob", "{\"password\":\"pw\",\"tags\":[\"administrator\"]}").status());
        assertEquals(403, call("PUT", "/api/users/eve", "{}", "mon", "pw").status());
        assertEquals(201, call("PUT", "/api/vhosts/v1", null).status());
        assertEquals(204, call("PUT", "/api/vhosts/v1", null).status());
        assertEquals(201, call("PUT", "/api/permissions/v1/bob", "{\"configure\":\".*\",\"write\":\"\",\"read\":\".*\"}")
                .status());
        assertEquals("bob@v1:.*//.*", admin.permissionsSet.get(0));
        Response missing = call("PUT", "/api/permissions/v1/nobody", "{\"configure\":\".*\"}");
        assertEquals(400, missing.status());
        assertEquals("vhost_or_user_not_found", json(missing).get("reason").asText());
        assertEquals(204, call("DELETE", "/api/permissions/v1/bob", null).status());
        assertEquals(404, call("DELETE", "/api/permissions/v1/bob", null).status());
        assertEquals(204, call("DELETE", "/api/users/bob", null).status());
        assertEquals(404, call("DELETE", "/api/users/bob", null).status());
        assertEquals(204, call("DELETE", "/api/vhosts/v1", null).status());
        assertEquals(404, call("DELETE", "/api/vhosts/v1", null).status());
        assertEquals(200, call("GET", "/api/permissions/%2F/guest", null).status());
        assertEquals(404, call("GET", "/api/permissions/%2F/bob", null).status());
    }

    @Test
    void headAnswersWithoutBody() {
        Response r = call("HEAD", "/api/overview", null);
        assertEquals(200, r.status());
        assertEquals(null, r.json());
    }
}
