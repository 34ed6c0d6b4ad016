package io.warren.storage;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/** Reads a closed journal directly, to check what is on disk. */
final class JournalDump {
    private JournalDump() {
    }

    static long count(Path dir, byte type) {
        long[] n = new long[1];
        scan(dir, (r, len) -> {
            if (r.type == type) n[0]++;
        });
        return n[0];
    }

    static long payloadBytes(Path dir) {
        long[] n = new long[1];
        scan(dir, (r, len) -> n[0] += len);
        return n[0];
    }

    interface Visitor {
        void visit(RecordReader r, long length);
    }

    interface IndexedVisitor {
        void visit(long index, RecordReader r, long length);
    }

    static void scan(Path dir, Visitor v) {
        scanIndexed(dir, (i, r, len) -> v.visit(r, len));
    }

    static void scanIndexed(Path dir, IndexedVisitor v) {
        ChronicleSettings.apply();
        RecordReader r = new RecordReader();
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.single(dir.toFile())
                .rollCycle(Journal.ROLL_CYCLE).readOnly(true).build();
             ExcerptTailer t = q.createTailer()) {
            for (int cycle : TestSupport.cycles(dir)) {
                t.moveToCycle(cycle);
                while (true) {
                    try (DocumentContext dc = t.readingDocument()) {
                        if (!dc.isPresent() || Journal.cycleOf(dc.index()) != cycle) break;
                        long len = dc.wire().bytes().readRemaining();
                        long index = dc.index();
                        if (r.load(dc.wire().bytes())) v.visit(index, r, len);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new RuntimeException(e);
        }
    }
}
