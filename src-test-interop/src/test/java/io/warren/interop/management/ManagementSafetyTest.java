package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.interop.WarrenBroker;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The management API against hostile or merely limited users: no body is read before a login, regex
 * filters cannot stall the API, state changes need a JSON body, a management user sees only its own
 * clients, node details need monitoring, and the default exchange is the resource {@code amq.default}.
 */
class ManagementSafetyTest extends ManagementTestBase {

    /** Warren answers 403 where RabbitMQ answers 401 to a logged-in user who may not (see the README). */
    private static int refusedStatus() {
        return WarrenBroker.external() ? 401 : 403;
    }

    @Test
    void unauthenticatedBodyIsRefusedAtTheHeadWithoutBeingRead() throws Exception {
        assumeFalse(WarrenBroker.external(), "RabbitMQ reads (and answers) such a request only after the body");
        // 10 MB is under the body limit (a server that buffers first waits for it), 1 GB over it
        for (long announced : new long[] {10_000_000L, 1_000_000_000L}) {
            long start = System.nanoTime();
            try (Socket s = new Socket("localhost", httpPort())) {
                s.setSoTimeout(5000); // a server waiting for the announced body never answers: the read times out
                OutputStream out = s.getOutputStream();
                out.write(("POST /api/definitions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + announced + "\r\n\r\n{\"vhosts\":[").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] buf = new byte[1024];
                for (int n; (n = in.read(buf)) >= 0; ) { // until the server closes
                    got.write(buf, 0, n);
                }
                String answer = got.toString(StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 401 "), announced + ": " + answer);
            }
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "answered promptly");
        }
        assertEquals(200, http("GET", "/api/overview", null).statusCode(), "the API keeps serving");
    }

    @Test
    void catastrophicRegexFilterAnswersPromptly() throws Exception {
        for (int i = 0; i < 3; i++) {
            ch.queueDeclare(deleteQueueAfter(uniqueName("regex") + "." + "a".repeat(200) + "!"), false, false, true,
                    null);
        }
        // a backtracking engine needs ~14 s for ONE 28-character name with this pattern; these have 200 a's
        String pattern = enc("(.*a){20}$");
        long start = System.nanoTime();
        JsonNode page = getJson("/api/queues?page=1&page_size=100&use_regex=true&name=" + pattern);
        assertTrue(page.get("filtered_count").asInt() >= 0);
        assertTrue(System.nanoTime() - start < 8_000_000_000L, "answered promptly");
        assertEquals(200, http("GET", "/api/overview", null).statusCode(), "the API keeps serving");
    }

    @Test
    void crossSiteFormBodiesCannotImportDefinitions() throws Exception {
        String vhost = uniqueName("csrf");
        String defs = "{\"vhosts\":[{\"name\":\"" + vhost + "\"}]}";
        try {
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded")) {
                HttpResponse<String> r = httpTyped("POST", "/api/definitions", defs, type);
                assertEquals(415, r.statusCode(), type + ": " + r.body());
            }
            assertEquals(404, http("GET", "/api/vhosts/" + enc(vhost), null).statusCode(), "nothing imported");
            assertTrue(httpTyped("POST", "/api/definitions", defs, "application/json; charset=utf-8").statusCode()
                    < 300);
            assertEquals(200, http("GET", "/api/vhosts/" + enc(vhost), null).statusCode());
        } finally {
            http("DELETE", "/api/vhosts/" + enc(vhost), null);
        }
    }

    @Test
    void everyBodyMustBeJsonAndTheDashboardCannotBeFramed() throws Exception {
        assumeFalse(WarrenBroker.external(), "RabbitMQ checks the type of definitions only; the dashboard is Warren's");
        String q = deleteQueueAfter(uniqueName("typed"));
        assertEquals(415, httpTyped("PUT", "/api/queues/%2F/" + enc(q), "{}", "text/plain").statusCode());
        assertEquals(201, http("PUT", "/api/queues/%2F/" + enc(q), "{}").statusCode());
        HttpResponse<String> page = http("GET", "/", null, null, null);
        assertEquals(200, page.statusCode());
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
    }

    @Test
    void managementUserSeesOnlyItsOwnClientsAndNoNodes() throws Exception {
        String user = uniqueName("mgmt");
        try {
            createUser(user, "management", ".*");
            ConnectionFactory f = factory();
            f.setUsername(user);
            f.setPassword("pw");
            Connection mine = track(f.newConnection("mine-" + user));
            Channel c = mine.createChannel();
            c.basicConsume(c.queueDeclare().getQueue(), true, (tag, d) -> { }, tag -> { });
            // the guest's connection of this test is open too; an administrator sees it and the user's
            awaitAs("guest", "guest", "/api/connections", l -> users(l).containsAll(List.of("guest", user)));
            JsonNode conns = awaitAs(user, "pw", "/api/connections", l -> users(l).contains(user));
            assertEquals(List.of(user), distinct(users(conns)), conns.toString());
            JsonNode chans = awaitAs(user, "pw", "/api/channels", l -> users(l).contains(user));
            assertEquals(List.of(user), distinct(users(chans)));
            // the guest's consumers (if any) are hidden: every consumer listed is the user's, and its one is there
            JsonNode consumers = awaitAs(user, "pw", "/api/consumers", l -> consumerUsers(l).contains(user));
            assertEquals(List.of(user), distinct(consumerUsers(consumers)));
            ch.basicConsume(ch.queueDeclare().getQueue(), true, (tag, d) -> { }, tag -> { });
            awaitAs("guest", "guest", "/api/consumers", l -> consumerUsers(l).contains("guest"));
            assertEquals(List.of(user), distinct(consumerUsers(json(http("GET", "/api/consumers", null, user, "pw")))));
            String guestConn = getJson("/api/connections").findValuesAsText("name").stream()
                    .filter(n -> !conns.findValuesAsText("name").contains(n)).findFirst().orElseThrow();
            HttpResponse<String> other = http("GET", "/api/connections/" + enc(guestConn), null, user, "pw");
            assertEquals(refusedStatus(), other.statusCode());
            assertEquals("User not authorised to access object", json(other).get("reason").asText());

            HttpResponse<String> nodes = http("GET", "/api/nodes", null, user, "pw");
            assertEquals(refusedStatus(), nodes.statusCode());
            assertEquals("Not monitor user", json(nodes).get("reason").asText());
        } finally {
            http("DELETE", "/api/users/" + enc(user), null);
        }
    }

    @Test
    void monitoringUserSeesAllClientsAndNodes() throws Exception {
        String user = uniqueName("mon");
        try {
            createUser(user, "monitoring", "");
            awaitAs(user, "pw", "/api/connections", l -> users(l).contains("guest"));
            assertEquals(200, http("GET", "/api/nodes", null, user, "pw").statusCode());
        } finally {
            http("DELETE", "/api/users/" + enc(user), null);
        }
    }

    @Test
    void defaultExchangePublishIsCheckedAsAmqDefault() throws Exception {
        String allowed = uniqueName("pubdefault");
        String emptyName = uniqueName("pubempty");
        String q = deleteQueueAfter(uniqueName("target"));
        ch.queueDeclare(q, false, false, false, null);
        String body = "{\"properties\":{},\"routing_key\":\"" + q + "\",\"payload\":\"hi\",\"payload_encoding\":\"string\"}";
        try {
            createUser(allowed, "management", "^amq\\\\.default$");
            createUser(emptyName, "management", "^$");
            HttpResponse<String> ok = http("POST", "/api/exchanges/%2F/amq.default/publish", body, allowed, "pw");
            assertEquals(200, ok.statusCode(), ok.body());
            assertTrue(json(ok).get("routed").asBoolean());
            HttpResponse<String> refused = http("POST", "/api/exchanges/%2F/amq.default/publish", body, emptyName,
                    "pw");
            // RabbitMQ: 400 "403 ACCESS_REFUSED - access to ..."; Warren: 403 "access to ..."
            assertEquals(WarrenBroker.external() ? 400 : 403, refused.statusCode(), refused.body());
            assertTrue(json(refused).get("reason").asText().contains("access to exchange 'amq.default' in vhost '/' "
                    + "refused for user '" + emptyName + "'"), refused.body());
            awaitMessageCount(q, 1);
        } finally {
            http("DELETE", "/api/users/" + enc(allowed), null);
            http("DELETE", "/api/users/" + enc(emptyName), null);
        }
    }

    private static void createUser(String user, String tags, String write) throws Exception {
        assertEquals(201, http("PUT", "/api/users/" + enc(user), "{\"password\":\"pw\",\"tags\":\"" + tags + "\"}")
                .statusCode());
        assertEquals(201, http("PUT", "/api/permissions/%2F/" + enc(user),
                "{\"configure\":\".*\",\"write\":\"" + write + "\",\"read\":\".*\"}").statusCode());
    }

    private static HttpResponse<String> httpTyped(String method, String path, String body, String type)
            throws Exception {
        return HTTP_CLIENT.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:"
                        + httpPort() + path)).timeout(java.time.Duration.ofSeconds(10))
                .header("Content-Type", type)
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("guest:guest"
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static final java.net.http.HttpClient HTTP_CLIENT = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    private static List<String> users(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.path("user").asText()));
        return out;
    }

    private static List<String> consumerUsers(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.path("channel_details").path("user").asText()));
        return out;
    }

    private static List<String> distinct(List<String> l) {
        return l.stream().distinct().toList();
    }

    /** Polls a GET as {@code user} until the predicate holds (RabbitMQ lists clients a few seconds late). */
    private static JsonNode awaitAs(String user, String pass, String path, java.util.function.Predicate<JsonNode> until)
            throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> r = http("GET", path, null, user, pass);
            if (r.statusCode() == 200) {
                last = JSON.readTree(r.body());
                if (until.test(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        return fail("GET " + path + " as " + user + " never matched; last answer: " + last);
    }
}
