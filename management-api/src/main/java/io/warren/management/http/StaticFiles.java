package io.warren.management.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's files, served from the jar (no CDN: the broker may have no internet). Files
 * are read once and kept; only names without ".." and under the www folder are served. Only files
 * that exist are kept: anyone may ask for any path without logging in, so remembering misses would
 * let them grow the heap without bound.
 */
public final class StaticFiles {
    private static final String ROOT = "io/warren/management/www/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json");

    /**
     * The dashboard loads only its own scripts, styles and API, and may not be framed (clickjacking):
     * no inline script or style, no plugins, forms post nowhere else.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** The file for a request path ("/" is index.html), or null. */
    public Response serve(String path) {
        String name = path.equals("/") || path.isEmpty() ? "index.html" : path.substring(1);
        if (name.contains("..") || name.contains("\\") || name.startsWith("/")) {
            return null;
        }
        byte[] body = cache.computeIfAbsent(name, StaticFiles::load); // a null load adds no entry
        if (body == null) {
            return null;
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return Response.raw(200, body, TYPES.getOrDefault(ext, "application/octet-stream"))
                .header("Cache-Control", "no-cache")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff");
    }

    /** How many files are kept in memory (for tests: never more than the dashboard has). */
    int cachedFiles() {
        return cache.size();
    }

    /** The file's bytes, or null when there is no such file (or it is a folder, which reads as empty). */
    private static byte[] load(String name) {
        if (name.isEmpty() || name.endsWith("/")) {
            return null;
        }
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            byte[] b = in == null ? null : in.readAllBytes();
            return b == null || b.length == 0 ? null : b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
