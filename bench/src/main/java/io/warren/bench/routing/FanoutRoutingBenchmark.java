package io.warren.bench.routing;

import io.warren.routing.BindingTable;
import io.warren.routing.BindingTables;
import io.warren.routing.ExchangeType;
import java.util.ArrayList;
import java.util.List;
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

/** Fanout route() throughput: every message goes to every one of 10 / 1,000 / 10,000 queues. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FanoutRoutingBenchmark {

    @Param({"10", "1000", "10000"})
    public int bindings;

    private BindingTable<BenchQueue> table;
    private List<BenchQueue> out;

    @Setup
    public void setUp() {
        table = BindingTables.create(ExchangeType.FANOUT);
        for (BenchQueue q : Workloads.queues(bindings)) {
            table.add("", null, q);
        }
        out = new ArrayList<>(bindings);
    }

    @Benchmark
    public int route() {
        out.clear();
        table.route("ignored", null, out);
        return out.size();
    }
}
