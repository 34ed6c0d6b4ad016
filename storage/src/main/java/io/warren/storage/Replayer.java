package io.warren.storage;

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
        NavigableSet<Integer> segments = new TreeSet<>(SegmentFiles.list(journal.dir()).keySet());
        segments.forEach(ledger::addCycle);
        try (SegmentReader files = new SegmentReader(journal.dir())) {
            for (int segment : segments) replaySegment(files, segment);
        }
        long scanned = System.nanoTime();
        State s = build((System.nanoTime() - start) / 1_000_000);
        log.info("replayed {} journal files in {} ms (read {} ms): {} live messages in {} queues, {} damaged records skipped",
                segments.size(), (System.nanoTime() - start) / 1_000_000, (scanned - start) / 1_000_000,
                s.recovered().messageCount(), s.recovered().queues().size(), dropped);
        return s;
    }

    /**
     * Applies a segment's records in order. A damaged record whose length still frames it is skipped; a
     * length that cannot be ends the segment: nothing after it is trusted. A record the file ends inside is
     * a write a crash cut short: not damage, as nobody was told it was stored. Every start writes into a new
     * segment, so such a tail is never followed by later writes in its file.
     */
    private void replaySegment(SegmentReader files, int segment) {
        long offset = 0;
        long records = 0;
        try {
            while (true) {
                SegmentReader.Found found = files.read(segment, offset, reader);
                if (found == SegmentReader.Found.END) break;
                if (found == SegmentReader.Found.UNFINISHED) {
                    log.info("journal {} ends in a record whose write a crash cut short (at offset {}); it was never"
                            + " confirmed and is ignored", SegmentFiles.name(segment), offset);
                    break;
                }
                if (found == SegmentReader.Found.TORN) {
                    dropped++;
                    log.warn("journal {} has a record length that cannot be at offset {} after {} records (damage); the rest of it is dropped",
                            SegmentFiles.name(segment), offset, records);
                    break;
                }
                records++;
                if (found == SegmentReader.Found.RECORD) {
                    apply(segment, Journal.location(segment, offset));
                } else {
                    dropped++;
                    log.warn("journal {} record at offset {} is damaged (checksum or fields); skipped",
                            SegmentFiles.name(segment), offset);
                }
                offset = files.next();
            }
        } catch (IOException | RuntimeException e) {
            dropped++;
            log.warn("journal {} is unreadable after {} records ({}); the rest of that file is dropped",
                    SegmentFiles.name(segment), records, e.toString(), e);
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
                        SegmentFiles.name(cycle), seen == null ? 0 : seen, r.chunks);
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
