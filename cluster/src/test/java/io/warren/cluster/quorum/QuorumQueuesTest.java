package io.warren.cluster.quorum;

import io.warren.cluster.ClusterPeer;
import io.warren.cluster.ClusterPeers;
import io.warren.cluster.RaftHost;
import io.warren.cluster.quorum.QueueCommand.Checkout;
import io.warren.cluster.quorum.QueueCommand.Dequeue;
import io.warren.cluster.quorum.QueueCommand.Enqueue;
import io.warren.cluster.quorum.QueueCommand.Settle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A quorum queue on three Ratis servers in one JVM: replication, leader loss, catch-up by snapshot. */
class QuorumQueuesTest {
    @TempDir
    Path dir;
    private ClusterPeers peers;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final UUID queue = UUID.randomUUID();

    /** One node: its Ratis server and its quorum queues, and every delivery its replica computed. */
    record Node(RaftHost host, QuorumQueues queues, List<QueueEffect> effects) {
        void stop() throws IOException {
            queues.close();
            host.close();
        }
    }

    private Node start(String name) throws IOException {
        QuorumQueues qq = new QuorumQueues(16, 15000);
        // small log segments and a snapshot check every 20 entries, so a short test compacts its log
        RaftHost host = RaftHost.start(peers.self(name), dir.resolve(name), 20, 4096,
                io.warren.cluster.tls.RaftTls.fromSecret("test-secret").parameters(), null, Map.of(), qq::machineFor);
        qq.attach(host);
        Node n = new Node(host, qq, new CopyOnWriteArrayList<>());
        nodes.put(name, n);
        return n;
    }

    private void listenEverywhere() {
        nodes.values().forEach(n -> n.queues.listen(queue, (index, leader, effects) -> n.effects.addAll(effects)));
    }

    @AfterEach
    void stopAll() throws IOException {
        for (Node n : nodes.values()) {
            n.stop();
        }
    }

    private void startThree() throws Exception {
        peers = ClusterPeers.parse("a=127.0.0.1:" + freePort() + ",b=127.0.0.1:" + freePort() + ",c=127.0.0.1:" + freePort());
        for (ClusterPeer p : peers.members()) {
            start(p.name());
        }
        nodes.get("a").queues.create(queue, peers.members(), QueueLimits.NONE).get(30, TimeUnit.SECONDS);
        listenEverywhere();
    }

    private record Taken(long[] reply, byte[] body) {
    }

    /**
     * A basic.get as the broker makes it: taken unsettled, the body read from the node's log, then
     * settled (a message settled at once may have its log entry compacted away before it is read).
     */
    private Taken take(Node n) throws Exception {
        String key = n.host.nodeName() + "/get";
        long[] got = n.queues.submit(queue, new Dequeue(key, false)).get(30, TimeUnit.SECONDS);
        byte[] content = n.queues.body(queue, got[0]);
        n.queues.submit(queue, new Settle(key, new long[]{got[0]})).get(30, TimeUnit.SECONDS);
        return new Taken(got, content);
    }

    private static byte[] body(int i) {
        return ("message-" + i + "-" + "x".repeat(150)).getBytes(StandardCharsets.UTF_8);
    }

    private long enqueue(Node via, int i) throws Exception {
        long[] r = via.queues.submit(queue, new Enqueue(body(i).length, body(i))).get(30, TimeUnit.SECONDS);
        assertArrayEquals(new long[]{1}, r, "accepted");
        return 0;
    }

    @Test
    void replicatesEnqueuesDeliveriesAndSettlesOnEveryMember() throws Exception {
        startThree();
        Node a = nodes.get("a");
        Node b = nodes.get("b");
        Node c = nodes.get("c");
        b.queues.submit(queue, new Checkout("b/ctag-1", 0)).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 10; i++) {
            enqueue(c, i);
        }
        // every member decided the same deliveries; the consumer's node reads bodies from its own log
        for (Node n : nodes.values()) {
            waitFor(() -> deliveries(n).size() == 10);
        }
        for (Node n : nodes.values()) {
            assertEquals(deliveries(b), deliveries(n));
        }
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            QueueEffect.Deliver d = deliveries(b).get(i);
            assertEquals("b/ctag-1", d.consumer());
            assertArrayEquals(body(i), b.queues.body(queue, d.id()), "publish order kept");
            ids.add(d.id());
        }
        assertEquals(10, a.queues.status(queue).unacked());
        a.queues.submit(queue, new Settle("b/ctag-1", ids.stream().mapToLong(Long::longValue).toArray()))
                .get(30, TimeUnit.SECONDS);
        for (Node n : nodes.values()) {
            waitFor(() -> n.queues.status(queue).unacked() == 0);
        }
        QuorumStatus s = c.queues.status(queue);
        assertEquals(List.of("a", "b", "c"), s.members().stream().sorted().toList());
        assertTrue(s.members().contains(s.leader()), "a leader is known: " + s);
    }

    @Test
    void enqueuesSubmittedTogetherFromAFollowerKeepTheirOrder() throws Exception {
        startThree();
        String leader = nodes.get("a").queues.status(queue).leader();
        Node follower = nodes.entrySet().stream().filter(e -> !e.getKey().equals(leader)).findFirst().orElseThrow().getValue();
        List<java.util.concurrent.CompletableFuture<long[]>> all = new ArrayList<>();
        PublishSequence sequence = new PublishSequence(follower.host.nodeName()); // as the broker numbers publishes
        for (int i = 0; i < 200; i++) {
            all.add(follower.queues.submit(queue, sequence.stamp(body(i).length, body(i))));
        }
        for (var f : all) {
            assertArrayEquals(new long[]{1}, f.get(30, TimeUnit.SECONDS));
        }
        for (int i = 0; i < 200; i++) {
            assertArrayEquals(body(i), take(follower).body(), "message " + i);
        }
    }

    @Test
    void losingTheLeaderLosesNoCommittedMessage() throws Exception {
        startThree();
        for (int i = 0; i < 20; i++) {
            enqueue(nodes.get("b"), i);
        }
        String leader = nodes.get("a").queues.status(queue).leader();
        nodes.remove(leader).stop();
        Node survivor = nodes.values().iterator().next();
        for (int i = 20; i < 40; i++) {
            enqueue(survivor, i); // the client finds the new leader; each command is applied once
        }
        for (int i = 0; i < 40; i++) {
            Taken t = take(survivor);
            assertArrayEquals(body(i), t.body(), "message " + i);
            assertEquals(39 - i, t.reply()[2], "ready after the get");
        }
        for (Node n : nodes.values()) {
            waitFor(() -> n.queues.status(queue).ready() == 0);
        }
    }

    @Test
    void aMemberThatWasAwayCatchesUpFromASnapshotOnceMessagesAreSettled() throws Exception {
        startThree();
        nodes.remove("c").stop();
        Node a = nodes.get("a");
        for (int i = 0; i < 100; i++) {
            enqueue(a, i);
            a.queues.submit(queue, new Dequeue("a/get", true)).get(30, TimeUnit.SECONDS);
        }
        // every message settled: a snapshot of the (empty) state let Ratis purge the log's closed segments
        waitFor(() -> logStart(a) > 100);
        for (int i = 0; i < 3; i++) {
            enqueue(a, 1000 + i); // live messages, in the log after the snapshot
        }
        Node c = start("c");
        waitFor(() -> c.queues.local().contains(queue) && c.queues.status(queue).ready() == 3);
        assertTrue(c.queues.local(queue).installedSnapshots() > 0, "c caught up from the leader's snapshot");
        c.queues.listen(queue, (index, leader, effects) -> c.effects.addAll(effects));
        c.queues.submit(queue, new Checkout("c/ctag", 0)).get(30, TimeUnit.SECONDS);
        waitFor(() -> deliveries(c).size() == 3);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(body(1000 + i), c.queues.body(queue, deliveries(c).get(i).id()));
        }
    }

    private long logStart(Node n) {
        try {
            return n.queues.logStart(queue);
        } catch (IOException e) {
            return -1;
        }
    }

    private static List<QueueEffect.Deliver> deliveries(Node n) {
        List<QueueEffect.Deliver> out = new ArrayList<>();
        n.effects.forEach(e -> {
            if (e instanceof QueueEffect.Deliver d) {
                out.add(d);
            }
        });
        return out;
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
