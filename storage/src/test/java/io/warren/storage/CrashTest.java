package io.warren.storage;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.warren.storage.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Kills a writing process with SIGKILL at random moments, then checks: every confirmed and not settled
 * message is there, in order, with its body intact; nothing whose settle was confirmed comes back.
 */
class CrashTest {
    private static final Logger log = LoggerFactory.getLogger(CrashTest.class);
    private static final int CYCLES = Integer.getInteger("warren.crash.cycles", 20);

    /** Under target/ rather than a temp dir, so a failure leaves the journal behind for a post-mortem. */
    private final Path dir = Path.of("target", "crash-test", Long.toString(System.nanoTime())).toAbsolutePath();
    /**
     * Hard links to the files deleted during the current round (child and verifying store), so that a
     * failure can be traced to the record and the file it was in. Cleared at the start of every round.
     */
    private final Path graveyard = dir.resolveSibling(dir.getFileName() + "-graveyard");

    /** Per queue: ids that must be present (confirmed, not settle-confirmed). */
    private final Map<Long, Set<Long>> mustHave = new HashMap<>();
    /** Per queue: ids whose settle was confirmed. */
    private final Map<Long, Set<Long>> mustNotHave = new HashMap<>();

    @Test
    void killNineAtRandomMoments() throws Exception {
        Random rnd = new Random(20240601L);
        long totalConfirmed = 0;
        long totalSettled = 0;
        for (long q : new long[] {CrashChild.Q1, CrashChild.Q2}) {
            mustHave.put(q, new HashSet<>());
            mustNotHave.put(q, new HashSet<>());
        }
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            if (java.nio.file.Files.exists(graveyard)) deleteRecursively(graveyard);
            List<String> lines = runAndKill(cycle, 50 + rnd.nextInt(500));
            java.nio.file.Files.write(dir.resolveSibling(dir.getFileName() + "-lines.txt"), lines);
            int confirmed = 0;
            int settled = 0;
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f[0].equals("C") && f.length == 3) {
                    long id = Long.parseLong(f[1]);
                    int mask = Integer.parseInt(f[2]);
                    if ((mask & 1) != 0) mustHave.get(CrashChild.Q1).add(id);
                    if ((mask & 2) != 0) mustHave.get(CrashChild.Q2).add(id);
                    confirmed++;
                } else if (f[0].equals("s") && f.length == 3) {
                    // A settle was submitted: present or absent are both fine from now on.
                    mustHave.get(Long.parseLong(f[1])).remove(Long.parseLong(f[2]));
                } else if (f[0].equals("S") && f.length == 3) {
                    long q = Long.parseLong(f[1]);
                    long id = Long.parseLong(f[2]);
                    mustHave.get(q).remove(id);
                    mustNotHave.get(q).add(id);
                    settled++;
                } else if (f[0].equals("BAD")) {
                    fail("cycle " + cycle + ": child: " + line);
                } else if (!line.equals("READY")) {
                    log.warn("cycle {}: child line not understood: {}", cycle, line);
                }
            }
            totalConfirmed += confirmed;
            totalSettled += settled;
            verify(cycle, confirmed, settled, rnd);
        }
        log.info("crash test: {} kill -9 cycles, {} confirmed publishes, {} confirmed settles, all checks passed",
                CYCLES, totalConfirmed, totalSettled);
        assertTrue(totalConfirmed > 0);
        deleteRecursively(dir); // kept only when the test fails
        if (java.nio.file.Files.exists(graveyard)) deleteRecursively(graveyard);
        java.nio.file.Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + "-lines.txt"));
    }

    private static void deleteRecursively(Path p) throws java.io.IOException {
        try (var walk = java.nio.file.Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.delete(x);
        }
    }

    private List<String> runAndKill(int cycle, long killAfterMillis) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Dchronicle")) cmd.add(a);
        }
        cmd.add("-Dwarren.storage.graveyard=" + graveyard);
        Path protocol = dir.resolveSibling(dir.getFileName() + "-round.txt");
        java.nio.file.Files.createDirectories(dir.getParent());
        java.nio.file.Files.deleteIfExists(protocol);
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), dir.toString(), Long.toString(cycle), protocol.toString()));
        java.nio.file.Files.writeString(dir.getParent().resolve("children.log"), "=== round " + cycle + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.getParent().resolve("children.log").toFile()))
                .start();
        CountDownLatch ready = new CountDownLatch(1);
        Thread pump = new Thread(() -> {
            // stdout only says when the child is READY; what it did is in the protocol file
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals("READY")) ready.countDown();
                }
            } catch (Exception ignored) {
                // the pipe breaks when the child dies
            }
        });
        pump.start();
        assertTrue(ready.await(30, TimeUnit.SECONDS), "child did not start");
        Thread.sleep(killAfterMillis);
        p.destroyForcibly(); // SIGKILL on Unix
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        pump.join(10_000);
        // Only lines that end in a newline count: the kill can cut the last one anywhere.
        String text = java.nio.file.Files.readString(protocol, java.nio.charset.StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        lines.remove(lines.size() - 1); // what follows the last newline: empty, or a cut line
        java.nio.file.Files.delete(protocol);
        return lines;
    }

    private void verify(int cycle, int confirmed, int settled, Random rnd) throws Exception {
        System.setProperty("warren.storage.graveyard", graveyard.toString());
        try (MessageStore s = MessageStore.open(config(dir))) {
            Recovered r = s.recover();
            assertEquals(0, r.droppedRecords(), "cycle " + cycle + ": kill -9 must not leave damaged records");
            // Open has already deleted what its ledger found settled: no recovered message's file may be gone.
            for (long q : new long[] {CrashChild.Q1, CrashChild.Q2}) {
                for (RecoveredMessage m : r.queue(q)) {
                    Path f = SegmentFiles.path(dir, Journal.cycleOf(m.location()));
                    assertTrue(java.nio.file.Files.exists(f), "cycle " + cycle + ": message " + m.messageId()
                            + " of queue " + q + " recovered, but its file " + f.getFileName() + " was deleted at open");
                }
            }
            for (long q : new long[] {CrashChild.Q1, CrashChild.Q2}) {
                List<RecoveredMessage> ms = r.queue(q);
                Set<Long> present = new HashSet<>();
                long prev = Long.MIN_VALUE;
                for (RecoveredMessage m : ms) {
                    assertTrue(m.messageId() > prev, "cycle " + cycle + ": order broken in queue " + q);
                    prev = m.messageId();
                    present.add(m.messageId());
                    assertEquals(CrashChild.meta(m.messageId()), new String(m.meta()), "meta of " + m.messageId());
                }
                for (long id : mustHave.get(q)) {
                    assertTrue(present.contains(id), "cycle " + cycle + ": confirmed message " + id + " lost from queue " + q);
                }
                for (long id : mustNotHave.get(q)) {
                    assertFalse(present.contains(id), "cycle " + cycle + ": settled message " + id + " came back in queue " + q);
                }
                // Bodies: a sample, always including the newest (most likely to be torn).
                int checked = 0;
                for (int i = ms.size() - 1; i >= 0 && checked < 300; i--) {
                    if (i < ms.size() - 50 && rnd.nextInt(20) != 0) continue;
                    RecoveredMessage m = ms.get(i);
                    assertArrayEquals(CrashChild.body(m.messageId()), read(s, m.location()).body(),
                            "cycle " + cycle + ": body of " + m.messageId());
                    checked++;
                }
                // What is present now is the truth the next round builds on.
                mustHave.get(q).clear();
                mustHave.get(q).addAll(present);
            }
            log.info("cycle {}: {} confirmed, {} settles confirmed; recovered q1={} q2={} in {} ms", cycle, confirmed,
                    settled, r.queue(CrashChild.Q1).size(), r.queue(CrashChild.Q2).size(), r.millis());
        } finally {
            System.clearProperty("warren.storage.graveyard");
        }
    }
}
