package io.warren.storage;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Rebuilds the store's state at startup by reading every journal record once, in order: the live
 * messages of each queue (for the broker) and the bookkeeping the writer needs (locations, fan-out
 * counts, per-cycle live counts). Records that fail their checksum are skipped and counted; a cycle
 * whose framing is broken is read up to the break.
 */
final class Replayer {
    private static final Logger log = LoggerFactory.getLogger(Replayer.class);

    private static final class QueueEntries {
        final ArrayList<RecoveredMessage> entries = new ArrayList<>();
        int dead;

        void compactIfMostlyDead() {
            if (dead > 1024 && dead > entries.size() / 2) {
                entries.removeIf(e -> !e.live);
                dead = 0;
            }
        }
    }

    /** What the writer takes over after replay. */
    record State(Recovered recovered, LocationTable locations, Map<Long, int[]> fanout, CycleLedger ledger,
                 long maxMessageId) {
    }

    private final Journal journal;
    private final RecordReader reader = new RecordReader();
    private final IdTable<RecoveredMessage> byId = new IdTable<>();
    private final Map<Long, QueueEntries> byQueue = new LinkedHashMap<>();
    private final Map<Long, Integer> chunksSeen = new HashMap<>();
    private final CycleLedger ledger = new CycleLedger();
    private long maxId;
    private long dropped;

    Replayer(Journal journal) {
        this.journal = journal;
    }

    State run() throws IOException {
        long start = System.nanoTime();
        NavigableSet<Integer> cycles = new TreeSet<>(CycleFiles.list(journal.dir()).keySet());
        cycles.forEach(ledger::addCycle);
        try (ExcerptTailer tailer = journal.newTailer()) {
            for (int cycle : cycles) replayCycle(tailer, cycle);
        }
        long scanned = System.nanoTime();
        State s = build((System.nanoTime() - start) / 1_000_000);
        log.info("replayed {} journal files in {} ms (read {} ms): {} live messages in {} queues, {} damaged records skipped",
                cycles.size(), (System.nanoTime() - start) / 1_000_000, (scanned - start) / 1_000_000,
                s.recovered().messageCount(), s.recovered().queues().size(), dropped);
        return s;
    }

    private void replayCycle(ExcerptTailer tailer, int cycle) {
        if (!tailer.moveToCycle(cycle)) {
            log.warn("journal file {} could not be opened; skipped", CycleFiles.name(cycle));
            return;
        }
        long records = 0;
        try {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) break;
                    long index = dc.index();
                    // A file that ends with an end-of-file marker lets the tailer run on into the next
                    // cycle; that one gets its own pass.
                    if (Journal.cycleOf(index) != cycle) break;
                    records++;
                    if (reader.load(dc.wire().bytes())) {
                        apply(cycle, index);
                    } else {
                        dropped++;
                        log.warn("journal {} record {} is damaged (checksum or framing); skipped",
                                CycleFiles.name(cycle), Journal.ROLL_CYCLE.toSequenceNumber(index));
                    }
                }
            }
        } catch (RuntimeException e) {
            dropped++;
            log.warn("journal {} is unreadable after {} records ({}); the rest of that file is dropped",
                    CycleFiles.name(cycle), records, e.toString(), e);
        }
    }

    private void apply(int cycle, long index) {
        RecordReader r = reader;
        switch (r.type) {
            case RecordCodec.PUBLISH -> publish(cycle, index);
            case RecordCodec.BODY_CHUNK -> {
                maxId = Math.max(maxId, r.messageId);
                if (r.chunkSeq == chunksSeen.getOrDefault(r.messageId, 0)) chunksSeen.merge(r.messageId, 1, Integer::sum);
            }
            case RecordCodec.SETTLE -> {
                for (long id : r.ids) settle(cycle, r.queueId, id);
            }
            case RecordCodec.DELIVERED -> {
                for (long id : r.ids) {
                    maxId = Math.max(maxId, id);
                    RecoveredMessage e = find(id, r.queueId);
                    if (e != null && e.live) {
                        e.redelivered = true;
                        ledger.referenced(cycle, Journal.cycleOf(e.location()));
                    }
                }
            }
            case RecordCodec.DELETE_QUEUE -> deleteQueue(cycle, r.queueId);
            default -> // MARK: ids never go below the highest issued, even once every file holding them is gone
                    maxId = Math.max(maxId, r.messageId);
        }
    }

    private void publish(int cycle, long index) {
        RecordReader r = reader;
        maxId = Math.max(maxId, r.messageId);
        if (r.chunks > 0) {
            Integer seen = chunksSeen.remove(r.messageId);
            if (seen == null || seen != r.chunks) {
                dropped++;
                log.warn("message {} in {} lacks body chunks ({} of {}); dropped", r.messageId,
                        CycleFiles.name(cycle), seen == null ? 0 : seen, r.chunks);
                return;
            }
        }
        if (byId.get(r.messageId) != null) {
            log.warn("message id {} published twice; keeping the first", r.messageId);
            return;
        }
        byte[] meta = r.meta();
        RecoveredMessage first = null;
        RecoveredMessage prev = null;
        for (long q : r.queueIds) {
            RecoveredMessage e = new RecoveredMessage(r.messageId, index, meta, r.bodyLength, q);
            if (prev == null) first = e; else prev.next = e;
            prev = e;
            byQueue.computeIfAbsent(q, k -> new QueueEntries()).entries.add(e);
        }
        byId.putIfAbsent(r.messageId, first);
        ledger.published(cycle, r.queueIds);
    }

    private void settle(int cycle, long queueId, long id) {
        maxId = Math.max(maxId, id);
        RecoveredMessage e = find(id, queueId);
        if (e == null || !e.live) return;
        e.live = false;
        ledger.settled(cycle, Journal.cycleOf(e.location()), queueId);
        QueueEntries qe = byQueue.get(queueId);
        qe.dead++;
        qe.compactIfMostlyDead();
        forgetIfDead(id);
    }

    private void deleteQueue(int cycle, long queueId) {
        QueueEntries qe = byQueue.remove(queueId);
        ledger.queueDeleted(cycle, queueId);
        if (qe == null) return;
        for (RecoveredMessage e : qe.entries) {
            if (e.live) {
                e.live = false;
                forgetIfDead(e.messageId());
            }
        }
    }

    private RecoveredMessage find(long id, long queueId) {
        for (RecoveredMessage e = byId.get(id); e != null; e = e.next) {
            if (e.queueId == queueId) return e;
        }
        return null;
    }

    private void forgetIfDead(long id) {
        for (RecoveredMessage e = byId.get(id); e != null; e = e.next) {
            if (e.live) return;
        }
        byId.remove(id);
    }

    private State build(long millis) {
        LocationTable locations = new LocationTable();
        Map<Long, int[]> fanout = new HashMap<>();
        byId.forEach(first -> {
            int live = 0;
            for (RecoveredMessage e = first; e != null; e = e.next) if (e.live) live++;
            locations.put(first.messageId(), first.location());
            if (live > 1) fanout.put(first.messageId(), new int[] {live});
        });
        Map<Long, List<RecoveredMessage>> queues = new LinkedHashMap<>();
        for (Map.Entry<Long, QueueEntries> q : byQueue.entrySet()) {
            ArrayList<RecoveredMessage> list = q.getValue().entries;
            list.removeIf(e -> !e.live);
            list.trimToSize();
            if (!list.isEmpty()) queues.put(q.getKey(), java.util.Collections.unmodifiableList(list));
        }
        Recovered rec = new Recovered(queues, byId.size(), dropped, millis);
        return new State(rec, locations, fanout, ledger, maxId);
    }
}
