package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** One store per journal directory: a second is refused, and the lock goes with the store that held it. */
class JournalLockTest {
    @TempDir
    Path dir;

    @Test
    void secondStoreOnTheSameDirectoryIsRefused() throws Exception {
        try (MessageStore s = MessageStore.open(config(dir))) {
            assertThrows(StorageException.class, () -> MessageStore.open(config(dir)));
        }
        MessageStore.open(config(dir)).close();
    }
}
