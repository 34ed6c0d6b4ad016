package io.warren.management.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.warren.management.model.ChurnCounters;
import io.warren.management.model.NodeInfo;

import java.io.File;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.util.List;

/**
 * rabbitmq_prometheus' node groups: connection_churn_metrics, node_coarse_metrics, node_metrics,
 * node_persister_metrics and auth_attempt_metrics. The JVM stands in for the Erlang VM, with the same
 * figures the management API's node object shows (heap in use against the heap limit, disk free in the
 * data directory, threads as processes); counters Warren does not keep (Erlang, I/O) are 0.
 */
final class NodeFamilies {
    /** The disk alarm's low watermark as the management API reports it (RabbitMQ's default 50 MB). */
    static final long DISK_FREE_LIMIT = 50_000_000L;

    private NodeFamilies() {
    }

    static void churn(ScrapeData d, Families f) {
        ChurnCounters c = d.churn();
        f.counter("connections_opened_total", "Total number of connections opened", c.connectionsOpened());
        f.counter("connections_closed_total", "Total number of connections closed or terminated",
                c.connectionsClosed());
        f.counter("channels_opened_total", "Total number of channels opened", c.channelsOpened());
        f.counter("channels_closed_total", "Total number of channels closed", c.channelsClosed());
        f.counter("queues_declared_total", "Total number of queues declared", c.queuesDeclared());
        f.counter("queues_created_total", "Total number of queues created", c.queuesCreated());
        f.counter("queues_deleted_total", "Total number of queues deleted", c.queuesDeleted());
    }

    static void coarse(ScrapeData d, Families f) {
        NodeInfo n = d.admin().node();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long gcRuns = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcRuns += Math.max(0, gc.getCollectionCount());
        }
        f.gauge("process_open_fds", "Open file descriptors", fds(true));
        f.gauge("process_open_tcp_sockets", "Open TCP sockets", d.clients().connections().size());
        f.gauge("process_resident_memory_bytes", "Memory used in bytes", heap.getUsed());
        f.gauge("disk_space_available_bytes", "Disk space available in bytes", new File(n.dataDir()).getUsableSpace());
        f.gauge("erlang_processes_used", "Erlang processes used", ManagementFactory.getThreadMXBean().getThreadCount());
        f.counter("erlang_gc_runs_total", "Total number of Erlang garbage collector runs", gcRuns);
        f.counter("erlang_gc_reclaimed_bytes_total",
                "Total number of bytes of memory reclaimed by Erlang garbage collector", 0);
        f.counter("erlang_scheduler_context_switches_total", "Total number of Erlang scheduler context switches", 0);
    }

    static void node(ScrapeData d, Families f) {
        NodeInfo n = d.admin().node();
        long maxFds = fds(false);
        f.gauge("process_max_fds", "Open file descriptors limit", maxFds);
        f.gauge("process_max_tcp_sockets", "Open TCP sockets limit", maxFds);
        f.gauge("resident_memory_limit_bytes", "Memory high watermark in bytes",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax());
        f.gauge("disk_space_available_limit_bytes", "Free disk space low watermark in bytes", DISK_FREE_LIMIT);
        f.gauge("erlang_processes_limit", "Erlang processes limit", 0);
        f.gauge("erlang_scheduler_run_queue", "Erlang scheduler run queue", 0);
        f.gauge("erlang_net_ticktime_seconds", "Inter-node heartbeat interval", 0);
        f.gauge("erlang_uptime_seconds", "Node uptime", (System.currentTimeMillis() - n.startedAt()) / 1000.0);
    }

    static void persister(ScrapeData d, Families f) {
        for (String[] m : PERSISTER) {
            f.counter(m[0], m[1], 0);
        }
    }

    static void auth(ScrapeData d, Families f) {
        ChurnCounters c = d.churn();
        Labels amqp = Labels.of("protocol", "amqp091");
        f.labelledCounter("auth_attempts_total", "Total number of authorization attempts", amqp,
                c.authSucceeded() + c.authFailed());
        f.labelledCounter("auth_attempts_succeeded_total", "Total number of successful authentication attempts", amqp,
                c.authSucceeded());
        f.labelledCounter("auth_attempts_failed_total", "Total number of failed authentication attempts", amqp,
                c.authFailed());
    }

    /** Open (or, with {@code open} false, maximum) file descriptors of this process; -1 where the JVM cannot tell. */
    private static long fds(boolean open) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return open ? unix.getOpenFileDescriptorCount() : unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    private static final List<String[]> PERSISTER = List.of(
            new String[]{"io_read_ops_total", "Total number of I/O read operations"},
            new String[]{"io_read_bytes_total", "Total number of I/O bytes read"},
            new String[]{"io_write_ops_total", "Total number of I/O write operations"},
            new String[]{"io_write_bytes_total", "Total number of I/O bytes written"},
            new String[]{"io_sync_ops_total", "Total number of I/O sync operations"},
            new String[]{"io_seek_ops_total", "Total number of I/O seek operations"},
            new String[]{"io_reopen_ops_total", "Total number of times files have been reopened"},
            new String[]{"schema_db_ram_tx_total", "Total number of Schema DB memory transactions"},
            new String[]{"schema_db_disk_tx_total", "Total number of Schema DB disk transactions"},
            new String[]{"msg_store_read_total", "Total number of Message Store read operations"},
            new String[]{"msg_store_write_total", "Total number of Message Store write operations"},
            new String[]{"queue_index_read_ops_total", "Total number of Queue Index read operations"},
            new String[]{"queue_index_write_ops_total", "Total number of Queue Index write operations"},
            new String[]{"io_read_time_seconds_total", "Total I/O read time"},
            new String[]{"io_write_time_seconds_total", "Total I/O write time"},
            new String[]{"io_sync_time_seconds_total", "Total I/O sync time"},
            new String[]{"io_seek_time_seconds_total", "Total I/O seek time"});
}
