package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static io.warren.storage.TestSupport.DIRECT;
import static org.junit.jupiter.api.Assertions.*;

class MetadataStoreTest {
    @TempDir
    Path dir;

    private static void await(java.util.function.Consumer<MetaCallback> op) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        op.accept(err -> {
            if (err != null) f.completeExceptionally(err); else f.complete(null);
        });
        f.join();
    }

    private static final MetaKey Q1 = new MetaKey("queue", "/", "orders");
    private static final MetaKey Q2 = new MetaKey("queue", "/", "invoices");
    private static final MetaKey X1 = new MetaKey("exchange", "/", "events");

    @Test
    void putDeleteSurviveReopen() throws Exception {
        try (MetadataStore m = MetadataStore.open(dir)) {
            assertTrue(m.all().isEmpty());
            await(cb -> m.put(Q1, "{\"durable\":true}".getBytes(), DIRECT, cb));
            await(cb -> m.put(Q2, "v1".getBytes(), DIRECT, cb));
            await(cb -> m.put(Q2, "v2".getBytes(), DIRECT, cb));
            await(cb -> m.put(X1, "x".getBytes(), DIRECT, cb));
            await(cb -> m.delete(Q1, DIRECT, cb));
            assertEquals("v2", new String(m.get(Q2)));
        }
        try (MetadataStore m = MetadataStore.open(dir)) {
            assertEquals(2, m.all().size());
            assertNull(m.get(Q1));
            assertEquals("v2", new String(m.get(Q2)));
            assertEquals(1, m.list("exchange").size());
            assertEquals(1, m.list("queue").size());
        }
    }

    @Test
    void tornTailIsCutAndTheRestKept() throws Exception {
        try (MetadataStore m = MetadataStore.open(dir)) {
            await(cb -> m.put(Q1, "a".getBytes(), DIRECT, cb));
            await(cb -> m.put(Q2, "b".getBytes(), DIRECT, cb));
        }
        Path f = dir.resolve(MetaLog.FILE);
        long len = Files.size(f);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(len - 3); // the last record loses its end
        }
        try (MetadataStore m = MetadataStore.open(dir)) {
            assertEquals("a", new String(m.get(Q1)));
            assertNull(m.get(Q2));
            await(cb -> m.put(X1, "c".getBytes(), DIRECT, cb));
        }
        try (MetadataStore m = MetadataStore.open(dir)) {
            assertEquals(2, m.all().size());
            assertEquals("c", new String(m.get(X1)));
        }
    }

    @Test
    void compactsWhenMostlyDead() throws Exception {
        byte[] big = new byte[10_000];
        try (MetadataStore m = MetadataStore.open(dir)) {
            for (int i = 0; i < 500; i++) {
                await(cb -> m.put(Q1, big, DIRECT, cb));
            }
            await(cb -> m.put(Q2, "kept".getBytes(), DIRECT, cb));
        }
        assertTrue(Files.size(dir.resolve(MetaLog.FILE)) < 1_200_000, "compacted: " + Files.size(dir.resolve(MetaLog.FILE)));
        try (MetadataStore m = MetadataStore.open(dir)) {
            assertEquals(2, m.all().size());
            assertArrayEquals(big, m.get(Q1));
            assertEquals("kept", new String(m.get(Q2)));
        }
    }

    @Test
    void changesAfterCloseFail() throws Exception {
        MetadataStore m = MetadataStore.open(dir);
        m.close();
        assertThrows(Exception.class, () -> await(cb -> m.put(Q1, new byte[1], DIRECT, cb)));
    }
}
