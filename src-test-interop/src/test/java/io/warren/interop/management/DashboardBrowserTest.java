package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import io.warren.interop.WarrenBroker;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard end to end in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}):
 * log in, see a queue with its depth, publish and get a message through the UI, open an exchange and the
 * admin page. Leaves screenshots in
 * {@code target/dashboard-screenshots/*.png}. Skipped when chromedriver is not installed.
 */
class DashboardBrowserTest extends ManagementTestBase {

    @Test
    void loginSeeQueuePublishAndGet() throws Exception {
        assumeFalse(WarrenBroker.external(), "the dashboard is Warren's");
        Path chromedriver = WebDriver.chromedriver();
        assumeTrue(chromedriver != null, "chromedriver not installed (apt-get install chromium chromium-driver)");
        String q = declareQueue();
        for (int i = 0; i < 3; i++) {
            ch.basicPublish("", q, null, ("seed " + i).getBytes(StandardCharsets.UTF_8));
        }
        awaitMessageCount(q, 3);
        String base = "http://localhost:" + httpPort() + "/";
        try (WebDriver browser = new WebDriver(chromedriver)) {
            browser.open(base);
            browser.type("#login-form input[name=user]", "guest");
            browser.type("#login-form input[name=pass]", "guest");
            browser.click("#login-form button");
            browser.awaitText("#who", "guest");
            browser.awaitText("#view .cards", "Queues");

            browser.open(base + "#/queues");
            browser.awaitText("#view .list", q);
            // the queue's row as {column key: cell text}: columns are found by their keys, not their place
            JsonNode cells = browser.script("const heads = Array.from(document.querySelectorAll('#view .list thead th'))"
                    + ".map(h => h.dataset.col);"
                    + " for (const tr of document.querySelectorAll('#view .list tbody tr')) {"
                    + " if (tr.cells[0].innerText === '" + q + "') { const row = {};"
                    + " Array.from(tr.cells).forEach((c, i) => row[heads[i]] = c.innerText); return row; } }"
                    + " return {};");
            assertEquals(q, cells.path("name").asText(), cells.toString());
            assertEquals("classic", cells.path("type").asText(), cells.toString());
            assertEquals("running", cells.path("state").asText(), cells.toString());
            assertEquals("3", cells.path("messages_ready").asText(), "ready: " + cells);
            assertEquals("3", cells.path("messages").asText(), "total: " + cells);
            browser.screenshot(WebDriver.screenshotFile("queues"));

            browser.open(base + "#/queue/%2F/" + q);
            browser.awaitText("#q-cards", "Ready");
            browser.type("#q-publish textarea[name=payload]", "hello from the browser");
            browser.click("#q-publish button");
            browser.awaitText("#status", "Message published");
            awaitMessageCount(q, 4);

            browser.type("#q-get input[name=count]", "10");
            browser.script("document.querySelector('#q-get select[name=ackmode]').value = 'ack_requeue_false'; return 1;");
            browser.click("#q-get button");
            browser.awaitText("#q-messages", "hello from the browser");
            browser.awaitText("#q-messages", "seed 0");
            awaitMessageCount(q, 0);
            browser.screenshot(WebDriver.screenshotFile("queue"));

            browser.open(base + "#/exchange/%2F/amq.topic");
            browser.awaitText("#x-details", "topic");
            browser.open(base + "#/admin");
            browser.awaitText("#a-users", "administrator");
            browser.awaitText("#a-perms", "guest");
            browser.screenshot(WebDriver.screenshotFile("admin"));

            browser.open(base + "#/overview");
            browser.awaitText("#l-rates", "Publish");
            // the page runs under a content-security policy without inline styles: legend colours still show
            JsonNode swatch = browser.script("return getComputedStyle(document.querySelector('#l-rates i'))"
                    + ".backgroundColor;");
            assertNotEquals("rgba(0, 0, 0, 0)", swatch.asText(), "legend colour blocked");
            browser.screenshot(WebDriver.screenshotFile("overview"));
        }
    }
}
