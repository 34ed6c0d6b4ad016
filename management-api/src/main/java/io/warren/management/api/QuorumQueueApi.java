package io.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.warren.management.http.Access;
import io.warren.management.http.ApiException;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.model.AdminException;
import io.warren.management.model.QuorumMemberInfo;
import io.warren.management.model.ReplicaChange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Quorum queue membership on the paths RabbitMQ 3.13+ uses for it ({@code /api/queues/quorum/...}):
 * add and delete one queue's replica, grow and shrink every queue's replicas on a node, and the
 * members' Raft status (rabbitmq-queues quorum_status). Grow and shrink answer with what they did to
 * each queue (RabbitMQ answers without a body).
 */
final class QuorumQueueApi {
    private final ApiContext ctx;

    QuorumQueueApi(ApiContext ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.add("POST", "/api/queues/quorum/replicas/on/{node}/grow", Access.ADMIN, req -> {
            JsonNode body = req.jsonObject();
            String strategy = BodyFields.string(body, "strategy", "all");
            List<ReplicaChange> done = call(() -> ctx.admin().quorumQueues().grow(req.param("node"), strategy,
                    BodyFields.string(body, "vhost_pattern", ".*"), BodyFields.string(body, "queue_pattern", ".*")));
            return Response.json(changes(done));
        });
        r.add("DELETE", "/api/queues/quorum/replicas/on/{node}/shrink", Access.ADMIN,
                req -> Response.json(changes(call(() -> ctx.admin().quorumQueues().shrink(req.param("node"))))));
        r.add("POST", "/api/queues/quorum/{vhost}/{name}/replicas/add", Access.ADMIN, req -> {
            String node = node(req);
            call(() -> {
                ctx.admin().quorumQueues().addMember(req.param("vhost"), req.param("name"), node);
                return null;
            });
            return Response.empty(204);
        });
        r.add("DELETE", "/api/queues/quorum/{vhost}/{name}/replicas/delete", Access.ADMIN, req -> {
            String node = node(req);
            call(() -> {
                ctx.admin().quorumQueues().deleteMember(req.param("vhost"), req.param("name"), node);
                return null;
            });
            return Response.empty(202);
        });
        r.get("/api/queues/quorum/{vhost}/{name}/status", Access.MONITOR, req -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (QuorumMemberInfo m : call(() -> ctx.admin().quorumQueues().status(req.param("vhost"), req.param("name")))) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("node", m.node());
                row.put("raft_state", m.raftState());
                row.put("log_index", known(m.logIndex()));
                row.put("commit_index", known(m.commitIndex()));
                row.put("snapshot_index", known(m.snapshotIndex()));
                row.put("term", known(m.term()));
                out.add(row);
            }
            return Response.json(out);
        });
    }

    /** -1 (not known: the member did not answer, or has no snapshot yet) is null. */
    private static Long known(long n) {
        return n < 0 ? null : n;
    }

    private static String node(Request req) {
        JsonNode body = req.jsonObject();
        BodyFields.require(body, "node");
        return BodyFields.string(body, "node", null);
    }

    private static List<Map<String, Object>> changes(List<ReplicaChange> done) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ReplicaChange c : done) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("vhost", c.vhost());
            row.put("name", c.name());
            row.put("size", c.size());
            row.put("result", c.result());
            out.add(row);
        }
        return out;
    }

    /** A refusal: 404 for a missing queue, 500 when the group did not commit, else 400 with RabbitMQ's reason. */
    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (AdminException e) {
            throw switch (e.replyCode()) {
                case 404 -> ApiException.notFound();
                case 540 -> new ApiException(501, "not_implemented", e.detail());
                case 541 -> new ApiException(500, "internal_error", e.detail());
                default -> ApiException.badRequest(e.detail());
            };
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
