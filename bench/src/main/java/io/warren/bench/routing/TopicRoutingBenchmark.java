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
 * Topic route() throughput: four-word keys ("eu.orders.entity7.created") against 10 / 1,000 / 10,000
 * mixed literal, "*" and "#" patterns (see {@link Workloads#topicPattern}). Half the messages carry a key
 * that some literal binding was made for, half a random key of the same shape (mostly unroutable).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TopicRoutingBenchmark {

    @Param({"10", "1000", "10000"})
    public int bindings;

    private BindingTable<BenchQueue> table;
    private String[] keys;
    private final List<BenchQueue> out = new ArrayList<>();
    private int next;

    @Setup
    public void setUp() {
        Random r = new Random(17);
        int entities = Math.max(2, bindings / 20);
        table = BindingTables.create(ExchangeType.TOPIC);
        List<BenchQueue> queues = Workloads.queues(Math.max(1, bindings / 2));
        List<String> literals = new ArrayList<>();
        for (int i = 0; i < bindings; i++) {
            String pattern = Workloads.topicPattern(r, entities);
            table.add(pattern, null, queues.get(r.nextInt(queues.size())));
            if (!pattern.contains("*") && !pattern.contains("#")) {
                literals.add(pattern);
            }
        }
        keys = new String[Workloads.MESSAGES];
        for (int i = 0; i < keys.length; i++) {
            // new String: a key decoded from the wire has no cached hash code
            keys[i] = new String(i % 2 == 0 && !literals.isEmpty()
                    ? literals.get(r.nextInt(literals.size()))
                    : Workloads.topicKey(r, entities));
        }
    }

    @Benchmark
    public int route() {
        out.clear();
        table.route(keys[next++ & (Workloads.MESSAGES - 1)], null, out);
        return out.size();
    }
}
