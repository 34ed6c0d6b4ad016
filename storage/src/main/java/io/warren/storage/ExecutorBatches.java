package io.warren.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Gathers items bound for another thread by the executor they will be answered on, and hands each
 * executor's items over in one call: the first item of a batch schedules one task on that executor, which
 * passes on everything gathered by the time it runs. On an event loop that task runs after the loop's
 * current work, so a whole socket read's worth of items crosses to the other thread together.
 *
 * <p>Why: a consumer draining a backlog asks for one body per ack it sends. Handed over one at a time,
 * each request woke the read thread (a futex wake, on a virtual machine an interrupt to the other core):
 * 30% of the event loop's time in a profile of a 1,000,000-message drain.
 */
final class ExecutorBatches<T> {
    private final Consumer<List<T>> sink;
    private final ConcurrentHashMap<Executor, Batch> open = new ConcurrentHashMap<>();

    /** @param sink receives each batch, in the order its items were added, on the batch's executor */
    ExecutorBatches(Consumer<List<T>> sink) {
        this.sink = sink;
    }

    void add(Executor executor, T item) {
        while (true) {
            Batch batch = open.computeIfAbsent(executor, Batch::new);
            boolean first;
            synchronized (batch) {
                if (batch.handedOver) continue; // lost the race with its task: start the next batch
                batch.items.add(item);
                first = batch.items.size() == 1;
            }
            if (first) {
                try {
                    executor.execute(batch);
                } catch (RuntimeException refused) {
                    batch.run(); // the executor is shutting down: hand over from here
                }
            }
            return;
        }
    }

    private final class Batch implements Runnable {
        private final Executor executor;
        private final List<T> items = new ArrayList<>();
        private boolean handedOver;

        Batch(Executor executor) {
            this.executor = executor;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (handedOver) return;
                handedOver = true;
            }
            open.remove(executor, this);
            sink.accept(items);
        }
    }
}
