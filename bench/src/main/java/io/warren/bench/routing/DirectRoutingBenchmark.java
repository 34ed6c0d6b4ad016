package io.warren.bench.routing;

import io.warren.routing.BindingTable;
import io.warren.routing.BindingTables;
import io.warren.routing.ExchangeType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Direct route() throughput: one binding per queue keyed by queue name (like the default exchange), a
 * tenth of the keys also bound to a second queue, and one message in eight unroutable.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DirectRoutingBenchmark {

    @Param({"10", "1000", "10000"})
    public int bindings;

    private BindingTable<BenchQueue> table;
    private String[] keys;
    private final List<BenchQueue> out = new ArrayList<>();
    private int next;

    @Setup
    public void setUp() {
        Random r = new Random(17);
        table = BindingTables.create(ExchangeType.DIRECT);
        List<BenchQueue> queues = Workloads.queues(bindings);
        for (int i = 0; i < bindings; i++) {
            table.add("task.queue." + i, null, queues.get(i));
            if (i % 10 == 0) {
                table.add("task.queue." + i, null, queues.get(r.nextInt(bindings)));
            }
        }
        keys = new String[Workloads.MESSAGES];
        for (int i = 0; i < keys.length; i++) {
            // fresh String instances, as decoded from the wire: no cached hash code
            keys[i] = new String((i % 8 == 0 ? "missing." : "task.queue.") + r.nextInt(bindings));
        }
    }

    @Benchmark
    public int route() {
        out.clear();
        table.route(keys[next++ & (Workloads.MESSAGES - 1)], null, out);
        return out.size();
    }
}
