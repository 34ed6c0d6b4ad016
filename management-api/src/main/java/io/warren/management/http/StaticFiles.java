package io.warren.management.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's files, served from the jar (no CDN: the broker may have no internet). The files are
 * a fixed list, read once when the server starts; a request for any other path is a map miss and never
 * reaches the class loader. Anyone may ask for any path without logging in, and both a cache of misses
 * and the JDK's own resource cache ({@code BuiltinClassLoader} keeps every looked-up name, found or not,
 * in a soft map) would let them fill the heap, and with it raise the memory alarm, with random paths.
 */
public final class StaticFiles {
    private static final String ROOT = "io/warren/management/www/";
    /** Every file in the www folder ({@code StaticFilesTest} checks that none is missing). */
    static final List<String> FILES = List.of("index.html", "app.js", "forms.js", "overview.js", "nodes.js", "lists.js",
            "queue.js", "exchange.js", "clients.js", "policies.js", "admin.js", "style.css");
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

    private final Map<String, byte[]> files = new HashMap<>();

    public StaticFiles() {
        for (String name : FILES) {
            files.put(name, load(name));
        }
    }

    /** The file for a request path ("/" is index.html), or null. */
    public Response serve(String path) {
        String name = path.equals("/") || path.isEmpty() ? "index.html" : path.substring(1);
        byte[] body = files.get(name);
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

    private static byte[] load(String name) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file " + name + " missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
