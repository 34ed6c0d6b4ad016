package io.warren.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** A quorum queue as one node's management API shows it (leader, members, online, counts). */
final class QuorumQueueProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QuorumQueueProbe() {
    }

    /** Polls node {@code node}'s /api/queues/%2F/q until {@code until} holds (60 s at most). */
    static JsonNode await(WarrenCluster cluster, int node, String q, Predicate<JsonNode> until) throws Exception {
        return await(cluster, node, "%2F", q, until);
    }

    /**
     * Polls node {@code node}'s /api/queues/{vhost}/{q} (vhost already URL-encoded) until {@code until}
     * holds, 60 s at most: what a node's management API shows has no event to wait on.
     */
    static JsonNode await(WarrenCluster cluster, int node, String vhost, String q, Predicate<JsonNode> until)
            throws Exception {
        String path = "/api/queues/" + vhost + "/" + URLEncoder.encode(q, StandardCharsets.UTF_8);
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            return Await.value("queue " + q + " on n" + node + " to match", Duration.ofSeconds(60), () -> {
                HttpResponse<String> r = cluster.http(node, "GET", path, null); // a starting node: an IOException, asked again
                if (r.statusCode() != 200) {
                    return null;
                }
                last.set(JSON.readTree(r.body()));
                return until.test(last.get()) ? last.get() : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last: " + last.get(), e);
        }
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
