package io.warren.broker;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the data directory before anything opens files in it, so that a path that is a file, a directory the
 * broker may not write or a missing parent it may not create is one line naming the directory and the reason
 * ({@code cannot use data directory /srv/warren: permission denied}), not a trace out of the journal.
 */
final class DataDirectory {
    private DataDirectory() {
    }

    static void prepare(Path dir) throws StartupException {
        Path abs = dir.toAbsolutePath();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw unusable(abs, "not a directory", null);
        }
        try {
            Files.createDirectories(abs);
        } catch (FileAlreadyExistsException e) {
            throw unusable(abs, "not a directory: " + e.getFile(), e);
        } catch (AccessDeniedException e) {
            throw unusable(abs, "permission denied", e);
        } catch (FileSystemException e) {
            throw unusable(abs, e.getReason() == null ? e.getMessage() : e.getReason().toLowerCase(java.util.Locale.ROOT), e);
        } catch (IOException e) {
            throw unusable(abs, e.getMessage(), e);
        }
        if (!Files.isReadable(abs) || !Files.isWritable(abs) || !Files.isExecutable(abs)) {
            throw unusable(abs, "permission denied", null);
        }
    }

    static StartupException unusable(Path dir, String reason, Throwable cause) {
        return new StartupException("cannot use data directory " + dir + ": " + reason, cause);
    }
}
