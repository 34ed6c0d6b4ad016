package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Policies (RabbitMQ's set_policy) over the management API, seen through AMQP: they change
 * existing queues and exchanges at once, resolve against queue arguments key by key as RabbitMQ
 * does, and only the highest-priority match applies. Checked against RabbitMQ 3.10.8 with
 * -Dwarren.test.port / -Dwarren.test.httpPort.
 */
class PolicyTest extends ManagementTestBase {
    private final List<String> policies = new ArrayList<>();

    @AfterEach
    void clearPolicies() throws Exception {
        for (String p : policies) {
            http("DELETE", "/api/policies/%2F/" + enc(p), null);
        }
    }

    /** PUTs a policy (name made unique and cleared after the test); returns its name. */
    private String policy(String hint, String pattern, String definition, int priority, String applyTo) throws Exception {
        String name = uniqueName("pol." + hint);
        policies.add(name);
        HttpResponse<String> r = http("PUT", "/api/policies/%2F/" + enc(name), "{\"pattern\":\"" + pattern.replace("\\", "\\\\")
                + "\",\"definition\":" + definition + ",\"priority\":" + priority + ",\"apply-to\":\"" + applyTo + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        return name;
    }

    private static String exactly(String name) {
        return "^" + name.replace(".", "\\.") + "$";
    }

    private void publish(String exchange, String key, String body) throws Exception {
        ch.basicPublish(exchange, key, null, body.getBytes(StandardCharsets.UTF_8));
    }

    private String body(GetResponse r) {
        return new String(r.getBody(), StandardCharsets.UTF_8);
    }

    /** A fanout exchange with one queue bound: where dead letters of a test land. */
    private String[] deadLetterTarget(String hint) throws Exception {
        String x = exchangeName(hint);
        String q = queueName(hint);
        ch.exchangeDeclare(x, "fanout");
        ch.queueDeclare(q, false, false, false, null);
        ch.queueBind(q, x, "");
        return new String[] {x, q};
    }

    @Test
    void policyLimitsAndDeadLettersAnExistingQueueAtOnce() throws Exception {
        String[] dlx = deadLetterTarget("dlx");
        String q = declareQueue();
        for (int i = 1; i <= 5; i++) {
            publish("", q, "m" + i);
        }
        awaitMessageCount(q, 5);
        policy("len", exactly(q), "{\"max-length\":3,\"dead-letter-exchange\":\"" + dlx[0] + "\"}", 0, "queues");
        awaitMessageCount(q, 3); // heads dropped now, not at the next publish
        awaitMessageCount(dlx[1], 2);
        GetResponse dead = getOrFail(ch, dlx[1], true);
        assertEquals("m1", body(dead));
        @SuppressWarnings("unchecked")
        Map<String, Object> death = ((List<Map<String, Object>>) dead.getProps().getHeaders().get("x-death")).get(0);
        assertEquals("maxlen", death.get("reason").toString());
        assertEquals("m3", body(getOrFail(ch, q, true)));
        JsonNode info = await("/api/queues/%2F/" + enc(q), n -> n.path("policy").isTextual());
        assertEquals(3, info.get("effective_policy_definition").get("max-length").asInt());
    }

    @Test
    void policyTtlAppliesToMessagesEnqueuedAfterIt() throws Exception {
        String q = declareQueue();
        publish("", q, "before");
        awaitMessageCount(q, 1);
        policy("ttl", exactly(q), "{\"message-ttl\":200}", 0, "all");
        Thread.sleep(700);
        // RabbitMQ fixes a message's expiry at enqueue: one queued before the policy stays
        assertEquals(1, ch.messageCount(q));
        assertEquals("before", body(getOrFail(ch, q, true)));
        publish("", q, "after");
        awaitMessageCount(q, 1);
        awaitMessageCount(q, 0);
    }

    @Test
    void lowerLimitWinsAndTheQueuesOwnDeadLetterExchangeWins() throws Exception {
        String[] own = deadLetterTarget("own");
        String[] byPolicy = deadLetterTarget("bypolicy");
        String q = queueName();
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 5, "x-message-ttl", 60_000,
                "x-dead-letter-exchange", own[0]));
        policy("prec", exactly(q), "{\"max-length\":2,\"message-ttl\":300,\"dead-letter-exchange\":\""
                + byPolicy[0] + "\"}", 0, "queues");
        for (int i = 1; i <= 3; i++) {
            publish("", q, "m" + i);
        }
        awaitMessageCount(own[1], 3); // one dropped by max-length 2, two expired after 300 ms
        assertEquals(0, ch.messageCount(q));
        assertEquals(0, ch.messageCount(byPolicy[1]));

        String lowArg = queueName("lowarg");
        ch.queueDeclare(lowArg, false, false, false, Map.of("x-max-length", 1));
        policy("high", exactly(lowArg), "{\"max-length\":10}", 0, "queues");
        for (int i = 1; i <= 3; i++) {
            publish("", lowArg, "m" + i);
        }
        Thread.sleep(200);
        assertEquals(1, ch.messageCount(lowArg));
        // a policy never makes the queue's redeclaration fail: equivalence looks at the declared arguments
        ch.queueDeclare(lowArg, false, false, false, Map.of("x-max-length", 1));
    }

    @Test
    void onlyTheHighestPriorityPolicyApplies() throws Exception {
        String q = declareQueue();
        policy("low", exactly(q), "{\"max-length\":1}", 1, "queues");
        String high = policy("high", "^" + q.replace(".", "\\."), "{\"max-length\":3}", 2, "all");
        for (int i = 1; i <= 5; i++) {
            publish("", q, "m" + i);
        }
        awaitMessageCount(q, 3);
        JsonNode info = await("/api/queues/%2F/" + enc(q), n -> high.equals(n.path("policy").asText()));
        assertEquals("{\"max-length\":3}", info.get("effective_policy_definition").toString());
        assertEquals(204, http("DELETE", "/api/policies/%2F/" + enc(high), null).statusCode());
        awaitMessageCount(q, 1); // the lower one applies now, at once
    }

    @Test
    void clearingThePolicyRestoresTheQueuesOwnArguments() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 4));
        String p = policy("clear", exactly(q), "{\"max-length\":2}", 0, "queues");
        for (int i = 1; i <= 3; i++) {
            publish("", q, "m" + i);
        }
        awaitMessageCount(q, 2);
        assertEquals(204, http("DELETE", "/api/policies/%2F/" + enc(p), null).statusCode());
        for (int i = 4; i <= 6; i++) {
            publish("", q, "m" + i);
        }
        awaitMessageCount(q, 4);
        JsonNode info = await("/api/queues/%2F/" + enc(q), n -> n.path("policy").isNull());
        assertEquals(0, info.get("effective_policy_definition").size());
    }

    @Test
    void alternateExchangeByPolicyTheExchangesArgumentWins() throws Exception {
        String[] ae = deadLetterTarget("ae");
        String[] ownAe = deadLetterTarget("ownae");
        String x = exchangeName("plain");
        String withArg = exchangeName("witharg");
        ch.exchangeDeclare(x, "direct");
        ch.exchangeDeclare(withArg, "direct", false, false, Map.of("alternate-exchange", ownAe[0]));
        String p = policy("ae", "^(" + x.replace(".", "\\.") + "|" + withArg.replace(".", "\\.") + ")$",
                "{\"alternate-exchange\":\"" + ae[0] + "\"}", 0, "exchanges");
        publish(x, "nowhere", "a");
        publish(withArg, "nowhere", "b");
        assertEquals("a", body(getOrFail(ch, ae[1], true)));
        assertEquals("b", body(getOrFail(ch, ownAe[1], true)));
        assertEquals(p, await("/api/exchanges/%2F/" + enc(x), n -> n.has("policy")).get("policy").asText());
    }

    @Test
    void applyToLimitsWhatAPolicyMatches() throws Exception {
        String q = declareQueue();
        policy("xonly", exactly(q), "{\"max-length\":1}", 0, "exchanges");
        for (int i = 1; i <= 3; i++) {
            publish("", q, "m" + i);
        }
        awaitMessageCount(q, 3);
        Thread.sleep(100);
        assertEquals(3, ch.messageCount(q));
        // RabbitMQ lists the field once the queue's first statistics are in
        assertTrue(await("/api/queues/%2F/" + enc(q), n -> n.has("policy")).get("policy").isNull());
    }

    @Test
    void apiStatusCodesAndRabbitmqValidationTexts() throws Exception {
        String name = uniqueName("pol.api");
        policies.add(name);
        String path = "/api/policies/%2F/" + enc(name);
        String body = "{\"pattern\":\"^nothing-matches$\",\"definition\":{\"message-ttl\":5,\"expires\":60000}}";
        assertEquals(201, http("PUT", path, body).statusCode());
        assertEquals(204, http("PUT", path, body.replace("}}", "},\"priority\":3}")).statusCode());
        JsonNode p = getJson(path);
        assertEquals("all", p.get("apply-to").asText());
        assertEquals(3, p.get("priority").asInt());
        assertEquals("/", p.get("vhost").asText());
        assertEquals("{\"expires\":60000,\"message-ttl\":5}", p.get("definition").toString());
        boolean listed = false;
        for (JsonNode n : getJson("/api/policies/%2F")) {
            listed |= n.get("name").asText().equals(name);
        }
        assertTrue(listed);
        boolean exported = false;
        for (JsonNode n : getJson("/api/definitions").get("policies")) {
            exported |= n.get("name").asText().equals(name);
        }
        assertTrue(exported);

        assertBadRequest(path, "{\"pattern\":\"x\",\"definition\":{\"message-ttl\":\"abc\"}}",
                "Validation failed\n\n&lt;&lt;\"abc\"&gt;&gt; is not a valid message TTL\n");
        assertBadRequest(path, "{\"pattern\":\"x\",\"definition\":{\"expires\":0}}",
                "Validation failed\n\n0 is not a valid queue expiry\n");
        assertBadRequest(path, "{\"pattern\":\"x\",\"definition\":{\"max-priority\":5}}",
                "Validation failed\n\n[{&lt;&lt;\"max-priority\"&gt;&gt;,5}] are not recognised policy settings\n");
        assertBadRequest(path, "{\"pattern\":\"x\",\"definition\":{\"overflow\":\"x\"}}",
                "Validation failed\n\n&lt;&lt;\"x\"&gt;&gt; is not a valid overflow value\n");
        assertBadRequest(path, "{\"pattern\":\"x\",\"definition\":{\"expires\":1},\"apply-to\":\"foo\"}",
                "Validation failed\n\napply-to 'foo' unrecognised; should be 'queues', 'exchanges' or 'all'\n");
        assertBadRequest(path, "{\"definition\":{\"expires\":1}}", "[{key_missing,pattern}]");
        assertBadRequest(path, "{\"pattern\":\"x\"}", "[{key_missing,definition}]");
        assertEquals(5, getJson(path).get("definition").get("message-ttl").asInt()); // refused ones change nothing

        HttpResponse<String> noVhost = http("PUT", "/api/policies/no-such-vhost/p", body);
        assertEquals(404, noVhost.statusCode());
        assertEquals(404, http("GET", "/api/policies/%2F/no-such-policy", null).statusCode());
        assertEquals(204, http("DELETE", path, null).statusCode());
        assertEquals(404, http("DELETE", path, null).statusCode());
        assertEquals(404, http("GET", path, null).statusCode());
    }

    private static void assertBadRequest(String path, String body, String reason) throws Exception {
        HttpResponse<String> r = http("PUT", path, body);
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(reason, json(r).get("reason").asText());
    }

    @Test
    void warrenctlSetsListsAndClearsPolicies() throws Exception {
        String name = uniqueName("pol.ctl");
        policies.add(name);
        WarrenctlTest.Run set = WarrenctlTest.warrenctl("set_policy", "--priority", "7", "--apply-to", "queues", name,
                "^nothing-matches$", "{\"max-length\":3}");
        assertEquals(0, set.exit(), set.err());
        assertEquals("Setting policy \"" + name + "\" for pattern \"^nothing-matches$\" to \"{\"max-length\":3}\""
                + " with priority \"7\" for vhost \"/\" ...", set.out().strip());
        WarrenctlTest.Run list = WarrenctlTest.warrenctl("list_policies");
        assertEquals(0, list.exit(), list.err());
        assertEquals("Listing policies for vhost \"/\" ...", list.lines().get(0));
        assertEquals("vhost\tname\tpattern\tapply-to\tdefinition\tpriority", list.lines().get(1));
        assertTrue(list.lines().contains("/\t" + name + "\t^nothing-matches$\tqueues\t{\"max-length\":3}\t7"), list.out());
        WarrenctlTest.Run json = WarrenctlTest.warrenctl("list_policies", "--formatter", "json");
        assertTrue(json.out().contains("\"definition\":\"{\\\"max-length\\\":3}\""), json.out());

        WarrenctlTest.Run bad = WarrenctlTest.warrenctl("set_policy", name, "x", "{\"message-ttl\":-1}");
        assertEquals(69, bad.exit());
        assertTrue(bad.err().contains("Validation failed\n\n-1 is not a valid message TTL"), bad.err());
        WarrenctlTest.Run noVhost = WarrenctlTest.warrenctl("set_policy", "-p", "no-such-vhost", name, "x", "{\"expires\":10}");
        assertEquals(65, noVhost.exit());
        assertTrue(noVhost.err().contains("Virtual host 'no-such-vhost' does not exist"), noVhost.err());

        WarrenctlTest.Run clear = WarrenctlTest.warrenctl("clear_policy", name);
        assertEquals(0, clear.exit(), clear.err());
        assertEquals("Clearing policy \"" + name + "\" on vhost \"/\" ...", clear.out().strip());
        WarrenctlTest.Run again = WarrenctlTest.warrenctl("clear_policy", name);
        assertEquals(69, again.exit());
        assertTrue(again.err().contains("Parameter does not exist"), again.err());
    }
}
