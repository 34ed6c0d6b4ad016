package io.warren.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plain benchmark, not run by the build (its name does not end in Test). Prints numbers; fails nothing.
 * <pre>
 * cd storage && mvn -q dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java $ARGLINE -cp target/classes:target/test-classes:$(cat cp.txt) io.warren.storage.StorageBenchmark [dir] [messages]
 * </pre>
 * 1. group-commit publish throughput and confirm latency: 4 publisher threads (standing in for event
 *    loops), 100 unconfirmed each, 1 KiB bodies, EVERY_BATCH;
 * 2. a backlog of N (default 1,000,000) 1 KiB messages: publish rate, restart (open + replay) time and heap;
 * 3. draining that backlog: sequential reads, then settles.
 */
public final class StorageBenchmark {
    private static final Logger log = LoggerFactory.getLogger(StorageBenchmark.class);

    private StorageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "target/storage-bench").toAbsolutePath();
        int backlog = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        delete(root);
        confirmThroughput(root.resolve("confirms"), 4, 100, 10);
        delete(root);
        backlog(root.resolve("backlog"), backlog);
        delete(root);
    }

    private static void confirmThroughput(Path dir, int publishers, int window, int seconds) throws Exception {
        try (MessageStore s = MessageStore.open(StoreConfig.defaults(dir))) {
            s.recover();
            AtomicLong done = new AtomicLong();
            long[] latencies = new long[20_000_000];
            AtomicLong latencyCount = new AtomicLong();
            long syncs0 = s.syncCount();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            ExecutorService loops = Executors.newFixedThreadPool(publishers);
            CountDownLatch finished = new CountDownLatch(publishers);
            byte[] body = new byte[1024];
            byte[] meta = new byte[64];
            long start = System.nanoTime();
            for (int p = 0; p < publishers; p++) {
                long queue = p;
                ExecutorService loop = Executors.newSingleThreadExecutor();
                loops.execute(() -> {
                    Semaphore credit = new Semaphore(window);
                    try {
                        while (System.nanoTime() < end) {
                            credit.acquire();
                            long t0 = System.nanoTime();
                            s.submit(new Write.Publish(s.newMessageId(), meta, body, new long[] {queue}), loop, (loc, err) -> {
                                long i = latencyCount.getAndIncrement();
                                if (i < latencies.length) latencies[(int) i] = System.nanoTime() - t0;
                                done.incrementAndGet();
                                credit.release();
                            });
                        }
                        credit.acquire(window);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        loop.shutdown();
                        finished.countDown();
                    }
                });
            }
            finished.await();
            loops.shutdown();
            double secs = (System.nanoTime() - start) / 1e9;
            long n = done.get();
            long syncs = s.syncCount() - syncs0;
            int m = (int) Math.min(latencyCount.get(), latencies.length);
            long[] l = Arrays.copyOf(latencies, m);
            Arrays.sort(l);
            log.info("BENCH confirms: {} publishers x {} unconfirmed, 1 KiB: {} msg/s, {} syncs/s, {} msgs/sync, "
                            + "confirm latency p50 {} us p99 {} us",
                    publishers, window, (long) (n / secs), (long) (syncs / secs), n / Math.max(1, syncs),
                    l[m / 2] / 1000, l[(int) (m * 0.99)] / 1000);
        }
    }

    private static void backlog(Path dir, int count) throws Exception {
        byte[] body = new byte[1024];
        byte[] meta = new byte[48];
        long t0 = System.nanoTime();
        try (MessageStore s = MessageStore.open(StoreConfig.defaults(dir))) {
            s.recover();
            Semaphore credit = new Semaphore(1000);
            ExecutorService loop = Executors.newSingleThreadExecutor();
            for (int i = 0; i < count; i++) {
                credit.acquire();
                s.submit(new Write.Publish(s.newMessageId(), meta, body, new long[] {1}), loop, (loc, err) -> credit.release());
            }
            credit.acquire(1000);
            loop.shutdown();
        }
        double pubSecs = (System.nanoTime() - t0) / 1e9;
        log.info("BENCH backlog publish: {} x 1 KiB in {} s = {} msg/s", count, String.format("%.2f", pubSecs),
                (long) (count / pubSecs));

        System.gc();
        long heap0 = usedHeap();
        long t1 = System.nanoTime();
        try (MessageStore s = MessageStore.open(StoreConfig.defaults(dir))) {
            Recovered r = s.recover();
            long openMs = (System.nanoTime() - t1) / 1_000_000;
            System.gc();
            long heap1 = usedHeap();
            List<RecoveredMessage> q = r.queue(1);
            log.info("BENCH restart with backlog: open+replay {} ms ({} messages), heap held by the recovered list {} MiB",
                    openMs, q.size(), (heap1 - heap0) >> 20);

            long t2 = System.nanoTime();
            Semaphore credit = new Semaphore(1000);
            ExecutorService loop = Executors.newSingleThreadExecutor();
            AtomicLong bytes = new AtomicLong();
            for (RecoveredMessage m : q) {
                credit.acquire();
                s.read(m.location(), loop, (msg, err) -> {
                    if (msg != null) bytes.addAndGet(msg.body().length);
                    credit.release();
                });
            }
            credit.acquire(1000);
            double readSecs = (System.nanoTime() - t2) / 1e9;
            log.info("BENCH drain reads (publish order, 1000 in flight): {} msg/s, {} MiB/s", (long) (q.size() / readSecs),
                    (long) (bytes.get() / readSecs) >> 20);

            long t3 = System.nanoTime();
            credit.release(1000);
            for (int i = 0; i < q.size(); i += 100) {
                long[] ids = new long[Math.min(100, q.size() - i)];
                for (int j = 0; j < ids.length; j++) ids[j] = q.get(i + j).messageId();
                credit.acquire();
                s.submit(new Write.Settle(1, ids), loop, (loc, err) -> credit.release());
            }
            credit.acquire(1000);
            loop.shutdown();
            double settleSecs = (System.nanoTime() - t3) / 1e9;
            TestSupport.roll(s); // deletion runs after each batch; wait for the last one
            log.info("BENCH settle all (100 ids per record): {} msg/s; journal files left: {}",
                    (long) (q.size() / settleSecs), SegmentFiles.list(dir).size());
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void delete(Path p) throws Exception {
        if (!Files.exists(p)) return;
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
