package io.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.warren.management.http.Access;
import io.warren.management.http.ApiException;
import io.warren.management.http.ListQuery;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.http.Viewer;
import io.warren.management.model.AckMode;
import io.warren.management.model.AdminException;
import io.warren.management.model.BindingInfo;
import io.warren.management.model.GotMessage;
import io.warren.management.model.QueueInfo;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /api/queues: list, show, declare, delete, purge, get, and a queue's bindings. */
final class QueueApi {
    private final ApiContext ctx;

    QueueApi(ApiContext ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/queues", req -> Response.json(ListQuery.apply(queues(null), req)));
        r.get("/api/queues/{vhost}", req -> {
            ctx.requireVhost(req.param("vhost"));
            return Response.json(ListQuery.apply(queues(req.param("vhost")), req));
        });
        r.get("/api/queues/{vhost}/{name}", req -> {
            QueueInfo q = find(req);
            return Response.json(Formats.queue(q, node(q), ctx.rates()));
        });
        r.add("PUT", "/api/queues/{vhost}/{name}", Access.USER, this::declare);
        r.add("DELETE", "/api/queues/{vhost}/{name}", Access.USER, this::delete);
        r.add("DELETE", "/api/queues/{vhost}/{name}/contents", Access.USER, this::purge);
        r.add("POST", "/api/queues/{vhost}/{name}/get", Access.USER, this::get);
        r.get("/api/queues/{vhost}/{name}/bindings", req -> {
            QueueInfo q = find(req);
            List<Map<String, Object>> out = new ArrayList<>();
            for (BindingInfo b : ctx.admin().bindings()) {
                if (b.vhost().equals(q.vhost()) && b.destinationType().equals("queue") && b.destination().equals(q.name())) {
                    out.add(Formats.binding(b));
                }
            }
            return Response.json(out);
        });
    }

    private List<Map<String, Object>> queues(String vhost) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (QueueInfo q : ctx.admin().queues()) {
            if (vhost == null || q.vhost().equals(vhost)) {
                out.add(Formats.queue(q, node(q), ctx.rates()));
            }
        }
        return out;
    }

    private QueueInfo find(Request req) {
        String vhost = req.param("vhost");
        String name = req.param("name");
        for (QueueInfo q : ctx.admin().queues()) {
            if (q.vhost().equals(vhost) && q.name().equals(name)) {
                return q;
            }
        }
        throw ApiException.notFound();
    }

    private Response declare(Request req) {
        String vhost = req.param("vhost");
        if (!ctx.vhostExists(vhost)) {
            throw ApiException.vhostNotFound();
        }
        req.viewer().require(vhost, Viewer.Kind.CONFIGURE, "queue", req.param("name"));
        JsonNode body = req.jsonObject();
        boolean durable = BodyFields.bool(body, "durable", false);
        boolean autoDelete = BodyFields.bool(body, "auto_delete", false);
        Map<String, Object> args = BodyFields.map(body, "arguments");
        try {
            return Response.createdOrExisted(ctx.admin().declareQueue(vhost, req.param("name"), durable, autoDelete, args));
        } catch (AdminException e) {
            throw BodyFields.declareError(e);
        }
    }

    private Response delete(Request req) {
        ctx.requireVhost(req.param("vhost"));
        req.viewer().require(req.param("vhost"), Viewer.Kind.CONFIGURE, "queue", req.param("name"));
        try {
            boolean existed = ctx.admin().deleteQueue(req.param("vhost"), req.param("name"),
                    req.queryFlag("if-unused"), req.queryFlag("if-empty"));
            if (!existed) {
                throw ApiException.notFound();
            }
            return Response.empty(204);
        } catch (AdminException e) {
            throw BodyFields.declareError(e);
        }
    }

    private Response purge(Request req) {
        ctx.requireVhost(req.param("vhost"));
        req.viewer().require(req.param("vhost"), Viewer.Kind.READ, "queue", req.param("name"));
        try {
            ctx.admin().purgeQueue(req.param("vhost"), req.param("name"));
            return Response.empty(204);
        } catch (AdminException e) {
            throw BodyFields.declareError(e);
        }
    }

    private Response get(Request req) {
        ctx.requireVhost(req.param("vhost"));
        req.viewer().require(req.param("vhost"), Viewer.Kind.READ, "queue", req.param("name"));
        JsonNode body = req.jsonObject();
        BodyFields.require(body, "count", "ackmode", "encoding");
        int count = BodyFields.integer(body, "count", 1);
        AckMode mode = AckMode.parse(BodyFields.string(body, "ackmode", ""))
                .orElseThrow(() -> ApiException.badRequest("invalid ackmode: " + body.get("ackmode")));
        String encoding = BodyFields.string(body, "encoding", "auto");
        if (!encoding.equals("auto") && !encoding.equals("base64")) {
            throw ApiException.badRequest("invalid encoding: " + encoding);
        }
        int truncate = body.has("truncate") ? BodyFields.integer(body, "truncate", Integer.MAX_VALUE) : Integer.MAX_VALUE;
        List<GotMessage> got;
        try {
            got = ctx.admin().get(req.param("vhost"), req.param("name"), Math.max(0, count), mode);
        } catch (AdminException e) {
            if (e.replyCode() == 404) {
                throw ApiException.notFound();
            }
            throw BodyFields.operationError(e);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (GotMessage g : got) {
            out.add(message(g, encoding, truncate));
        }
        return Response.json(out);
    }

    /** One message as RabbitMQ shows it; "auto" sends UTF-8 text as a string and anything else as base64. */
    static Map<String, Object> message(GotMessage g, String encoding, int truncate) {
        byte[] payload = g.payload().length > truncate ? Arrays.copyOf(g.payload(), Math.max(0, truncate)) : g.payload();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("payload_bytes", g.payload().length);
        m.put("redelivered", g.redelivered());
        m.put("exchange", g.exchange());
        m.put("routing_key", g.routingKey());
        m.put("message_count", g.messageCount());
        // RabbitMQ writes empty properties as [] (an empty Erlang proplist); clients expect that
        m.put("properties", g.properties().isEmpty() ? List.of() : g.properties());
        String text = encoding.equals("auto") ? utf8(payload) : null;
        if (text != null) {
            m.put("payload", text);
            m.put("payload_encoding", "string");
        } else {
            m.put("payload", Base64.getEncoder().encodeToString(payload));
            m.put("payload_encoding", "base64");
        }
        return m;
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The queue's home node in a cluster; this node otherwise. */
    private String node(QueueInfo q) {
        String home = ctx.admin().queueNode(q.vhost(), q.name());
        return home != null ? home : ctx.nodeName();
    }
}
