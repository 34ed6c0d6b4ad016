package io.warren.storage;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One task per executor per batch; every item handed over once, in order. */
class ExecutorBatchesTest {
    private final List<List<Integer>> handed = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorBatches<Integer> batches = new ExecutorBatches<>(handed::add);

    @Test
    void itemsAddedBeforeTheTaskRunsGoOverTogetherInOrder() {
        ArrayDeque<Runnable> loop = new ArrayDeque<>();
        java.util.concurrent.Executor executor = loop::add;
        for (int i = 0; i < 5; i++) batches.add(executor, i);
        assertEquals(1, loop.size(), "one task for the batch");
        assertEquals(0, handed.size(), "nothing before the task runs");
        loop.poll().run();
        assertEquals(List.of(List.of(0, 1, 2, 3, 4)), handed);
        batches.add(executor, 5);
        assertEquals(1, loop.size(), "the next item starts the next batch");
        loop.poll().run();
        assertEquals(List.of(5), handed.get(1));
    }

    @Test
    void eachExecutorHasItsOwnBatch() {
        ArrayDeque<Runnable> a = new ArrayDeque<>();
        ArrayDeque<Runnable> b = new ArrayDeque<>();
        java.util.concurrent.Executor ea = a::add;
        java.util.concurrent.Executor eb = b::add;
        batches.add(ea, 1);
        batches.add(eb, 2);
        batches.add(ea, 3);
        b.poll().run();
        a.poll().run();
        assertEquals(List.of(List.of(2), List.of(1, 3)), handed);
    }

    @Test
    void anExecutorThatRefusesGetsItsItemsHandedOverAtOnce() {
        batches.add(task -> {
            throw new RejectedExecutionException("shutting down");
        }, 7);
        assertEquals(List.of(List.of(7)), handed);
    }

    @Test
    void manyThreadsAddingForBusyExecutorsLoseAndRepeatNothing() throws Exception {
        List<ExecutorService> perLoop = List.of(Executors.newSingleThreadExecutor(), Executors.newSingleThreadExecutor());
        int threads = 4;
        int each = 20_000;
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            new Thread(() -> {
                for (int i = 0; i < each; i++) batches.add(perLoop.get(i % 2), base + i);
                done.countDown();
            }).start();
        }
        assertTrue(done.await(60, TimeUnit.SECONDS));
        for (ExecutorService e : perLoop) {
            e.shutdown();
            assertTrue(e.awaitTermination(60, TimeUnit.SECONDS));
        }
        List<Integer> all = new ArrayList<>();
        synchronized (handed) {
            handed.forEach(all::addAll);
        }
        assertEquals(threads * each, all.size());
        Collections.sort(all);
        for (int i = 0; i < all.size(); i++) assertEquals(i, all.get(i));
        assertTrue(handed.size() < threads * each, "items were batched: " + handed.size() + " hand-offs");
    }
}
