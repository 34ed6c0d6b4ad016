package io.warren.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * Names of the message journal's segment files: the segment number, zero-padded so that names sort in
 * order, and {@code .seg}. Numbers start at 1 and only go up (every start and every roll takes the next).
 */
final class SegmentFiles {
    static final String SUFFIX = ".seg";

    private SegmentFiles() {
    }

    static String name(int segment) {
        return String.format("%010d", segment) + SUFFIX;
    }

    static Path path(Path dir, int segment) {
        return dir.resolve(name(segment));
    }

    /** @return the segment a file name stands for, or -1 if it is not a segment file */
    static int segmentOf(String fileName) {
        if (!fileName.endsWith(SUFFIX) || fileName.length() != 10 + SUFFIX.length()) return -1;
        try {
            int n = Integer.parseInt(fileName.substring(0, 10));
            return n > 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Segment files present in {@code dir}, by number. */
    static TreeMap<Integer, Path> list(Path dir) throws IOException {
        return listNumbered(dir, SUFFIX, SegmentFiles::segmentOf);
    }

    /** Files of {@code dir} ending in {@code suffix} whose name {@code numberOf} maps to a number of 0 or more. */
    static TreeMap<Integer, Path> listNumbered(Path dir, String suffix, ToIntFunction<String> numberOf)
            throws IOException {
        TreeMap<Integer, Path> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + suffix)) {
            for (Path p : s) {
                int n = numberOf.applyAsInt(p.getFileName().toString());
                if (n >= 0) out.put(n, p);
            }
        }
        return out;
    }
}
