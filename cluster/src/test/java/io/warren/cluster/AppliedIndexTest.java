package io.warren.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class AppliedIndexTest {
    @Test
    void aWaiterCompletesWhenItsIndexIsAppliedAndNotBefore() {
        AppliedIndex applied = new AppliedIndex();
        CompletableFuture<Void> five = applied.await(5);
        CompletableFuture<Void> seven = applied.await(7);
        applied.advance(4);
        assertFalse(five.isDone());
        applied.advance(6);
        assertTrue(five.isDone());
        assertFalse(seven.isDone());
        assertTrue(applied.await(6).isDone(), "an index already applied completes at once");
        applied.advance(3); // never goes back
        assertEquals(6, applied.get());
        applied.advance(7);
        assertTrue(seven.isDone());
    }

    /**
     * Several waiters on the index being applied, registered while it is applied: none is lost (a waiter added to
     * the list of an index just taken away by advance was never completed).
     */
    @Test
    void waitersRegisteredWhileTheirIndexIsAppliedAllComplete() throws Exception {
        for (int round = 0; round < 2000; round++) {
            AppliedIndex applied = new AppliedIndex();
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> waiters = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                List<CompletableFuture<Void>> mine = new ArrayList<>();
                Thread th = new Thread(() -> {
                    await(go);
                    for (int i = 1; i <= 50; i++) {
                        mine.add(applied.await(i));
                    }
                    synchronized (waiters) {
                        waiters.addAll(mine);
                    }
                });
                threads.add(th);
                th.start();
            }
            Thread advancer = new Thread(() -> {
                await(go);
                for (int i = 1; i <= 50; i++) {
                    applied.advance(i);
                }
            });
            advancer.start();
            go.countDown();
            for (Thread th : threads) {
                th.join();
            }
            advancer.join();
            int round0 = round;
            synchronized (waiters) {
                for (CompletableFuture<Void> f : waiters) {
                    assertTrue(f.isDone(), () -> "a waiter was lost in round " + round0);
                }
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
