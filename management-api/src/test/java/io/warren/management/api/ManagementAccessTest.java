package io.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.warren.management.http.Json;
import io.warren.management.http.Response;
import io.warren.management.metrics.RateSampler;
import io.warren.management.model.ChannelInfo;
import io.warren.management.model.ConnectionInfo;
import io.warren.management.model.ConsumerInfo;
import io.warren.management.model.PermissionInfo;
import io.warren.management.model.UserInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Who sees and does what: management users see only their own clients, node details need monitoring,
 * the default exchange is the resource {@code amq.default}, and bodies must be declared JSON.
 */
class ManagementAccessTest {
    private static final String PUBLISH = "{\"properties\":{},\"routing_key\":\"q\",\"payload\":\"x\","
            + "\"payload_encoding\":\"string\"}";
    private FakeAdmin admin;
    private ManagementApi api;

    @BeforeEach
    void setUp() {
        admin = new FakeAdmin();
        api = new ManagementApi(admin, new RateSampler(admin), "0.0.0.0", 15672);
        for (String user : List.of("guest", "mgr", "mon")) {
            String conn = "127.0.0.1:" + user.length() + " -> 127.0.0.1:5672 " + user;
            admin.connections.add(new ConnectionInfo(conn, "/", user, "127.0.0.1", 1, "127.0.0.1", 5672, "running", 1,
                    2047, 131072, 60, 0, "PLAIN", Map.of()));
            admin.channels.add(new ChannelInfo(conn, 1, "/", user, "127.0.0.1", 1, 1, 0, 0, 0, false, "running"));
            admin.consumers.add(new ConsumerInfo("/", "q-" + user, "ctag", conn, 1, user, "127.0.0.1", 1, true, false,
                    0, true, Map.of()));
        }
        admin.channels.remove(0); // FakeAdmin's own "c1" channel
    }

    private Response call(String method, String uri, String body, String contentType, String user) {
        HttpHeaders h = new DefaultHttpHeaders();
        if (contentType != null) {
            h.set("Content-Type", contentType);
        }
        String pass = user.equals("guest") ? "guest" : "pw";
        h.set("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass)
                .getBytes(StandardCharsets.UTF_8)));
        return api.handle(method, uri, h, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), true);
    }

    private Response get(String uri, String user) {
        return call("GET", uri, null, null, user);
    }

    private static JsonNode json(Response r) {
        return Json.MAPPER.valueToTree(r.json());
    }

    private static List<String> users(Response r, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : json(r)) {
            out.add(field.equals("consumer") ? n.path("channel_details").path("user").asText() : n.path(field).asText());
        }
        return out;
    }

    @Test
    void managementUserSeesOnlyItsOwnClients() {
        assertEquals(List.of("mgr"), users(get("/api/connections", "mgr"), "user"));
        assertEquals(List.of("mgr"), users(get("/api/vhosts/%2F/connections", "mgr"), "user"));
        assertEquals(List.of("mgr"), users(get("/api/channels", "mgr"), "user"));
        assertEquals(List.of("mgr"), users(get("/api/vhosts/%2F/channels", "mgr"), "user"));
        assertEquals(List.of("mgr"), users(get("/api/consumers", "mgr"), "consumer"));
        assertEquals(List.of("mgr"), users(get("/api/consumers/%2F", "mgr"), "consumer"));
        assertEquals(3, json(get("/api/connections", "mon")).size(), "monitoring sees all");
        assertEquals(3, json(get("/api/channels", "mon")).size());
        assertEquals(3, json(get("/api/consumers", "guest")).size(), "administrator sees all");
    }

    @Test
    void someoneElsesConnectionIsRefused() {
        String guests = "/api/connections/127.0.0.1%3A5%20-%3E%20127.0.0.1%3A5672%20guest";
        Response r = get(guests, "mgr");
        assertEquals(403, r.status());
        assertEquals("User not authorised to access object", json(r).get("reason").asText());
        assertEquals(403, get(guests + "/channels", "mgr").status());
        assertEquals(403, get("/api/channels/127.0.0.1%3A5%20-%3E%20127.0.0.1%3A5672%20guest%20(1)", "mgr").status());
        assertEquals(200, get("/api/connections/127.0.0.1%3A3%20-%3E%20127.0.0.1%3A5672%20mgr", "mgr").status());
        assertEquals(200, get(guests, "mon").status(), "monitoring may look");
        Response close = call("DELETE", guests, null, null, "mon");
        assertEquals(403, close.status(), "but not close");
        assertEquals("User not authorised to access object", json(close).get("reason").asText());
        assertEquals(List.of(), admin.closed);
    }

    @Test
    void nodesNeedMonitoring() {
        Response r = get("/api/nodes", "mgr");
        assertEquals(403, r.status());
        assertEquals("Not monitor user", json(r).get("reason").asText());
        assertEquals(403, get("/api/nodes/warren@test", "mgr").status());
        assertEquals(200, get("/api/nodes", "mon").status());
        assertEquals(200, get("/api/nodes/warren@test", "guest").status());
        assertEquals("Not management user", json(get("/api/nodes", "nobody")).get("reason").asText());
    }

    @Test
    void defaultExchangePublishNeedsWriteOnAmqDefault() {
        admin.declareQueue("/", "q", false, false, Map.of());
        admin.users.add(new UserInfo("onlydefault", null, List.of("management")));
        admin.users.add(new UserInfo("emptyname", null, List.of("management")));
        admin.permissions.add(new PermissionInfo("onlydefault", "/", "", "^amq\\.default$", ""));
        admin.permissions.add(new PermissionInfo("emptyname", "/", "", "^$", ""));
        String uri = "/api/exchanges/%2F/amq.default/publish";
        assertEquals(200, call("POST", uri, PUBLISH, "application/json", "onlydefault").status());
        Response refused = call("POST", uri, PUBLISH, "application/json", "emptyname");
        assertEquals(403, refused.status());
        assertEquals("access to exchange 'amq.default' in vhost '/' refused for user 'emptyname'",
                json(refused).get("reason").asText());
    }

    @Test
    void bodiesMustBeDeclaredJson() {
        for (String type : new String[] {null, "text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x"}) {
            Response r = call("POST", "/api/definitions", "{\"vhosts\":[{\"name\":\"evil\"}]}", type, "guest");
            assertEquals(415, r.status(), String.valueOf(type));
            assertEquals("unsupported_media_type", json(r).get("error").asText());
            assertEquals(415, call("PUT", "/api/queues/%2F/q2", "{}", type, "guest").status());
        }
        assertNull(admin.imported, "nothing imported");
        assertEquals(201, call("PUT", "/api/queues/%2F/q2", "{}", "Application/JSON; charset=utf-8", "guest").status());
        assertEquals(204, call("PUT", "/api/queues/%2F/q2", null, null, "guest").status(), "no body, no type needed");
        assertEquals(204, call("DELETE", "/api/queues/%2F/q2", null, null, "guest").status());
    }
}
