package io.warren.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/** Profiling aid, not a test: fills a journal once (if empty) and times open+replay a few times. */
public final class RecoverTiming {
    private static final Logger log = LoggerFactory.getLogger(RecoverTiming.class);

    private RecoverTiming() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        if (!Files.exists(dir)) {
            try (MessageStore s = MessageStore.open(StoreConfig.defaults(dir))) {
                Semaphore credit = new Semaphore(1000);
                ExecutorService loop = Executors.newSingleThreadExecutor();
                for (int i = 0; i < count; i++) {
                    credit.acquire();
                    s.submit(new Write.Publish(s.newMessageId(), new byte[48], new byte[1024], new long[] {1}), loop,
                            (loc, err) -> credit.release());
                }
                credit.acquire(1000);
                loop.shutdown();
            }
        }
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            try (MessageStore s = MessageStore.open(StoreConfig.defaults(dir))) {
                long n = s.recover().messageCount();
                log.info("TIMING open+replay {} ms for {} messages", (System.nanoTime() - t) / 1_000_000, n);
            }
        }
    }
}
