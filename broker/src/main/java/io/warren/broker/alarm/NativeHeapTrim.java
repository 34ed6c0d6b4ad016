package io.warren.broker.alarm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Gives the C heap's free memory back to the OS once the broker goes quiet after a busy spell. glibc keeps
 * what was freed: direct buffers Netty let go of after a burst, the JIT compilers' arenas. Measured after a
 * minute of PerfTest load and 12 s idle: RSS 198 MiB, 148 MiB after a trim. The JVM's own periodic trim
 * ({@code -XX:TrimNativeHeapInterval}) trims under load too, where it competes with the event loops for
 * malloc's locks; this trims once per quiet spell, when nothing is waiting.
 *
 * <p>"Busy" and "quiet" are the process's CPU time over each {@link #PERIOD_SECONDS}: over a fifth of a
 * core, under a fiftieth. The trim is the JVM's {@code System.trim_native_heap} diagnostic command (JDK
 * 17.0.9 and later); on a JVM without it this does nothing after the first try.
 */
public final class NativeHeapTrim implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NativeHeapTrim.class);
    static final long PERIOD_SECONDS = 5;
    private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(PERIOD_SECONDS);
    static final long BUSY_CPU_NANOS = PERIOD_NANOS / 5;
    static final long QUIET_CPU_NANOS = PERIOD_NANOS / 50;

    private final LongSupplier cpuNanos;
    private final Runnable trim;
    private long lastCpu;
    private boolean busySinceTrim;
    private ScheduledFuture<?> task;

    NativeHeapTrim(LongSupplier cpuNanos, Runnable trim) {
        this.cpuNanos = cpuNanos;
        this.trim = trim;
        this.lastCpu = cpuNanos.getAsLong();
    }

    /** For this JVM: its CPU time, and the diagnostic command run off the caller's thread. */
    public static NativeHeapTrim forThisProcess() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        LongSupplier cpu = os instanceof com.sun.management.OperatingSystemMXBean sun
                ? sun::getProcessCpuTime : () -> -1;
        DiagnosticTrim command = new DiagnosticTrim();
        return new NativeHeapTrim(cpu, () -> CompletableFuture.runAsync(command));
    }

    public NativeHeapTrim start(ScheduledExecutorService scheduler) {
        task = scheduler.scheduleAtFixedRate(this::sample, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /** One period's CPU time: busy marks a spell, and the first quiet period after one trims. */
    void sample() {
        long now = cpuNanos.getAsLong();
        if (now < 0) {
            return; // this JVM cannot tell its CPU time
        }
        long used = now - lastCpu;
        lastCpu = now;
        if (used > BUSY_CPU_NANOS) {
            busySinceTrim = true;
        } else if (used < QUIET_CPU_NANOS && busySinceTrim) {
            busySinceTrim = false;
            trim.run();
        }
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** {@code jcmd PID System.trim_native_heap}, through the platform's DiagnosticCommand MBean. */
    private static final class DiagnosticTrim implements Runnable {
        private volatile boolean unavailable;

        @Override
        public void run() {
            if (unavailable) {
                return;
            }
            try {
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                Object out = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "systemTrimNativeHeap", new Object[] {new String[0]}, new String[] {String[].class.getName()});
                LOG.debug("idle after a busy spell: {}", String.valueOf(out).trim());
            } catch (Exception e) {
                unavailable = true; // an older JVM: no such command
                LOG.debug("this JVM cannot trim its native heap: {}", e.toString());
            }
        }
    }
}
