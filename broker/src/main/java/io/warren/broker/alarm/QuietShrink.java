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
 * Gives memory back to the OS once the broker goes quiet: a garbage collection, which shrinks the Java
 * heap to what is live (with {@code bin/warren}'s {@code -XX:MaxHeapFreeRatio=30}), then glibc's trim of the
 * C heap's free memory (direct buffers Netty let go of after a burst, the JIT compilers' arenas).
 *
 * <p>Why here and not the JVM's own timers: G1's periodic collection ({@code -XX:G1PeriodicGCInterval})
 * cannot tell idle from busy, so it keeps collecting an idle broker; at a 5 s interval it was over half of
 * an idle broker's CPU (measured: 3.7 ms of CPU per second, 1.5 without it and without PerfData). The
 * JVM's periodic trim ({@code -XX:TrimNativeHeapInterval}) trims under load too, where it competes with
 * the event loops for malloc's locks. This does both once per quiet spell, when nothing is waiting.
 *
 * <p>"Busy", "moderate" and "quiet" are the process's CPU time over each {@link #PERIOD_SECONDS}: over a fifth
 * of a core, between, under a fiftieth. A quiet period shrinks after a busy spell, after a moderate one when the
 * last shrink is at least {@link #MODERATE_SPELL_PERIODS} periods old (a steady trickle such as 1,000 msg/s
 * leaves JIT code and C heap behind too, measured: 12 MiB that a trim gives back), or when the heap has grown
 * by {@link #HEAP_GROWTH_BYTES} since the last shrink. The period in which a shrink runs is its own work and
 * counts as neither. The first quiet period after that trims once more: the JIT's arena chunks go back to
 * malloc only when the JVM's chunk pool cleaner runs (every 5 s), after the first trim.
 * The trim is the JVM's {@code System.trim_native_heap} diagnostic command (JDK 17.0.9 and later); on a JVM
 * without it only the collection runs.
 */
public final class QuietShrink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuietShrink.class);
    static final long PERIOD_SECONDS = 5;
    private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(PERIOD_SECONDS);
    static final long BUSY_CPU_NANOS = PERIOD_NANOS / 5;
    static final long QUIET_CPU_NANOS = PERIOD_NANOS / 50;
    static final long HEAP_GROWTH_BYTES = 16L << 20;
    /** A moderate spell shrinks at most this often (30 s): a collection costs tens of milliseconds. */
    static final int MODERATE_SPELL_PERIODS = 6;

    private final LongSupplier cpuNanos;
    private final LongSupplier heapCommitted;
    private final Runnable shrink;
    private final Runnable trim;
    private long lastCpu;
    private boolean busySinceShrink;
    private boolean moderateSinceShrink;
    private long periodsSinceShrink;
    private boolean lateTrimDue;
    /** The committed heap after the last shrink (read one period later, when its collection is done). */
    private long heapAfterShrink;
    private boolean shrankLastPeriod;
    private ScheduledFuture<?> task;

    /** @param shrink a collection then a trim, off the caller's thread; @param trim the trim alone, likewise */
    QuietShrink(LongSupplier cpuNanos, LongSupplier heapCommitted, Runnable shrink, Runnable trim) {
        this.cpuNanos = cpuNanos;
        this.heapCommitted = heapCommitted;
        this.shrink = shrink;
        this.trim = trim;
        this.lastCpu = cpuNanos.getAsLong();
        this.heapAfterShrink = heapCommitted.getAsLong();
    }

    /** For this JVM: its CPU time and heap, and the collection and trim run off the caller's thread. */
    public static QuietShrink forThisProcess() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        LongSupplier cpu = os instanceof com.sun.management.OperatingSystemMXBean sun
                ? sun::getProcessCpuTime : () -> -1;
        java.lang.management.MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        DiagnosticTrim trim = new DiagnosticTrim();
        return new QuietShrink(cpu, () -> memory.getHeapMemoryUsage().getCommitted(), () -> CompletableFuture.runAsync(() -> {
            System.gc(); // the one collection of a quiet spell: the heap shrinks to what is live
            trim.run();
        }), () -> CompletableFuture.runAsync(trim));
    }

    public QuietShrink start(ScheduledExecutorService scheduler) {
        task = scheduler.scheduleAtFixedRate(this::sample, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /** One period's CPU time: activity marks a spell, and the first quiet period after one (or after heap growth) shrinks. */
    void sample() {
        long now = cpuNanos.getAsLong();
        if (now < 0) {
            return; // this JVM cannot tell its CPU time
        }
        long used = now - lastCpu;
        lastCpu = now;
        periodsSinceShrink++;
        if (shrankLastPeriod) {
            shrankLastPeriod = false; // this period's CPU was mostly the shrink's own collection
            heapAfterShrink = heapCommitted.getAsLong();
            lateTrimDue = true;
            return;
        }
        if (used > BUSY_CPU_NANOS) {
            busySinceShrink = true;
            lateTrimDue = false;
        } else if (used >= QUIET_CPU_NANOS) {
            moderateSinceShrink = true;
            lateTrimDue = false;
        } else if (busySinceShrink
                || (moderateSinceShrink && periodsSinceShrink > MODERATE_SPELL_PERIODS)
                || heapCommitted.getAsLong() > heapAfterShrink + HEAP_GROWTH_BYTES) {
            busySinceShrink = false;
            moderateSinceShrink = false;
            periodsSinceShrink = 0;
            shrankLastPeriod = true;
            shrink.run();
        } else if (lateTrimDue) {
            lateTrimDue = false;
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
                LOG.debug("quiet after a spell of work: {}", String.valueOf(out).trim());
            } catch (Exception e) {
                unavailable = true; // an older JVM: no such command
                LOG.debug("this JVM cannot trim its native heap: {}", e.toString());
            }
        }
    }
}
