package io.warren.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.TreeMap;

/**
 * Names of the journal's cycle files. Chronicle names a cycle by formatting its start time with the roll
 * cycle's pattern ({@code yyyyMMdd-HHmm} for MINUTELY) in UTC and appending {@code .cq4}.
 */
final class CycleFiles {
    static final String SUFFIX = ".cq4";
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

    private CycleFiles() {
    }

    static String name(int cycle) {
        return FORMAT.format(Instant.ofEpochMilli(cycle * CycleClock.MILLIS_PER_CYCLE)) + SUFFIX;
    }

    static Path path(Path dir, int cycle) {
        return dir.resolve(name(cycle));
    }

    /** @return the cycle a file name stands for, or -1 if it is not a cycle file */
    static int cycleOf(String fileName) {
        if (!fileName.endsWith(SUFFIX)) return -1;
        try {
            Instant t = Instant.from(FORMAT.parse(fileName.substring(0, fileName.length() - SUFFIX.length())));
            return (int) (t.toEpochMilli() / CycleClock.MILLIS_PER_CYCLE);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Cycle files present in {@code dir}, by cycle. */
    static TreeMap<Integer, Path> list(Path dir) throws IOException {
        return SegmentFiles.listNumbered(dir, SUFFIX, CycleFiles::cycleOf);
    }
}
