package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class DiskFullTest {
    @TempDir
    Path dir;

    @Test
    void publishesFailBelowTheReserveSettlesPassAndTheAlarmFollowsFreeSpace() throws Exception {
        AtomicLong free = new AtomicLong(1L << 30);
        StoreConfig cfg = config(dir).withDisk(100L << 20, 10L << 20, 10, free::get);
        LinkedBlockingQueue<Boolean> alarms = new LinkedBlockingQueue<>();
        long kept;
        try (MessageStore s = MessageStore.open(cfg)) {
            s.addDiskAlarmListener((alarm, bytes) -> alarms.add(alarm), DIRECT);
            assertEquals(Boolean.FALSE, alarms.poll(5, TimeUnit.SECONDS));
            kept = s.newMessageId();
            publish(s, kept, "", new byte[100], 1);
            long settled = s.newMessageId();
            publish(s, settled, "", new byte[100], 1);

            free.set(50L << 20);
            assertEquals(Boolean.TRUE, alarms.poll(5, TimeUnit.SECONDS));
            assertTrue(s.diskAlarm());
            publish(s, s.newMessageId(), "", new byte[100], 1); // alarm only: still accepted

            free.set(1L << 20);
            Thread.sleep(50); // let the writer's next measurement see it
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> publish(s, s.newMessageId(), "", new byte[100], 1));
            assertInstanceOf(DiskFullException.class, e.getCause());
            write(s, new Write.Settle(1, settled));

            free.set(1L << 30);
            assertEquals(Boolean.FALSE, alarms.poll(5, TimeUnit.SECONDS));
            publish(s, s.newMessageId(), "", new byte[100], 1);
        }
        try (MessageStore s = MessageStore.open(cfg)) {
            List<Long> ids = ids(s.recover(), 1);
            assertEquals(3, ids.size());
            assertEquals(kept, ids.get(0));
        }
    }
}
