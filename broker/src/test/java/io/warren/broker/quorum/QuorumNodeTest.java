package io.warren.broker.quorum;

import io.warren.broker.model.Message;
import io.warren.cluster.quorum.QueueCommand;
import io.warren.cluster.quorum.QueueLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A standalone node's single-member quorum queue: no Raft server until needed, and its messages survive a restart. */
class QuorumNodeTest {
    @TempDir
    Path data;

    @Test
    void aStandaloneNodeRunsSingleMemberQueuesThatSurviveARestart() throws Exception {
        UUID q = QuorumNode.groupId("/", "orders");
        Message sent = new Message("ex", "rk", new byte[]{(byte) 0x90, 0, 2}, "hello".getBytes(StandardCharsets.UTF_8));
        try (QuorumNode node = QuorumNode.standalone("warren@test", data)) {
            assertFalse(Files.exists(data.resolve("quorum")), "no Raft server, no files, before the first quorum queue");
            node.ensureRunning();
            node.queues().create(q, node.membersFor("/", "orders", 3, LeaderLocator.UNSET), QueueLimits.NONE).get(30, TimeUnit.SECONDS);
            byte[] content = QuorumMessageCodec.encode(sent);
            long[] r = node.queues().submit(q, new QueueCommand.Enqueue(sent.bodySize(), content)).get(30, TimeUnit.SECONDS);
            assertArrayEquals(new long[]{1}, r);
            // held by a basic.get that never acks: it must come back after the restart
            long[] got = node.queues().submit(q, new QueueCommand.Dequeue("warren@test/get-1", false)).get(30, TimeUnit.SECONDS);
            assertEquals(0, got[1]);
        }
        try (QuorumNode node = QuorumNode.standalone("warren@test", data)) {
            assertTrue(node.queues().local().contains(q), "the group is recovered from disk at start");
            // the node restarted: what its consumers and gets held goes back to the queue
            node.queues().submit(q, new QueueCommand.NodeDown("warren@test")).get(30, TimeUnit.SECONDS);
            long[] got = node.queues().submit(q, new QueueCommand.Dequeue("warren@test/get-2", true)).get(30, TimeUnit.SECONDS);
            assertEquals(1, got[1], "its delivery count says it was delivered once before");
            Message m = QuorumMessageCodec.decode(node.queues().body(q, got[0]));
            assertEquals("ex", m.exchange());
            assertEquals("rk", m.routingKey());
            assertArrayEquals(sent.rawProperties(), m.rawProperties());
            assertArrayEquals(sent.body(), m.body());
            assertEquals(sent.publishedAt(), m.publishedAt());
        }
    }
}
