package io.warren.storage;

import java.util.List;
import java.util.Map;

/**
 * What {@link MessageStore#open} found on disk.
 *
 * @param queues         per queue id, its live messages in journal order (the order they were published)
 * @param messageCount   distinct live messages (a fan-out message counts once)
 * @param droppedRecords journal records that failed their checksum or framing and were skipped
 * @param millis         how long replay took
 */
public record Recovered(Map<Long, List<RecoveredMessage>> queues, long messageCount, long droppedRecords,
                        long millis) {

    public List<RecoveredMessage> queue(long queueId) {
        return queues.getOrDefault(queueId, List.of());
    }
}
