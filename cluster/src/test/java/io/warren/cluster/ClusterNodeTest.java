package io.warren.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three Raft nodes in one JVM replicating a list of strings: commit, catch-up by snapshot, no majority. */
class ClusterNodeTest {
    @TempDir
    Path dir;
    private final List<ClusterNode> started = new ArrayList<>();

    /** A list of strings; a command appends one, the result is the list's size after it. */
    static final class Strings implements ReplicatedState {
        final List<String> items = new CopyOnWriteArrayList<>();
        volatile int restores;
        volatile boolean replaced;
        /** The last log entry applied or restored: the next entry applied comes after it. */
        volatile long lastIndex = -1;
        volatile int outOfOrder;

        @Override
        public byte[] apply(long index, byte[] command) {
            if (index <= lastIndex) {
                outOfOrder++;
            }
            lastIndex = index;
            items.add(new String(command, StandardCharsets.UTF_8));
            return Integer.toString(items.size()).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] snapshot() {
            return String.join("\n", items).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void restore(byte[] snapshot, long index, boolean replace) {
            lastIndex = index;
            items.clear();
            String s = new String(snapshot, StandardCharsets.UTF_8);
            if (!s.isEmpty()) {
                items.addAll(List.of(s.split("\n")));
            }
            restores++;
            replaced |= replace;
        }
    }

    @AfterEach
    void stop() {
        started.forEach(ClusterNode::close);
    }

    private ClusterNode node(String name, ClusterPeers peers, Strings state) throws IOException {
        ClusterNode n = ClusterNode.start(name, peers, "test-secret", dir.resolve(name), state, 4000, 20, 4096);
        started.add(n);
        return n;
    }

    @Test
    void commitsEverywhereCatchesUpFromASnapshotAndRefusesWithoutMajority() throws Exception {
        ClusterPeers peers = ClusterPeers.parse("a=127.0.0.1:" + freePort() + ",b=127.0.0.1:" + freePort()
                + ",c=127.0.0.1:" + freePort());
        Strings sa = new Strings();
        Strings sb = new Strings();
        Strings sc = new Strings();
        ClusterNode a = node("a", peers, sa);
        ClusterNode b = node("b", peers, sb);
        ClusterNode c = node("c", peers, sc);

        // as a broker does before it opens its ports: the first election may outlast a commit timeout on a busy machine
        assertTrue(b.awaitCaughtUp(60_000), "the three nodes elected a leader");
        byte[] r = b.submit("x".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
        assertEquals("1", new String(r, StandardCharsets.UTF_8));
        assertEquals(List.of("x"), sb.items); // applied here before the future completed
        waitFor(() -> sa.items.size() == 1 && sc.items.size() == 1);

        c.close();
        started.remove(c);
        // if c led, a and b elect a new leader first (election timeout 1-2 s); a change submitted
        // meanwhile may wait out that election, so the commit timeout is not what this part tests
        waitFor(() -> a.members().stream().anyMatch(m -> m.leader() && m.running() && !m.name().equals("c")));
        for (int i = 0; i < 60; i++) { // past the snapshot threshold (20): the log gets purged
            // 200-byte entries fill and close several 4 KiB segments, which the snapshot lets be purged
            a.submit(("m" + i + "-" + "x".repeat(200)).getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
        }
        assertEquals(61, sa.items.size());

        Strings sc2 = new Strings();
        ClusterNode c2 = node("c", peers, sc2);
        // what the broker does before it opens its ports: once this returns, c applied all that was committed
        assertTrue(c2.awaitCaughtUp(30_000), "c caught up");
        assertEquals(61, sc2.items.size());
        assertEquals(sa.items, sc2.items); // the empty entry it waited on is not handed to the state
        assertTrue(sc2.restores > 0 && sc2.replaced, "c caught up from the leader's snapshot, not only from the log");
        assertEquals(0, sc2.outOfOrder, "entries are applied with their log index, after the snapshot's index");

        List<Member> members = a.members();
        assertEquals(3, members.size());
        assertTrue(members.stream().allMatch(Member::running));

        b.close();
        started.remove(b);
        started.get(started.size() - 1).close(); // the restarted c
        started.remove(started.size() - 1);
        Exception e = assertThrows(Exception.class,
                () -> a.submit("lost".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof ClusterUnavailableException, e.toString());
        assertFalse(a.awaitCaughtUp(1000), "alone, a cannot catch up with a majority");
        assertEquals(1, a.members().stream().filter(Member::running).count());
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(20);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
