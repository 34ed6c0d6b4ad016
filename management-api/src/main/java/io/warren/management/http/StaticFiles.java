package io.warren.management.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's files, served from the jar (no CDN: the broker may have no internet). Files
 * are read once and kept; only names without ".." and under the www folder are served.
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

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** The file for a request path ("/" is index.html), or null. */
    public Response serve(String path) {
        String name = path.equals("/") || path.isEmpty() ? "index.html" : path.substring(1);
        if (name.contains("..") || name.contains("\\") || name.startsWith("/")) {
            return null;
        }
        byte[] body = cache.computeIfAbsent(name, StaticFiles::load);
        if (body.length == 0 && !name.contains(".")) {
            return null;
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return body.length == 0 ? null : Response.raw(200, body, TYPES.getOrDefault(ext, "application/octet-stream"))
                .header("Cache-Control", "no-cache");
    }

    private static byte[] load(String name) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
