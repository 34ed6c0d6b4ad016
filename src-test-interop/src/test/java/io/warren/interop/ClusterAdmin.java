package io.warren.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The management API and the real {@code bin/warrenctl} of each node of a {@link WarrenCluster}, for tests. */
final class ClusterAdmin {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final WarrenCluster cluster;

    ClusterAdmin(WarrenCluster cluster) {
        this.cluster = cluster;
    }

    /** What one warrenctl run printed and how it ended. */
    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    HttpResponse<String> http(int node, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + cluster.node(node).httpPort() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "guest:guest".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode queue(int node, String q) throws Exception {
        HttpResponse<String> r = http(node, "GET", "/api/queues/%2F/" + q, null);
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    /** Polls node's /api/queues/%2F/q until it matches (state spreads through Raft: there is no event to wait on). */
    JsonNode awaitQueue(int node, String q, Predicate<JsonNode> until) throws Exception {
        return poll(() -> queue(node, q), j -> j != null && until.test(j), "queue " + q + " on n" + node);
    }

    /** Something read from outside the cluster, asked for again until it matches; fails after 30 s. */
    interface Reading<T> {
        T read() throws Exception;
    }

    /**
     * Reads until {@code until} holds and returns that reading. For state a cluster spreads through
     * Raft and shows only when asked (HTTP, warrenctl): there is no event a test could wait on.
     */
    static <T> T poll(Reading<T> reading, Predicate<T> until, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        T last = null;
        while (System.nanoTime() < deadline) {
            last = reading.read();
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " never matched; last: " + last);
    }

    static List<String> members(JsonNode queue) {
        List<String> out = new ArrayList<>();
        queue.path("members").forEach(m -> out.add(m.asText()));
        out.sort(null);
        return out;
    }

    Run warrenctl(int node, String... args) throws Exception {
        Path root = Paths.get(System.getProperty("user.dir")).toAbsolutePath().getParent();
        List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/warrenctl").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("WARREN"));
        pb.environment().put("WARRENCTL_HOST", "localhost");
        pb.environment().put("WARRENCTL_PORT", Integer.toString(cluster.node(node).httpPort()));
        pb.environment().put("WARRENCTL_CONFIG", "/dev/null");
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("warrenctl " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Run(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
