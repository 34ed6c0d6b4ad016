package io.warren.management.http;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's file server: what it keeps in memory and the headers that protect the page. */
class StaticFilesTest {

    @Test
    void randomPathsLeaveNothingInTheCache() {
        StaticFiles files = new StaticFiles();
        assertNotNull(files.serve("/"));
        assertNotNull(files.serve("/app.js"));
        for (int i = 0; i < 20_000; i++) {
            assertNull(files.serve("/" + UUID.randomUUID() + (i % 2 == 0 ? ".js" : "")));
        }
        assertNull(files.serve("/no-such-dir/"));
        assertEquals(2, files.cachedFiles(), "only index.html and app.js are kept");
    }

    @Test
    void dashboardMayNotBeFramedNorRunForeignCode() {
        Response r = new StaticFiles().serve("/index.html");
        assertEquals("DENY", r.headers().get("X-Frame-Options"));
        String csp = r.headers().get("Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
        assertTrue(r.contentType().startsWith("text/html"));
    }
}
