package io.warren.management.model;

import com.sun.management.UnixOperatingSystemMXBean;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * A node's figures for {@code /api/nodes} (RabbitMQ's node object), measured on that node: every
 * member measures its own and the others ask it over the cluster link. A member that did not answer
 * is {@link #down} ({@code running: false}, no figures).
 *
 * @param name          node name
 * @param running       false: the node is down or did not answer in time; the figures are then zero
 * @param osPid         the process id
 * @param memUsed       what the memory alarm measures (RabbitMQ's {@code mem_used})
 * @param memLimit      the memory alarm's high watermark
 * @param memAlarm      whether the memory alarm is on
 * @param diskFree      free space in the data directory's file system
 * @param diskFreeLimit below this the disk alarm is on
 * @param diskFreeAlarm whether the disk alarm is on
 * @param fdUsed        open file descriptors (-1: the platform does not say)
 * @param fdTotal       the descriptor limit (-1: unknown)
 * @param socketsUsed   client connections
 * @param procUsed      live JVM threads (the Erlang VM's processes have no closer kin)
 * @param processors    available processors
 * @param uptime        milliseconds since the node started
 * @param listeners     the node's listening ports
 */
public record NodeStats(String name, boolean running, long osPid, long memUsed, long memLimit, boolean memAlarm,
                        long diskFree, long diskFreeLimit, boolean diskFreeAlarm, long fdUsed, long fdTotal,
                        long socketsUsed, long procUsed, int processors, long uptime, List<ListenerInfo> listeners) {

    public NodeStats {
        listeners = List.copyOf(listeners);
    }

    /** A member that is down or did not answer. */
    public static NodeStats down(String name) {
        return new NodeStats(name, false, 0, 0, 0, false, 0, 0, false, -1, -1, 0, 0, 0, 0, List.of());
    }

    /**
     * This process's figures. Cheap and non-blocking (a few MXBean reads and one statfs), so a node
     * can answer a peer's request on its event loop.
     */
    public static NodeStats measure(NodeInfo n, List<String> alarms, long sockets, List<ListenerInfo> listeners) {
        long fdUsed = -1;
        long fdTotal = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            fdUsed = os.getOpenFileDescriptorCount();
            fdTotal = os.getMaxFileDescriptorCount();
        }
        return new NodeStats(n.name(), true, n.osPid(), n.memUsed(), n.memLimit(), alarms.contains("memory"),
                new File(n.dataDir()).getUsableSpace(), n.diskFreeLimit(), alarms.contains("disk"), fdUsed, fdTotal,
                sockets, ManagementFactory.getThreadMXBean().getThreadCount(),
                Runtime.getRuntime().availableProcessors(), System.currentTimeMillis() - n.startedAt(), listeners);
    }
}
