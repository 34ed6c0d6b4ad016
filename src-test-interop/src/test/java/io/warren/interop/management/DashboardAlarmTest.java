package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import io.warren.interop.WarrenBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The node panel shows a raised alarm: a broker whose memory high watermark (1 byte) is always
 * exceeded has its memory bar marked as in alarm, full, while the disk bar is not.
 */
class DashboardAlarmTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated("--memory-high-watermark-bytes", "1");

    @Test
    void nodePanelMarksTheMemoryAlarm() throws Exception {
        assumeFalse(WarrenBroker.external(), "needs a broker started with a tiny memory watermark");
        Path chromedriver = WebDriver.chromedriver();
        assumeTrue(chromedriver != null, "chromedriver not installed (apt-get install chromium chromium-driver)");
        try (WebDriver browser = new WebDriver(chromedriver)) {
            browser.open("http://localhost:" + broker.httpPort() + "/#/overview");
            browser.type("#login-form input[name=user]", "guest");
            browser.type("#login-form input[name=pass]", "guest");
            browser.click("#login-form button");
            browser.awaitText("[data-gauge=Memory]", "ALARM");
            JsonNode gauges = browser.script("return [...document.querySelectorAll('#n-gauges .gauge')]"
                    + ".map(g => [g.dataset.gauge, g.classList.contains('alarm'), g.querySelector('.bar i').style.width]);");
            assertEquals("Memory", gauges.get(0).get(0).asText());
            assertTrue(gauges.get(0).get(1).asBoolean(), gauges.toString());
            assertEquals("100%", gauges.get(0).get(2).asText(), "used is past the limit");
            assertEquals("Disk free", gauges.get(1).get(0).asText());
            assertTrue(!gauges.get(1).get(1).asBoolean(), "no disk alarm: " + gauges);
            browser.screenshot(WebDriver.screenshotFile("node-memory-alarm"));
        }
    }
}
