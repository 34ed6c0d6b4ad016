package io.warren.bench.routing;

import io.warren.routing.BindingTable;
import io.warren.routing.BindingTables;
import io.warren.routing.ExchangeType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Headers route() throughput: messages with five headers against 10 / 1,000 / 10,000 bindings of two or
 * three conditions each (two thirds "all", one third "any"). A headers exchange tests every binding, so
 * this is linear in the number of bindings, as in RabbitMQ.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HeadersRoutingBenchmark {

    @Param({"10", "1000", "10000"})
    public int bindings;

    private BindingTable<BenchQueue> table;
    private List<Map<String, Object>> messages;
    private final List<BenchQueue> out = new ArrayList<>();
    private int next;

    @Setup
    public void setUp() {
        Random r = new Random(17);
        table = BindingTables.create(ExchangeType.HEADERS);
        List<BenchQueue> queues = Workloads.queues(bindings);
        for (int i = 0; i < bindings; i++) {
            table.add("", Workloads.headerArgs(r), queues.get(i));
        }
        messages = new ArrayList<>(Workloads.MESSAGES);
        for (int i = 0; i < Workloads.MESSAGES; i++) {
            messages.add(Workloads.headers(r));
        }
    }

    @Benchmark
    public int route() {
        out.clear();
        table.route("", messages.get(next++ & (Workloads.MESSAGES - 1)), out);
        return out.size();
    }
}
