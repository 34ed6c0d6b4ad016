package io.warren.bench.load;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Load driver for bench/run.sh scenario e: TTL + dead-lettering under steady load, which PerfTest cannot express
 * (it consumes from the queue it publishes to). One producer publishes at a fixed rate into a queue with
 * {@code x-message-ttl} and a dead-letter exchange and no consumer; every message expires into a second queue,
 * which one consumer drains (auto-ack). The body carries the publish time, so the consumer measures the
 * <b>expiry lag</b>: how long after its TTL ran out a message reached the consumer (broker expiry timing plus
 * dead-letter routing plus delivery).
 *
 * <p>Writes one CSV row per second in PerfTest's layout, so run.sh reads it like a PerfTest run: published and
 * consumed (dead letters) per second, and the interval's expiry-lag percentiles in microseconds where PerfTest
 * puts its latency. Runs from source with amqp-client on the class path:
 * {@code java -cp 'bench/perftest/target/lib/*' bench/src/main/java/io/warren/bench/load/TtlExpiryDriver.java
 * -h amqp://guest:guest@127.0.0.1:5672 -z 31 -o out.csv --rate 1000 --ttl 1000 --size 100}
 */
public final class TtlExpiryDriver {

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            a.put(argv[i], argv[i + 1]);
        }
        String uri = a.getOrDefault("-h", "amqp://guest:guest@127.0.0.1:5672");
        int seconds = Integer.parseInt(a.getOrDefault("-z", "30"));
        Path csv = Path.of(a.getOrDefault("-o", "ttl-expiry.csv"));
        int rate = Integer.parseInt(a.getOrDefault("--rate", "1000"));
        int ttl = Integer.parseInt(a.getOrDefault("--ttl", "1000"));
        int size = Math.max(8, Integer.parseInt(a.getOrDefault("--size", "100")));
        String id = a.getOrDefault("--id", "ttl-expiry");

        ConnectionFactory f = new ConnectionFactory();
        f.setUri(uri);
        String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        String source = "bench.ttl.source." + suffix;
        String dead = "bench.ttl.dead." + suffix;
        try (Connection pubConn = f.newConnection("ttl-expiry-producer");
             Connection conConn = f.newConnection("ttl-expiry-consumer")) {
            Channel setup = pubConn.createChannel();
            setup.queueDeclare(dead, false, false, false, null);
            setup.queueDeclare(source, false, false, false, Map.of("x-message-ttl", ttl,
                    "x-dead-letter-exchange", "", "x-dead-letter-routing-key", dead));

            AtomicLong published = new AtomicLong();
            AtomicLong consumed = new AtomicLong();
            LagWindow lags = new LagWindow();
            long ttlNanos = TimeUnit.MILLISECONDS.toNanos(ttl);
            Channel con = conConn.createChannel();
            con.basicConsume(dead, true, (tag, d) -> {
                long sent = ByteBuffer.wrap(d.getBody(), 0, 8).getLong();
                lags.add(Math.max(0, System.nanoTime() - sent - ttlNanos) / 1000); // microseconds
                consumed.incrementAndGet();
            }, tag -> { });

            Channel pub = pubConn.createChannel();
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            Thread producer = new Thread(() -> {
                byte[] body = new byte[size];
                long interval = 1_000_000_000L / rate;
                long next = System.nanoTime();
                try {
                    while (next < end) {
                        long now = System.nanoTime();
                        if (now < next) {
                            LockSupport.parkNanos(next - now);
                            continue;
                        }
                        ByteBuffer.wrap(body).putLong(System.nanoTime());
                        pub.basicPublish("", source, null, body);
                        published.incrementAndGet();
                        next += interval; // fixed rate: a late send does not move the schedule
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }, "producer");
            producer.start();

            try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
                out.println("id,time (s),published (msg/s),returned (msg/s),confirmed (msg/s),nacked (msg/s),"
                        + "consumed (msg/s),min expiry lag (us),median expiry lag (us),75th p. expiry lag (us),"
                        + "95th p. expiry lag (us),99th p. expiry lag (us)");
                out.flush();
                long lastPub = 0;
                long lastCon = 0;
                long lastT = start;
                for (int s = 1; s <= seconds; s++) {
                    long due = start + TimeUnit.SECONDS.toNanos(s);
                    while (System.nanoTime() < due) {
                        LockSupport.parkNanos(due - System.nanoTime());
                    }
                    long t = System.nanoTime();
                    long p = published.get();
                    long c = consumed.get();
                    double dt = (t - lastT) / 1e9;
                    long[] w = lags.drain();
                    out.printf("%s,%.3f,%d,0,0,0,%d,%s%n", id, (t - start) / 1e9, Math.round((p - lastPub) / dt),
                            Math.round((c - lastCon) / dt), percentiles(w));
                    out.flush();
                    lastPub = p;
                    lastCon = c;
                    lastT = t;
                }
            }
            producer.join();
            System.out.printf("ttl-expiry: published %d, dead letters consumed %d, ttl %d ms, rate %d msg/s%n",
                    published.get(), consumed.get(), ttl, rate);
            setup.queueDelete(source);
            setup.queueDelete(dead);
        }
    }

    /** min, p50, p75, p95, p99 of one interval, or empty fields when nothing arrived. */
    private static String percentiles(long[] w) {
        if (w.length == 0) {
            return ",,,,";
        }
        Arrays.sort(w);
        return w[0] + "," + at(w, 0.50) + "," + at(w, 0.75) + "," + at(w, 0.95) + "," + at(w, 0.99);
    }

    private static long at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** The lags recorded since the last drain (the consumer thread adds, the reporter drains). */
    private static final class LagWindow {
        private long[] values = new long[1024];
        private int n;

        synchronized void add(long v) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        }

        synchronized long[] drain() {
            long[] out = Arrays.copyOf(values, n);
            n = 0;
            return out;
        }
    }
}
