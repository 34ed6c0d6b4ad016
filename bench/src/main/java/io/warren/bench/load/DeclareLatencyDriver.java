package io.warren.bench.load;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Definition-change latency for bench/cluster/cluster-compare.sh. In a cluster every declare, bind and delete is a
 * change the whole cluster must agree on (Warren: a Raft commit; RabbitMQ 3.10: a Mnesia transaction), so its
 * round trip is what an application that declares its topology at start-up waits for. Runs from source with
 * amqp-client on the class path, e.g.
 * {@code java -cp 'bench/perftest/target/lib/*' bench/src/main/java/io/warren/bench/load/DeclareLatencyDriver.java
 * latency -h amqp://guest:guest@127.0.0.1:5672 -n 500 -w 100}.
 *
 * <ul>
 * <li>{@code latency}: on one channel, one call after the other (each waits for its {@code -ok}). First a warm-up
 *     of {@code -w} rounds (declare, bind, delete) that is not measured: a broker JVM fresh from its start is still
 *     compiling the path, and on a busy machine that alone made the first few hundred declares several times
 *     slower. Then {@code -n} durable classic queues (not exclusive, not auto-delete, no arguments) are declared,
 *     then each is bound to {@code amq.direct} with its own name as the key, then each is deleted. Prints the p50,
 *     p99 and mean round trip in milliseconds as {@code declare_p50 1.234} lines (also {@code bind_*} and
 *     {@code delete_*}). With {@code --pids PID,PID,...} also {@code change_cpu}: the CPU time (utime+stime from
 *     {@code /proc}, {@code --hz} ticks a second) those processes spent per measured change, in milliseconds.</li>
 * <li>{@code declare}: declares the durable classic queue {@code -u} (so, on both brokers, it lives on the node
 *     of this connection); {@code delete}: deletes it.</li>
 * </ul>
 */
public final class DeclareLatencyDriver {

    private DeclareLatencyDriver() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: DeclareLatencyDriver latency|declare|delete -h URI [-n N] [-w WARMUP] [--pids P,P --hz HZ] [-u QUEUE]");
            System.exit(2);
        }
        String cmd = argv[0];
        Map<String, String> a = new HashMap<>();
        for (int i = 1; i + 1 < argv.length; i += 2) {
            a.put(argv[i], argv[i + 1]);
        }
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(a.getOrDefault("-h", "amqp://guest:guest@127.0.0.1:5672"));
        try (Connection conn = f.newConnection("declare-latency")) {
            Channel ch = conn.createChannel();
            switch (cmd) {
                case "latency" -> latency(ch, Integer.parseInt(a.getOrDefault("-n", "500")),
                        Integer.parseInt(a.getOrDefault("-w", "100")), a.getOrDefault("--pids", ""),
                        Integer.parseInt(a.getOrDefault("--hz", "100")));
                case "declare" -> ch.queueDeclare(a.get("-u"), true, false, false, null);
                case "delete" -> ch.queueDelete(a.get("-u"));
                default -> {
                    System.err.println("unknown command " + cmd);
                    System.exit(2);
                }
            }
        }
    }

    private static void latency(Channel ch, int n, int warmup, String pids, int hz) throws IOException {
        String prefix = "bench.declare." + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL) + ".";
        for (int i = 0; i < warmup; i++) {
            String q = prefix + "warmup." + i;
            ch.queueDeclare(q, true, false, false, null);
            ch.queueBind(q, "amq.direct", q);
            ch.queueDelete(q);
        }
        long ticks0 = ticks(pids);
        long[] declare = new long[n];
        long[] bind = new long[n];
        long[] delete = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            ch.queueDeclare(prefix + i, true, false, false, null);
            declare[i] = System.nanoTime() - t0;
        }
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            ch.queueBind(prefix + i, "amq.direct", prefix + i);
            bind[i] = System.nanoTime() - t0;
        }
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            ch.queueDelete(prefix + i);
            delete[i] = System.nanoTime() - t0;
        }
        long ticks = ticks(pids) - ticks0;
        print("declare", declare);
        print("bind", bind);
        print("delete", delete);
        if (!pids.isEmpty()) {
            System.out.printf(Locale.ROOT, "change_cpu %.3f%n", 1000.0 * ticks / hz / (3.0 * n));
        }
    }

    /** utime + stime of the processes, in clock ticks. */
    private static long ticks(String pids) throws IOException {
        long sum = 0;
        for (String pid : pids.split(",")) {
            if (!pid.isBlank()) {
                // /proc/PID/stat: the command (field 2) is in parentheses and may hold spaces; utime and stime are
                // the 12th and 13th fields after it
                String stat = Files.readString(Path.of("/proc", pid.trim(), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
        }
        return sum;
    }

    private static void print(String what, long[] nanos) {
        Arrays.sort(nanos);
        double mean = Arrays.stream(nanos).average().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "%s_p50 %.3f%n%s_p99 %.3f%n%s_mean %.3f%n",
                what, percentile(nanos, 0.50) / 1e6, what, percentile(nanos, 0.99) / 1e6, what, mean / 1e6);
    }

    /** Nearest-rank percentile of sorted samples. */
    private static long percentile(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
