package io.warren.management.api;

import io.warren.management.BrokerAdmin;
import io.warren.management.http.Access;
import io.warren.management.http.ApiException;
import io.warren.management.http.Request;
import io.warren.management.http.Response;
import io.warren.management.http.Router;
import io.warren.management.metrics.RateSampler;
import io.warren.management.model.AckMode;
import io.warren.management.model.ClusterMemberInfo;
import io.warren.management.model.GotMessage;
import io.warren.management.model.ListenerInfo;
import io.warren.management.model.MessageCounters;
import io.warren.management.model.NodeInfo;
import io.warren.management.model.NodeStats;
import io.warren.management.model.QueueInfo;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/** Overview, nodes and the health checks. */
final class OverviewApi {
    /** The RabbitMQ release whose API this one copies; tools read it to pick features. */
    static final String RABBITMQ_COMPAT_VERSION = "3.10.8";

    private final ApiContext ctx;

    OverviewApi(ApiContext ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/overview", this::overview);
        r.get("/api/cluster-name", req -> Response.json(Map.of("name", ctx.admin().node().clusterName())));
        // RabbitMQ: node details (memory, disk, pid, paths) are for monitoring and administrator users
        r.get("/api/nodes", Access.MONITOR, req -> Response.json(nodes()));
        r.get("/api/nodes/{node}", Access.MONITOR, req -> {
            for (Map<String, Object> n : nodes()) { // asks every member: a missing name must still be a 404
                if (n.get("name").equals(req.param("node"))) {
                    return Response.json(n);
                }
            }
            throw ApiException.notFound();
        });
        // Warren's own: rabbitmqctl forget_cluster_node over HTTP (warrenctl uses it)
        r.add("DELETE", "/api/nodes/{node}", Access.ADMIN, req -> {
            ctx.admin().forgetClusterNode(req.param("node"));
            return Response.empty(204);
        });
        r.get("/api/extensions", req -> Response.json(List.of()));
        r.get("/api/health/checks/alarms", req -> alarms());
        r.get("/api/health/checks/local-alarms", req -> alarms());
        r.get("/api/aliveness-test/{vhost}", this::aliveness);
    }

    private Response overview(Request req) {
        BrokerAdmin admin = ctx.admin();
        NodeInfo n = admin.node();
        BrokerAdmin.ClientsSnapshot clients = admin.clients();
        List<QueueInfo> queues = admin.queues();
        long ready = 0;
        long unacked = 0;
        for (QueueInfo q : queues) {
            ready += q.messagesReady();
            unacked += q.messagesUnacknowledged();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("management_version", RABBITMQ_COMPAT_VERSION);
        m.put("rates_mode", "basic");
        m.put("exchange_types", Formats.exchangeTypes());
        m.put("product_version", n.version());
        m.put("product_name", n.product());
        m.put("rabbitmq_version", RABBITMQ_COMPAT_VERSION);
        m.put("cluster_name", n.clusterName());
        m.put("java_version", Runtime.version().toString());
        m.put("disable_stats", false);
        m.put("enable_queue_totals", false);
        m.put("message_stats", messageStats(admin.counters(), ctx.rates(), sampleAge(req, "msg_rates_age")));
        Map<String, Object> totals = new LinkedHashMap<>();
        RateSampler rs = ctx.rates();
        int lengthsAge = sampleAge(req, "lengths_age");
        totals.put("messages", ready + unacked);
        totals.put("messages_details", rateDetails(rs, RateSampler.Sample::messages, lengthsAge, false));
        totals.put("messages_ready", ready);
        totals.put("messages_ready_details", rateDetails(rs, RateSampler.Sample::ready, lengthsAge, false));
        totals.put("messages_unacknowledged", unacked);
        totals.put("messages_unacknowledged_details", rateDetails(rs, RateSampler.Sample::unacked, lengthsAge, false));
        m.put("queue_totals", totals);
        Map<String, Object> objects = new LinkedHashMap<>();
        objects.put("channels", clients.channels().size());
        objects.put("connections", clients.connections().size());
        objects.put("consumers", clients.consumers().size());
        objects.put("exchanges", admin.exchanges().size());
        objects.put("queues", queues.size());
        m.put("object_totals", objects);
        m.put("statistics_db_event_queue", 0);
        m.put("node", n.name());
        m.put("listeners", listeners(admin.clusterNodeStats()));
        m.put("contexts", List.of());
        return Response.json(m);
    }

    /** Seconds of history asked for (RabbitMQ's {@code msg_rates_age}); 0 means rate only. */
    private static int sampleAge(Request req, String param) {
        String v = req.query(param);
        if (v == null) {
            return 0;
        }
        try {
            return Math.max(0, Math.min(600, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid " + param + ": " + v);
        }
    }

    static Map<String, Object> messageStats(MessageCounters c, RateSampler rs, int age) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "ack", c.ack(), rs, s -> s.counters().ack(), age);
        put(m, "confirm", c.confirm(), rs, s -> s.counters().confirm(), age);
        put(m, "deliver", c.deliver(), rs, s -> s.counters().deliver(), age);
        put(m, "deliver_get", c.deliverGet(), rs, s -> s.counters().deliverGet(), age);
        put(m, "deliver_no_ack", c.deliverNoAck(), rs, s -> s.counters().deliverNoAck(), age);
        put(m, "drop_unroutable", c.dropUnroutable(), rs, s -> s.counters().dropUnroutable(), age);
        put(m, "get", c.get(), rs, s -> s.counters().get(), age);
        put(m, "get_empty", c.getEmpty(), rs, s -> s.counters().getEmpty(), age);
        put(m, "get_no_ack", c.getNoAck(), rs, s -> s.counters().getNoAck(), age);
        put(m, "publish", c.publish(), rs, s -> s.counters().publish(), age);
        put(m, "redeliver", c.redeliver(), rs, s -> s.counters().redeliver(), age);
        put(m, "return_unroutable", c.returnUnroutable(), rs, s -> s.counters().returnUnroutable(), age);
        return m;
    }

    private static void put(Map<String, Object> m, String key, long value, RateSampler rs,
                            ToLongFunction<RateSampler.Sample> f, int age) {
        m.put(key, value);
        m.put(key + "_details", rateDetails(rs, f, age, true));
    }

    /**
     * {@code {"rate": r}}, plus RabbitMQ's {@code samples} (newest first) when history was asked
     * for. Counters report their rate; queue lengths report a rate of change as RabbitMQ does.
     */
    private static Map<String, Object> rateDetails(RateSampler rs, ToLongFunction<RateSampler.Sample> f, int age,
                                                   boolean counter) {
        Map<String, Object> d = Formats.details(counter ? rs.rate(f) : rs.change(f));
        if (age > 0) {
            List<RateSampler.Sample> all = rs.samples();
            long cutoff = System.currentTimeMillis() - age * 1000L;
            List<Map<String, Object>> samples = new ArrayList<>();
            for (int i = all.size() - 1; i >= 0 && all.get(i).timestamp() >= cutoff; i--) {
                samples.add(Map.of("sample", f.applyAsLong(all.get(i)), "timestamp", all.get(i).timestamp()));
            }
            d.put("samples", samples);
        }
        return d;
    }

    private static Map<String, Object> listener(String node, String protocol, String ip, int port) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", node);
        m.put("protocol", protocol);
        m.put("ip_address", ip);
        m.put("port", port);
        return m;
    }

    /**
     * Every member with its own figures (the others' asked for over the cluster links), plus what the
     * cluster knows of it (address, leadership). A member that is down or did not answer in time is
     * listed with {@code running: false}, as RabbitMQ lists a stopped node.
     */
    private List<Map<String, Object>> nodes() {
        Map<String, ClusterMemberInfo> members = new LinkedHashMap<>();
        for (ClusterMemberInfo member : ctx.admin().clusterMembers()) {
            members.put(member.name(), member);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (NodeStats s : ctx.admin().clusterNodeStats()) {
            Map<String, Object> m = s.running() ? node(s) : downNode(s.name());
            ClusterMemberInfo member = members.get(s.name());
            m.put("cluster_address", member == null ? null : member.clusterAddress());
            m.put("cluster_leader", member != null && member.leader());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> downNode(String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("type", "disc");
        m.put("running", false);
        m.put("partitions", List.of());
        return m;
    }

    /** RabbitMQ's node object, with the JVM standing in for the Erlang VM. */
    private Map<String, Object> node(NodeStats s) {
        boolean self = s.name().equals(ctx.nodeName());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("type", "disc");
        m.put("running", true);
        m.put("os_pid", String.valueOf(s.osPid()));
        // what the memory alarm measures against its high watermark, as RabbitMQ's mem_used / mem_limit
        m.put("mem_used", s.memUsed());
        m.put("mem_limit", s.memLimit());
        m.put("mem_alarm", s.memAlarm());
        m.put("mem_calculation_strategy", "jvm_heap");
        m.put("disk_free", s.diskFree());
        m.put("disk_free_limit", s.diskFreeLimit());
        m.put("disk_free_alarm", s.diskFreeAlarm());
        if (s.fdUsed() >= 0) {
            m.put("fd_used", s.fdUsed());
            m.put("fd_total", s.fdTotal());
        }
        m.put("sockets_used", s.socketsUsed());
        m.put("proc_used", s.procUsed());
        m.put("processors", s.processors());
        m.put("uptime", s.uptime());
        m.put("run_queue", 0);
        m.put("rates_mode", "basic");
        if (self) {
            m.put("db_dir", new File(ctx.admin().node().dataDir()).getAbsolutePath());
        }
        m.put("exchange_types", Formats.exchangeTypes());
        m.put("partitions", List.of());
        m.put("applications", List.of());
        m.put("contexts", List.of());
        m.put("enabled_plugins", List.of());
        return m;
    }

    /**
     * The listeners of every running member as each reported them; this node's HTTP listener as
     * this server bound it.
     */
    private List<Map<String, Object>> listeners(List<NodeStats> nodes) {
        String self = ctx.nodeName();
        List<Map<String, Object>> out = new ArrayList<>();
        for (NodeStats s : nodes) {
            for (ListenerInfo l : s.listeners()) {
                if (!(s.name().equals(self) && l.protocol().equals("http"))) {
                    out.add(listener(l.node(), l.protocol(), l.ip(), l.port()));
                }
            }
            if (s.name().equals(self)) {
                out.add(listener(self, "http", ctx.httpBind(), ctx.httpPort()));
            }
        }
        return out;
    }

    /** RabbitMQ: 200 {"status":"ok"}, or 503 with the alarms in effect. */
    private Response alarms() {
        List<String> alarms = ctx.admin().alarms();
        if (alarms.isEmpty()) {
            return Response.json(Map.of("status", "ok"));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "failed");
        m.put("reason", "resource alarm(s) in effect in the cluster");
        List<Map<String, Object>> list = new ArrayList<>();
        for (String a : alarms) {
            list.add(Map.of("node", ctx.nodeName(), "resource", a));
        }
        m.put("alarms", list);
        return Response.json(503, m);
    }

    /**
     * RabbitMQ's aliveness test: declare the {@code aliveness-test} queue, publish a message to it
     * through the default exchange and get it back.
     */
    private Response aliveness(Request req) {
        String vhost = req.param("vhost");
        ctx.requireVhost(vhost);
        BrokerAdmin admin = ctx.admin();
        admin.declareQueue(vhost, "aliveness-test", false, false, Map.of());
        byte[] body = "test_message".getBytes(StandardCharsets.UTF_8);
        admin.publish(vhost, "", "aliveness-test", Map.of(), body);
        List<GotMessage> got = admin.get(vhost, "aliveness-test", 1, AckMode.ACK_REQUEUE_FALSE);
        if (got.size() == 1 && new String(got.get(0).payload(), StandardCharsets.UTF_8).equals("test_message")) {
            return Response.json(Map.of("status", "ok"));
        }
        return Response.json(503, Map.of("status", "failed", "reason", "aliveness test message was not returned"));
    }
}
