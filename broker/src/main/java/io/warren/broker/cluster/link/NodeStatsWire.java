package io.warren.broker.cluster.link;

import io.netty.buffer.ByteBuf;
import io.warren.codec.FieldTables;
import io.warren.management.model.ListenerInfo;
import io.warren.management.model.NodeStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link NodeStats} on the link as an AMQP field table keyed by RabbitMQ's field names: a node
 * of a later version may add figures, and a missing one reads as unknown rather than failing the
 * link.
 */
final class NodeStatsWire {
    private NodeStatsWire() {
    }

    static void write(ByteBuf out, NodeStats s) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", s.name());
        t.put("os_pid", s.osPid());
        t.put("mem_used", s.memUsed());
        t.put("mem_limit", s.memLimit());
        t.put("mem_alarm", s.memAlarm());
        t.put("disk_free", s.diskFree());
        t.put("disk_free_limit", s.diskFreeLimit());
        t.put("disk_free_alarm", s.diskFreeAlarm());
        t.put("fd_used", s.fdUsed());
        t.put("fd_total", s.fdTotal());
        t.put("sockets_used", s.socketsUsed());
        t.put("proc_used", s.procUsed());
        t.put("processors", (long) s.processors());
        t.put("uptime", s.uptime());
        List<Object> listeners = new ArrayList<>();
        for (ListenerInfo l : s.listeners()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("protocol", l.protocol());
            m.put("ip_address", l.ip());
            m.put("port", (long) l.port());
            listeners.add(m);
        }
        t.put("listeners", listeners);
        FieldTables.write(out, t);
    }

    static NodeStats read(ByteBuf in) {
        Map<String, Object> t = FieldTables.read(in);
        String name = str(t.get("name"));
        List<ListenerInfo> listeners = new ArrayList<>();
        if (t.get("listeners") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    listeners.add(new ListenerInfo(name, str(m.get("protocol")), str(m.get("ip_address")),
                            (int) num(m.get("port"), 0)));
                }
            }
        }
        return new NodeStats(name, true, num(t.get("os_pid"), 0), num(t.get("mem_used"), 0),
                num(t.get("mem_limit"), 0), Boolean.TRUE.equals(t.get("mem_alarm")), num(t.get("disk_free"), 0),
                num(t.get("disk_free_limit"), 0), Boolean.TRUE.equals(t.get("disk_free_alarm")),
                num(t.get("fd_used"), -1), num(t.get("fd_total"), -1), num(t.get("sockets_used"), 0),
                num(t.get("proc_used"), 0), (int) num(t.get("processors"), 0), num(t.get("uptime"), 0), listeners);
    }

    private static long num(Object v, long otherwise) {
        return v instanceof Number n ? n.longValue() : otherwise;
    }

    /** Field-table strings come back as byte arrays or strings depending on the tag. */
    private static String str(Object v) {
        if (v instanceof byte[] b) {
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
        return v == null ? "" : v.toString();
    }
}
