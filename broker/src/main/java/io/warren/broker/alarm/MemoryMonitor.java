package io.warren.broker.alarm;

import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Raises the memory alarm when the heap in use plus Netty's direct buffers pass the high watermark
 * (RabbitMQ's vm_memory_high_watermark: by default 0.4 of what the JVM may use, or an absolute
 * number of bytes), and clears it when usage falls back under it. Sampled once a second.
 */
public final class MemoryMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryMonitor.class);

    private final ResourceAlarms alarms;
    private final long limitBytes;
    private ScheduledFuture<?> task;

    public MemoryMonitor(ResourceAlarms alarms, double fraction, long absoluteBytes) {
        this.alarms = alarms;
        this.limitBytes = limit(fraction, absoluteBytes);
    }

    /** The high watermark in bytes: the absolute number if given, else the fraction of heap + direct memory. */
    public static long limit(double fraction, long absoluteBytes) {
        long available = Runtime.getRuntime().maxMemory() + Math.max(0, PlatformDependent.maxDirectMemory());
        return absoluteBytes > 0 ? absoluteBytes : (long) (available * fraction);
    }

    public long limitBytes() {
        return limitBytes;
    }

    /** Heap in use plus direct memory, however it was allocated. */
    public static long used() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory() + usedDirect();
    }

    /**
     * Direct memory in use. Netty counts what it allocates without a cleaner; that needs reflective access
     * to {@code java.nio} (off by default on Java 17), and otherwise its counter is off (-1) and its buffers
     * are plain direct ByteBuffers, which the JDK's "direct" buffer pool counts. One or the other holds
     * Netty's memory, never both, so the sum counts everything once (the message journal's few buffers are
     * direct ByteBuffers; streams' mapped files are in neither).
     */
    public static long usedDirect() {
        long jdk = JDK_DIRECT == null ? 0 : Math.max(0, JDK_DIRECT.getMemoryUsed());
        return Math.max(0, PlatformDependent.usedDirectMemory()) + jdk;
    }

    private static final BufferPoolMXBean JDK_DIRECT = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
            .stream().filter(b -> b.getName().equals("direct")).findFirst().orElse(null);

    public MemoryMonitor start(ScheduledExecutorService scheduler) {
        check();
        task = scheduler.scheduleAtFixedRate(this::check, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    private void check() {
        long used = used();
        boolean over = used > limitBytes;
        if (over != alarms.raised().contains(ResourceAlarms.Resource.MEMORY)) {
            LOG.warn("memory alarm {}: {} MiB in use ({} MiB direct), high watermark {} MiB",
                    over ? "raised" : "cleared", used >> 20, usedDirect() >> 20, limitBytes >> 20);
        }
        alarms.set(ResourceAlarms.Resource.MEMORY, over);
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
