package io.warren.management.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps {@code METHOD /api/path/{param}} patterns to handlers. Paths are matched segment by segment
 * on the raw (still percent-encoded) path, so {@code %2F} inside a vhost name stays inside its
 * segment; parameters are decoded afterwards. The first registered pattern that matches wins.
 */
public final class Router {

    /** An endpoint. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request);
    }

    private record Route(String[] segments, Map<String, Endpoint> byMethod) {
    }

    /** A handler and who may call it. */
    public record Endpoint(Access access, Handler handler) {
    }

    /** The result of a lookup: an endpoint with its parameters, or the methods the path allows. */
    public record Match(Endpoint endpoint, Map<String, String> params, Set<String> allowed) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router get(String pattern, Handler h) {
        return add("GET", pattern, Access.USER, h);
    }

    /** A GET only some tags may call. */
    public Router get(String pattern, Access access, Handler h) {
        return add("GET", pattern, access, h);
    }

    public Router add(String method, String pattern, Access access, Handler h) {
        String[] segs = split(pattern);
        for (Route r : routes) {
            if (String.join("/", r.segments).equals(String.join("/", segs))) {
                r.byMethod.put(method, new Endpoint(access, h));
                return this;
            }
        }
        Map<String, Endpoint> m = new LinkedHashMap<>();
        m.put(method, new Endpoint(access, h));
        routes.add(new Route(segs, m));
        return this;
    }

    /**
     * Finds the endpoint for a raw path; null when no pattern matches (404). HEAD is served by GET.
     * When the path matches but not the method, the match has no endpoint and lists the allowed methods.
     */
    public Match match(String method, String rawPath) {
        String[] segs = split(rawPath);
        for (Route r : routes) {
            Map<String, String> params = bind(r.segments, segs);
            if (params == null) {
                continue;
            }
            Endpoint e = r.byMethod.get("HEAD".equals(method) ? "GET" : method);
            Set<String> allowed = new TreeSet<>(r.byMethod.keySet());
            if (allowed.contains("GET")) {
                allowed.add("HEAD");
            }
            allowed.add("OPTIONS");
            return new Match(e, params, allowed);
        }
        return null;
    }

    private static Map<String, String> bind(String[] pattern, String[] segs) {
        if (pattern.length != segs.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{")) {
                params.put(p.substring(1, p.length() - 1), PathCodec.decode(segs[i]));
            } else if (!p.equals(segs[i])) {
                return null;
            }
        }
        return params;
    }

    /** Splits on '/', ignoring the leading slash and one trailing slash. */
    static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
