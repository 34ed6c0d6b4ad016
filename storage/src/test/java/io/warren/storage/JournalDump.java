package io.warren.storage;


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
        RecordReader r = new RecordReader();
        try (SegmentReader files = new SegmentReader(dir)) {
            for (int segment : TestSupport.cycles(dir)) {
                long offset = 0;
                while (true) {
                    SegmentReader.Found found = files.read(segment, offset, r);
                    if (found != SegmentReader.Found.RECORD && found != SegmentReader.Found.DAMAGED) break;
                    long length = files.next() - offset - 4;
                    if (found == SegmentReader.Found.RECORD) v.visit(Journal.location(segment, offset), r, length);
                    offset = files.next();
                }
            }
        } catch (java.io.IOException e) {
            throw new RuntimeException(e);
        }
    }
}
