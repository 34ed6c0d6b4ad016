package io.warren.storage;

import java.nio.file.Path;

/** Debug aid: prints every record of a journal directory to stderr. Not a test. */
public final class DumpMain {
    private DumpMain() {
    }

    public static void main(String[] args) {
        long want = args.length > 1 ? Long.parseLong(args[1]) : -1;
        JournalDump.scanIndexed(Path.of(args[0]), (index, r, len) -> {
            String s = switch (r.type) {
                case RecordCodec.PUBLISH -> "PUBLISH id=" + r.messageId + " queues=" + java.util.Arrays.toString(r.queueIds) + " body=" + r.bodyLength;
                case RecordCodec.BODY_CHUNK -> "CHUNK id=" + r.messageId + " seq=" + r.chunkSeq;
                case RecordCodec.SETTLE -> "SETTLE q=" + r.queueId + " ids=" + java.util.Arrays.toString(r.ids);
                case RecordCodec.DELIVERED -> "DELIVERED q=" + r.queueId + " ids=" + java.util.Arrays.toString(r.ids);
                case RecordCodec.DELETE_QUEUE -> "DELETE q=" + r.queueId;
                default -> "MARK";
            };
            if (want < 0 || s.contains("=" + want + " ") || s.contains("[" + want + "]") || s.contains(" " + want + ",") || s.contains(", " + want + "]")) {
                System.err.println(Journal.cycleOf(index) + "@" + Journal.offsetOf(index) + " " + s);
            }
        });
    }
}
