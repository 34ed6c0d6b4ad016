package io.warren.management.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's file server: what random paths cost and the headers that protect the page. */
class StaticFilesTest {

    private static long heapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // the smallest of a few readings: a collection may still be finishing
            System.gc();
            Thread.sleep(20);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    /**
     * 20,000 random 2 KB paths (40 MB of names): before, each miss stayed in the cache and in the JDK's
     * resource cache; now the heap stays where it was.
     */
    @Test
    void randomPathsLeaveNothingBehind() throws Exception {
        StaticFiles files = new StaticFiles();
        assertNotNull(files.serve("/"));
        String padding = "x".repeat(2000);
        long before = heapAfterGc();
        for (int i = 0; i < 20_000; i++) {
            assertNull(files.serve("/" + UUID.randomUUID() + padding + (i % 2 == 0 ? ".js" : "")));
        }
        long grown = heapAfterGc() - before;
        assertTrue(grown < 8 * 1024 * 1024, "heap grew by " + grown / 1024 + " KiB");
        assertNull(files.serve("/../etc/passwd"));
        assertNull(files.serve("/io/warren/management/www/app.js"));
    }

    @Test
    void everyDashboardFileIsServed() throws IOException {
        Path www = Path.of("src/main/resources/io/warren/management/www");
        try (Stream<Path> s = Files.list(www)) {
            List<String> onDisk = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(onDisk, StaticFiles.FILES.stream().sorted().toList(), "StaticFiles.FILES lists every file");
        }
        StaticFiles files = new StaticFiles();
        for (String f : StaticFiles.FILES) {
            assertNotNull(files.serve("/" + f), f);
        }
        assertTrue(files.serve("/app.js").contentType().startsWith("text/javascript"));
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
