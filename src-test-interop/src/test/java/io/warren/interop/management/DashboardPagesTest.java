package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.warren.interop.WarrenBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each dashboard page does what it shows, in headless Chromium: what a form creates, the API then
 * has; what the UI publishes, an AMQP client gets; what it closes, the client sees closed. One
 * browser serves the whole class (starting Chromium is the slow part). Screenshots go to
 * {@code target/dashboard-screenshots/} and are named in the test report.
 */
class DashboardPagesTest extends ManagementTestBase {
    private static WebDriver browser;
    private static String base;

    @BeforeEach
    void browser() throws Exception {
        assumeFalse(WarrenBroker.external(), "the dashboard is Warren's");
        if (browser == null) {
            Path chromedriver = WebDriver.chromedriver();
            assumeTrue(chromedriver != null, "chromedriver not installed (apt-get install chromium chromium-driver)");
            base = "http://localhost:" + httpPort() + "/";
            browser = new WebDriver(chromedriver);
            browser.open(base);
            browser.type("#login-form input[name=user]", "guest");
            browser.type("#login-form input[name=pass]", "guest");
            browser.click("#login-form button");
            browser.awaitText("#who", "guest");
        }
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    private static void open(String hash) throws Exception {
        browser.open(base + hash);
    }

    @Test
    void nodePanelShowsVersionMemoryDiskDescriptorsAndListeners() throws Exception {
        JsonNode overview = getJson("/api/overview");
        JsonNode node = getJson("/api/nodes").get(0);
        open("#/overview");
        browser.awaitText("#n-info", overview.get("product_version").asText());
        browser.awaitText("#n-info", "Uptime");
        browser.awaitText("#n-gauges", "high watermark");
        browser.awaitText("#n-gauges", "File descriptors");
        String amqpPort = String.valueOf(WarrenBroker.shared().connectionFactory().getPort());
        browser.awaitText("#n-listeners", "amqp");
        browser.awaitText("#n-listeners", amqpPort);
        // the memory bar is drawn against the alarm's high watermark
        JsonNode width = browser.script("return document.querySelector('[data-gauge=Memory] .bar i').style.width;");
        double shown = Double.parseDouble(width.asText().replace("%", ""));
        double expected = 100.0 * node.get("mem_used").asLong() / node.get("mem_limit").asLong();
        assertTrue(shown > 0 && Math.abs(shown - expected) < 10, "memory bar " + shown + "% for " + expected + "%");
        browser.screenshot(WebDriver.screenshotFile("node"));
    }

    @Test
    void policyIsAddedEditedAndDeletedInTheForm() throws Exception {
        String name = uniqueName("pol");
        String path = "/api/policies/%2F/" + enc(name);
        open("#/policies");
        browser.awaitText("#p-list", "Name");
        browser.type("#p-form input[name=name]", name);
        browser.type("#p-form input[name=pattern]", "^dash\\.");
        browser.select("#p-form select[name=applyto]", "queues");
        browser.type("#p-form .arg:nth-child(1) .k", "max-length");
        browser.type("#p-form .arg:nth-child(1) .v", "5");
        browser.type("#p-form .arg:nth-child(2) .k", "overflow");
        browser.type("#p-form .arg:nth-child(2) .v", "reject-publish");
        browser.click("#p-form button");
        JsonNode p = await(path, j -> true);
        assertEquals("^dash\\.", p.get("pattern").asText());
        assertEquals("queues", p.get("apply-to").asText());
        assertTrue(p.get("definition").get("max-length").isNumber(), p.toString());
        assertEquals(5, p.get("definition").get("max-length").asInt());
        assertEquals("reject-publish", p.get("definition").get("overflow").asText());
        browser.awaitText("#p-list", name);
        browser.screenshot(WebDriver.screenshotFile("policies"));

        // edit: the row's values go into the form; saving replaces the policy
        browser.script("for (const b of document.querySelectorAll('#p-list [data-edit-policy]'))"
                + " if (JSON.parse(b.dataset.editPolicy).name === '" + name + "') { b.click(); return 1; } return 0;");
        browser.awaitText("#p-form-title", "Edit policy " + name);
        int row = browser.script("return [...document.querySelectorAll('#p-form .arg')]"
                + ".findIndex(r => r.querySelector('.k').value === 'max-length') + 1;").asInt();
        assertTrue(row > 0, "max-length is in the edit form");
        browser.type("#p-form .arg:nth-child(" + row + ") .v", "7");
        browser.type("#p-form input[name=priority]", "3");
        browser.click("#p-form button");
        JsonNode edited = await(path, j -> j.path("definition").path("max-length").asInt() == 7);
        assertEquals(3, edited.get("priority").asInt());
        assertEquals("reject-publish", edited.get("definition").get("overflow").asText(), "kept through the edit");

        browser.awaitText("#p-list", "\"max-length\":7");
        browser.click("#p-list button[data-delete='" + path + "']");
        browser.acceptDialog(null);
        await("/api/policies", j -> {
            for (JsonNode x : j) {
                if (x.get("name").asText().equals(name)) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void queueFormDeclaresInAVhostWithTypeAndArguments() throws Exception {
        String vhost = uniqueName("vh");
        String q = "dash.q";
        assertEquals(201, http("PUT", "/api/vhosts/" + enc(vhost), "{}").statusCode());
        try {
            assertEquals(201, http("PUT", "/api/permissions/" + enc(vhost) + "/guest",
                    "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}").statusCode());
            open("#/queues");
            browser.click("#view details summary");
            browser.awaitText("#add-queue select[name=vhost]", vhost);
            browser.select("#add-queue select[name=vhost]", vhost);
            browser.type("#add-queue input[name=name]", q);
            browser.select("#add-queue select[name=type]", "quorum");
            browser.type("#add-queue .arg:nth-child(1) .k", "x-max-length");
            browser.type("#add-queue .arg:nth-child(1) .v", "10");
            browser.screenshot(WebDriver.screenshotFile("queue-form"));
            browser.click("#add-queue button");
            JsonNode created = await("/api/queues/" + enc(vhost) + "/" + q, j -> true);
            assertEquals("quorum", created.get("type").asText());
            assertEquals(10, created.get("arguments").get("x-max-length").asInt());
            assertTrue(created.get("durable").asBoolean());
            // the queue is real: an AMQP client in that vhost can use it
            com.rabbitmq.client.ConnectionFactory f = factory().clone();
            f.setVirtualHost(vhost);
            try (Connection c = f.newConnection()) {
                assertEquals(0, c.createChannel().queueDeclarePassive(q).getMessageCount());
            }
        } finally {
            http("DELETE", "/api/vhosts/" + enc(vhost), null);
        }
    }

    @Test
    void exchangeFormAndBindingsBothWaysFromTheExchangePage() throws Exception {
        String x = exchangeName("dash");
        String upstream = exchangeName("up");
        String side = exchangeName("side");
        String q = declareQueue();
        String sideQ = declareQueue();
        ch.exchangeDeclare(upstream, "fanout");
        ch.exchangeDeclare(side, "fanout");
        ch.queueBind(sideQ, side, "");

        open("#/exchanges");
        browser.click("#view details summary");
        browser.awaitText("#add-exchange select[name=vhost]", "/");
        browser.type("#add-exchange input[name=name]", x);
        browser.select("#add-exchange select[name=type]", "topic");
        browser.click("#add-exchange button");
        JsonNode made = await("/api/exchanges/%2F/" + enc(x), j -> true);
        assertEquals("topic", made.get("type").asText());

        open("#/exchange/%2F/" + enc(x));
        browser.awaitText("#x-details", "topic");
        // from this exchange to a queue, and to another exchange
        browser.type("#x-bind-out input[name=other]", q);
        browser.type("#x-bind-out input[name=rk]", "a.*");
        browser.click("#x-bind-out button");
        browser.awaitText("#x-source", q);
        browser.select("#x-bind-out select[name=dtype]", "e");
        browser.type("#x-bind-out input[name=other]", side);
        browser.type("#x-bind-out input[name=rk]", "#");
        browser.click("#x-bind-out button");
        browser.awaitText("#x-source", side);
        // into this exchange from another one
        browser.type("#x-bind-in input[name=other]", upstream);
        browser.click("#x-bind-in button");
        browser.awaitText("#x-dest", upstream);

        browser.type("#x-publish input[name=rk]", "a.b");
        browser.type("#x-publish textarea[name=payload]", "via the exchange page");
        browser.click("#x-publish button");
        assertEquals("via the exchange page", body(getOrFail(ch, q, true)));
        assertEquals("via the exchange page", body(getOrFail(ch, sideQ, true)), "exchange-to-exchange binding");
        ch.basicPublish(upstream, "a.c", null, "from upstream".getBytes(StandardCharsets.UTF_8));
        assertEquals("from upstream", body(getOrFail(ch, q, true)), "binding into the exchange");
        // RabbitMQ's counting: publish_in for the exchange a client published to, publish_out per queue reached
        JsonNode stats = getJson("/api/exchanges/%2F/" + enc(x)).get("message_stats");
        assertEquals(1, stats.get("publish_in").asInt(), stats.toString());
        assertEquals(2, stats.get("publish_out").asInt(), stats.toString());
        stats = getJson("/api/exchanges/%2F/" + enc(upstream)).get("message_stats");
        assertEquals(1, stats.get("publish_in").asInt(), stats.toString());
        assertEquals(2, stats.get("publish_out").asInt(), stats.toString()); // through x to q and side
        browser.awaitText("#l-x-rates", "Publish in");
        browser.screenshot(WebDriver.screenshotFile("exchange"));

        // unbind the exchange-to-exchange binding from the table
        browser.click("#x-source button[data-delete*='/e/" + enc(side) + "/']");
        browser.acceptDialog(null);
        await("/api/exchanges/%2F/" + enc(x) + "/bindings/source", j -> j.size() == 1
                && j.get(0).get("destination").asText().equals(q));

        browser.click("#view button[data-delete='/api/exchanges/%2F/" + enc(x) + "']");
        browser.acceptDialog(null);
        browser.awaitText("#view h1", "Exchanges");
        assertEquals(404, http("GET", "/api/exchanges/%2F/" + enc(x), null).statusCode());
    }

    @Test
    void queuePageBindsPublishesGetsWithAckModesPurgesAndDeletes() throws Exception {
        String q = declareQueue();
        open("#/queue/%2F/" + enc(q));
        browser.awaitText("#q-cards", "Ready");
        // a binding into the queue from the queue's page
        browser.type("#q-bind input[name=other]", "amq.direct");
        browser.type("#q-bind input[name=rk]", "dash-key");
        browser.click("#q-bind button");
        browser.awaitText("#q-bindings", "dash-key");
        ch.basicPublish("amq.direct", "dash-key", null, "through amq.direct".getBytes(StandardCharsets.UTF_8));
        assertEquals("through amq.direct", body(getOrFail(ch, q, true)));

        // publish from the UI with a header and persistent delivery; an AMQP client gets it as sent
        browser.type("#q-publish textarea[name=payload]", "from the queue page");
        browser.select("#q-publish select[name=dm]", "2");
        browser.type("#q-publish .arg:nth-child(1) .k", "origin");
        browser.type("#q-publish .arg:nth-child(1) .v", "dashboard");
        browser.click("#q-publish button");
        GetResponse got = getOrFail(ch, q, true);
        assertEquals("from the queue page", body(got));
        assertEquals(2, got.getProps().getDeliveryMode());
        assertEquals("dashboard", String.valueOf(got.getProps().getHeaders().get("origin")));

        // get with "nack, requeue" leaves both messages there, redelivered; "ack" takes them
        for (int i = 0; i < 2; i++) {
            ch.basicPublish("", q, null, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        awaitMessageCount(q, 2);
        browser.type("#q-get input[name=count]", "5");
        browser.select("#q-get select[name=ackmode]", "ack_requeue_true");
        browser.click("#q-get button");
        browser.awaitText("#q-messages", "m1");
        awaitMessageCount(q, 2);
        browser.select("#q-get select[name=ackmode]", "ack_requeue_false");
        browser.click("#q-get button");
        browser.awaitText("#q-messages", "redelivered true");
        awaitMessageCount(q, 0);

        // the depth chart follows the queue; purge empties it
        for (int i = 0; i < 3; i++) {
            ch.basicPublish("", q, null, ("p" + i).getBytes(StandardCharsets.UTF_8));
        }
        awaitMessageCount(q, 3);
        browser.awaitText("#l-q-depth", "Ready 3"); // within one refresh
        browser.screenshot(WebDriver.screenshotFile("queue-page"));
        browser.click("#q-purge");
        browser.acceptDialog(null);
        awaitMessageCount(q, 0);

        browser.click("#view button[data-delete='/api/queues/%2F/" + enc(q) + "']");
        browser.acceptDialog(null);
        assertEquals(404, awaitGone(q));
        browser.awaitText("#view h1", "Queues");
    }

    /** Polls until the queue is gone from the API; returns 404. */
    private static int awaitGone(String q) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (http("GET", "/api/queues/%2F/" + enc(q), null).statusCode() == 404) {
                return 404;
            }
            Thread.sleep(50);
        }
        return 200;
    }

    @Test
    void connectionAndChannelPagesShowDetailsAndClose() throws Exception {
        Connection c = track(factory().newConnection("dashboard-victim"));
        Channel victim = c.createChannel();
        String q = declareQueue();
        victim.basicConsume(q, false, "dash-consumer", (tag, d) -> { }, tag -> { });
        JsonNode conns = await("/api/connections", j -> {
            for (JsonNode x : j) {
                if ("dashboard-victim".equals(x.path("user_provided_name").asText())) {
                    return true;
                }
            }
            return false;
        });
        String name = null;
        for (JsonNode x : conns) {
            if ("dashboard-victim".equals(x.path("user_provided_name").asText())) {
                name = x.get("name").asText();
            }
        }
        assertNotNull(name);
        open("#/connection/" + enc(name));
        browser.awaitText("#c-details", "guest");
        browser.awaitText("#c-details", "dashboard-victim");
        browser.awaitText("#c-client", "RabbitMQ");
        browser.awaitText("#c-channels", name + " (1)");
        browser.screenshot(WebDriver.screenshotFile("connection"));

        open("#/channel/" + enc(name + " (1)"));
        browser.awaitText("#ch-consumers", "dash-consumer");
        browser.awaitText("#ch-consumers", q);
        browser.screenshot(WebDriver.screenshotFile("channel"));
        browser.click("#view button[data-close]");
        browser.acceptDialog("closed from the dashboard test");
        ShutdownSignalException sse = awaitClosed(c);
        assertEquals(AMQP.CONNECTION_FORCED, ((AMQP.Connection.Close) sse.getReason()).getReplyCode());
        assertTrue(((AMQP.Connection.Close) sse.getReason()).getReplyText().contains("closed from the dashboard test"),
                sse.getMessage());
        browser.awaitText("#view h1", "Connections");
    }

    private static String body(GetResponse r) {
        return new String(r.getBody(), StandardCharsets.UTF_8);
    }
}
