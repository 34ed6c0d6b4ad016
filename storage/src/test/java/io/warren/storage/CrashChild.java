package io.warren.storage;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The process {@link CrashTest} kills. Publishes with EVERY_BATCH and writes one line per durable
 * outcome to the protocol file (its third argument), as soon as its callback fires:
 * <pre>
 * READY                  store open, recovery done
 * C id mask              publish of id to the queues in mask (1 = queue 1, 2 = queue 2) is durable
 * s queue id             a settle of id from queue is about to be submitted (printed before it is)
 * S queue id             settle of id from queue is durable
 * </pre>
 * It also settles part of what it recovered and part of what it published, and marks deliveries.
 * READY also goes to stdout, so the test knows when to start its kill timer.
 *
 * <p>The lines go to a file, not to stdout: a line written to a pipe just before the kill was seen to
 * be missing from what the parent read afterwards (the journal held the settle the line announced), and
 * the test then wrongly expected that message back. Every completed {@code write} to a file survives
 * the process's death, so the file is exactly what the child said before it was killed.
 */
public final class CrashChild {
    static final long Q1 = 1;
    static final long Q2 = 2;

    private CrashChild() {
    }

    /** The body every message must have, derived from its id, so the test can spot corruption. */
    static byte[] body(long id) {
        Random r = new Random(id);
        int size = r.nextInt(100) == 0 ? (r.nextInt(10) == 0 ? 5 << 20 : 70_000) : r.nextInt(2048);
        byte[] b = new byte[size];
        r.nextBytes(b);
        return b;
    }

    static String meta(long id) {
        return "meta-" + id;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Random rnd = new Random(Long.parseLong(args[1]));
        // one write(2) per line, unbuffered: whatever println returned from is in the file
        PrintStream out = new PrintStream(new FileOutputStream(args[2], true), true);
        ExecutorService confirms = Executors.newSingleThreadExecutor();
        MessageStore store = MessageStore.open(StoreConfig.defaults(dir).withRoll(4 << 20, 60_000));
        Recovered rec = store.recover();
        out.println("READY");
        new PrintStream(new FileOutputStream(FileDescriptor.out), true).println("READY");
        for (long q : new long[] {Q1, Q2}) {
            for (RecoveredMessage m : rec.queue(q)) {
                // Open has already deleted what its ledger found settled; CrashTest fails on this line.
                if (!java.nio.file.Files.exists(SegmentFiles.path(dir, Journal.cycleOf(m.location())))) {
                    out.println("BAD " + q + " " + m.messageId() + " file deleted at open");
                }
            }
        }
        for (long q : new long[] {Q1, Q2}) {
            List<RecoveredMessage> ms = rec.queue(q);
            for (RecoveredMessage m : ms) {
                if (rnd.nextInt(3) == 0) settle(store, confirms, out, q, m.messageId());
            }
        }
        Semaphore window = new Semaphore(256);
        while (true) {
            window.acquire();
            long id = store.newMessageId();
            boolean fan = rnd.nextInt(4) == 0;
            long[] queues = fan ? new long[] {Q1, Q2} : new long[] {Q1};
            int mask = fan ? 3 : 1;
            boolean settleLater = rnd.nextInt(5) == 0;
            boolean deliver = rnd.nextInt(5) == 0;
            store.submit(new Write.Publish(id, meta(id).getBytes(), body(id), queues), confirms, (loc, err) -> {
                window.release();
                if (err != null) return;
                out.println("C " + id + " " + mask);
                if (deliver) store.submit(new Write.Delivered(Q1, id), null, null);
                if (settleLater) {
                    for (long q : queues) settle(store, confirms, out, q, id);
                }
            });
        }
    }

    private static void settle(MessageStore store, ExecutorService ex, PrintStream out, long q, long id) {
        // Said before submitting: if we die after the settle is on disk but before "S", the test knows
        // the message may legitimately be gone.
        out.println("s " + q + " " + id);
        store.submit(new Write.Settle(q, id), ex, (loc, err) -> {
            if (err == null) out.println("S " + q + " " + id);
        });
    }
}
