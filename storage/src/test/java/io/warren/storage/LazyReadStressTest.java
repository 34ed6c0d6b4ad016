package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Lazy reads the way a broker does them, across restarts: a consumer drains each queue in order with
 * reads in flight (recovered messages first, then messages published in this session, each read as soon
 * as its publish is confirmed) and acks what it read, while a publisher keeps appending, files roll by
 * size and settled files are deleted under the reader's feet. And random single-threaded sequences of
 * publishes, rolls, settles, restarts and reads (random, newest, in order).
 */
class LazyReadStressTest {
    @TempDir
    Path dir;

    private record Loc(long id, long location) {
    }

    private static byte[] body(long id) {
        Random r = new Random(id);
        byte[] b = new byte[200 + r.nextInt(3000)];
        r.nextBytes(b);
        return b;
    }

    private static StoreConfig smallFiles(Path dir) {
        return config(dir).withRoll(1 << 20, 3_600_000);
    }

    @Test
    void consumerDrainsWhilePublisherAppendsRollsAndFilesAreReclaimed() throws Exception {
        Random rnd = new Random(42);
        long q = 1;
        for (int session = 0; session < 6; session++) {
            try (MessageStore store = MessageStore.open(smallFiles(dir))) {
                LinkedBlockingQueue<Loc> order = new LinkedBlockingQueue<>();
                for (RecoveredMessage m : store.recover().queue(q)) order.add(new Loc(m.messageId(), m.location()));
                int recovered = order.size();
                int toPublish = 500 + rnd.nextInt(1500);
                AtomicReference<Throwable> fail = new AtomicReference<>();
                Thread publisher = new Thread(() -> {
                    Semaphore window = new Semaphore(100);
                    try {
                        for (int n = 0; n < toPublish; n++) {
                            window.acquire();
                            long id = store.newMessageId();
                            store.submit(new Write.Publish(id, ("m" + id).getBytes(), body(id), new long[] {q}), DIRECT,
                                    (loc, err) -> {
                                        window.release();
                                        if (err != null) fail.set(err); else order.add(new Loc(id, loc));
                                    });
                        }
                        window.acquire(100);
                    } catch (Throwable t) {
                        fail.set(t);
                    }
                });
                publisher.start();
                int consume = (int) ((recovered + toPublish) * (0.3 + 0.6 * rnd.nextDouble()));
                ArrayDeque<CompletableFuture<StoredMessage>> inflight = new ArrayDeque<>();
                ArrayDeque<Loc> inflightLocs = new ArrayDeque<>();
                List<Long> acks = new ArrayList<>();
                int ahead = 1 + rnd.nextInt(150);
                for (int consumed = 0; consumed < consume; consumed++) {
                    while (inflightLocs.size() < ahead && consumed + inflightLocs.size() < consume) {
                        Loc l = order.poll(30, TimeUnit.SECONDS);
                        assertNotNull(l, "publisher stalled");
                        CompletableFuture<StoredMessage> f = new CompletableFuture<>();
                        store.read(l.location(), DIRECT, (m, err) -> {
                            if (err != null) f.completeExceptionally(err); else f.complete(m);
                        });
                        inflight.add(f);
                        inflightLocs.add(l);
                    }
                    Loc l = inflightLocs.poll();
                    StoredMessage m = inflight.poll().get(60, TimeUnit.SECONDS);
                    assertEquals(l.id(), m.messageId(), "session " + session);
                    assertArrayEquals(body(l.id()), m.body(), "session " + session + " body of " + l.id());
                    acks.add(l.id());
                    if (acks.size() >= 1 + rnd.nextInt(100)) {
                        store.submit(new Write.Settle(q, acks.stream().mapToLong(Long::longValue).toArray()), null, null);
                        acks.clear();
                    }
                }
                if (!acks.isEmpty()) store.submit(new Write.Settle(q, acks.stream().mapToLong(Long::longValue).toArray()), null, null);
                publisher.join();
                assertNull(fail.get());
            }
        }
    }

    @Test
    void randomSequencesOfWritesRollsSettlesRestartsAndReads() throws Exception {
        for (long seed = 1; seed <= 8; seed++) {
            randomSequence(dir.resolve("s" + seed), seed);
        }
    }

    private static void randomSequence(Path dir, long seed) throws Exception {
        Random rnd = new Random(seed);
        List<Loc> live = new ArrayList<>();
        MessageStore store = MessageStore.open(smallFiles(dir));
        store.recover();
        StringBuilder trace = new StringBuilder();
        int cursor = 0;
        try {
            for (int step = 0; step < 250; step++) {
                int op = rnd.nextInt(100);
                if (op < 35) {
                    int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 60);
                    trace.append('P').append(n).append(' ');
                    for (int i = 0; i < n; i++) {
                        long id = store.newMessageId();
                        live.add(new Loc(id, publish(store, id, "m" + id, body(id), 1)));
                    }
                } else if (op < 40) {
                    trace.append("R ");
                    roll(store);
                } else if (op < 45 && !live.isEmpty()) {
                    int n = 1 + rnd.nextInt(Math.min(live.size(), 40));
                    trace.append('S').append(n).append(' ');
                    long[] ids = new long[n];
                    for (int i = 0; i < n; i++) ids[i] = live.remove(rnd.nextInt(live.size())).id();
                    write(store, new Write.Settle(1, ids));
                    roll(store); // and delete what became deletable
                    cursor = 0;
                } else if (op < 48) {
                    trace.append("X ");
                    store.close();
                    store = MessageStore.open(smallFiles(dir));
                    List<Loc> rec = new ArrayList<>();
                    for (RecoveredMessage m : store.recover().queue(1)) rec.add(new Loc(m.messageId(), m.location()));
                    live.sort((a, b) -> Long.compare(a.location(), b.location()));
                    assertEquals(live, rec, "seed " + seed + " trace " + trace);
                    cursor = 0;
                } else if (!live.isEmpty()) {
                    int kind = rnd.nextInt(4);
                    Loc l;
                    if (kind == 0) {
                        l = live.get(rnd.nextInt(live.size()));
                        trace.append("r ");
                    } else if (kind == 1) {
                        l = live.get(live.size() - 1);
                        trace.append("l ");
                    } else {
                        cursor = Math.min(cursor, live.size() - 1);
                        l = live.get(cursor++);
                        trace.append("o ");
                    }
                    StoredMessage m;
                    try {
                        m = read(store, l.location());
                    } catch (RuntimeException e) {
                        throw new AssertionError("seed " + seed + " trace " + trace, e);
                    }
                    assertEquals(l.id(), m.messageId());
                    assertTrue(Arrays.equals(body(l.id()), m.body()), "seed " + seed + " trace " + trace);
                }
            }
        } finally {
            store.close();
        }
    }
}
