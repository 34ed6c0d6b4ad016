package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A broker recovers lazily: it keeps only the locations of recovered messages and reads them back
 * after the store has opened its new journal file and taken new writes. Every location from every
 * earlier session must stay readable across many restarts.
 */
class LazyReadAcrossRestartsTest {
    @TempDir
    Path dir;

    @Test
    void recoveredLocationsStayReadableAfterManyRestarts() throws Exception {
        long q = 7;
        List<Long> expected = new ArrayList<>();
        for (int session = 0; session < 8; session++) {
            try (MessageStore store = MessageStore.open(config(dir))) {
                Recovered r = store.recover();
                List<RecoveredMessage> live = r.queue(q);
                assertEquals(expected, ids(r, q), "session " + session);
                // new writes first, so the store has moved on to its new file
                for (int i = 0; i < 50; i++) {
                    long id = store.newMessageId();
                    publish(store, id, "m" + id, body(id), q);
                    expected.add(id);
                }
                for (RecoveredMessage m : live) {
                    StoredMessage s = read(store, m.location());
                    assertEquals(m.messageId(), s.messageId());
                    assertArrayEquals(body(m.messageId()), s.body(), "body of " + m.messageId());
                }
                // read them again out of order, backwards
                for (int i = live.size() - 1; i >= 0; i -= 7) {
                    assertEquals(live.get(i).messageId(), read(store, live.get(i).location()).messageId());
                }
                // settle a few of the oldest so files come and go
                if (expected.size() > 60) {
                    long[] gone = expected.subList(0, 20).stream().mapToLong(Long::longValue).toArray();
                    write(store, new Write.Settle(q, gone));
                    expected.subList(0, 20).clear();
                }
            }
        }
    }

    private static byte[] body(long id) {
        return ("body-" + id + "-".repeat((int) (id % 50))).getBytes(StandardCharsets.UTF_8);
    }
}
