package io.warren.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Not a test: a demonstration to run under {@code strace -f -e trace=fdatasync,fsync,msync}. Writes
 * 256 MiB with syncs held back (INTERVAL of an hour), shows the kernel's Dirty counter, then lets one
 * EVERY_BATCH store write and sync, and shows Dirty again: the fdatasync on the segment file wrote back the
 * pages its {@code write} calls had left dirty in the page cache.
 */
public final class SyncProof {
    private static final Logger log = LoggerFactory.getLogger(SyncProof.class);

    private SyncProof() {
    }

    static long dirtyKb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (l.startsWith("Dirty:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        byte[] body = new byte[1 << 20];
        new java.util.Random(1).nextBytes(body);
        try (MessageStore s = MessageStore.open(StoreConfig.defaults(dir).withSyncPolicy(SyncPolicy.interval(3_600_000))
                .withRoll(1L << 30, 3_600_000))) {
            for (int i = 0; i < 256; i++) TestSupport.publish(s, s.newMessageId(), "", body, 1);
            log.info("PROOF after 256 MiB appended, not synced: Dirty {} kB", dirtyKb());
            // Now one write that must be durable: the writer syncs every file it touched since the last sync.
            CountDownLatch done = new CountDownLatch(1);
            s.onWriterThread(() -> { }, TestSupport.DIRECT, (l, e) -> done.countDown());
            done.await();
            long t = System.nanoTime();
            s.onWriterThread(() -> {
                try {
                    // what EVERY_BATCH does after each batch
                    java.lang.reflect.Field f = MessageStore.class.getDeclaredField("journal");
                    f.setAccessible(true);
                    ((Journal) f.get(s)).sync();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, TestSupport.DIRECT, (l, e) -> { });
            TestSupport.write(s, new Write.Settle(1, 1));
            log.info("PROOF after one sync ({} ms): Dirty {} kB", (System.nanoTime() - t) / 1_000_000, dirtyKb());
        }
    }
}
