package io.warren.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** A data directory that lives as long as one embedded broker. */
final class TempDirectory {
    private final Path path;

    private TempDirectory(Path path) {
        this.path = path;
    }

    static TempDirectory create() throws IOException {
        return new TempDirectory(Files.createTempDirectory("warren-embedded-"));
    }

    Path path() {
        return path;
    }

    /** Deletes the directory and everything in it (the broker must be closed: its files are). */
    void delete() {
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException gone) {
            // already deleted
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the embedded broker's data directory " + path, e);
        }
    }
}
