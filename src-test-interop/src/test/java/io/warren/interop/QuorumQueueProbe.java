package io.warren.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A quorum queue as one node's management API shows it (leader, members, online, counts). */
final class QuorumQueueProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private QuorumQueueProbe() {
    }

    /** Polls node {@code node}'s /api/queues/%2F/q until {@code until} holds (60 s at most). */
    static JsonNode await(WarrenCluster cluster, int node, String q, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                                + cluster.node(node).httpPort() + "/api/queues/%2F/" + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                "guest:guest".getBytes(StandardCharsets.UTF_8))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    last = JSON.readTree(r.body());
                    if (until.test(last)) {
                        return last;
                    }
                }
            } catch (java.io.IOException notUpYet) {
                // a node that is starting: ask again
            }
            Thread.sleep(100);
        }
        throw new AssertionError("queue " + q + " on n" + node + " never matched; last: " + last);
    }

    /** The node numbers (n1 -> 1) of the queue's members as {@code info} lists them. */
    static List<Integer> members(JsonNode info) {
        List<Integer> out = new ArrayList<>();
        info.path("members").forEach(m -> out.add(number(m.asText())));
        return out;
    }

    static int number(String nodeName) {
        return Integer.parseInt(nodeName.substring(1));
    }

    /** Waits until the node is a running member again: it sees a leader and the leader sees every member online. */
    static void awaitOnline(WarrenCluster cluster, int node, String q, int memberCount) throws Exception {
        JsonNode seen = await(cluster, node, q, j -> j.hasNonNull("leader") && j.path("members").size() == memberCount);
        int leader = number(seen.get("leader").asText());
        await(cluster, leader, q, j -> j.path("online").size() == memberCount);
    }
}
