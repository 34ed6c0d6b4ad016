package io.warren.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quorum queues whose group does not span the cluster (x-quorum-initial-group-size 1 or 2 of three
 * nodes), used through a node that holds no member: publish with confirms, passive declare with
 * the group's counts, basic.get, consume with prefetch, ack / nack / reject / requeue, purge; and
 * a consumer there that keeps receiving when the leader's node is killed (its consumer was
 * attached there) and comes back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class QuorumRemoteTest {
    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3); // started once for the class; logs kept on failure

    @Test
    @Order(1)
    void aSingleMemberQueueIsFullyUsableThroughTheOtherNodes() throws Exception {
        String q = "qq.remote.one";
        List<Integer> members = declare(q, 1);
        for (int node = 1; node <= 3; node++) {
            if (!members.contains(node)) {
                usableThrough(node, q);
            }
        }
    }

    @Test
    @Order(2)
    void aTwoMemberQueueIsFullyUsableThroughTheThirdNode() throws Exception {
        String q = "qq.remote.two";
        List<Integer> members = declare(q, 2);
        usableThrough(nonMember(members), q);
    }

    @Test
    @Order(3)
    void aConsumerOnANonMemberKeepsReceivingWhenTheLeaderIsKilledAndComesBack() throws Exception {
        String q = "qq.remote.failover";
        List<Integer> members = declare(q, 2);
        int via = nonMember(members);
        int leader = QuorumQueueProbe.number(QuorumQueueProbe.await(cluster, members.get(0), q,
                j -> j.hasNonNull("leader")).get("leader").asText());

        ReceivedLog received = new ReceivedLog();
        AtomicBoolean cancelled = new AtomicBoolean();
        try (Connection pc = connect(via); Connection cc = connect(via)) {
            Channel pub = pc.createChannel();
            ConfirmTracker confirms = new ConfirmTracker().on(pub);
            long id = 0;
            for (; id < 200; id++) { // the non-member's client finds the leader: its consumer is attached there
                confirms.publish(pub, q, id);
            }
            assertTrue(pub.waitForConfirms(60_000), "confirmed through the non-member");
            Channel sub = cc.createChannel();
            sub.basicQos(20);
            sub.basicConsume(q, false, new DefaultConsumer(sub) {
                @Override
                public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] body) throws IOException {
                    received.add(ConfirmTracker.id(body), env.isRedeliver());
                    sub.basicAck(env.getDeliveryTag(), false);
                }

                @Override
                public void handleCancel(String tag) {
                    cancelled.set(true);
                }
            });
            received.awaitAll(confirms.confirmed(), 90_000);
            for (; id < 300; id++) { // in flight when the leader dies
                confirms.publish(pub, q, id);
            }
            cluster.node(leader).kill();
            for (; id < 350; id++) { // two members, one dead: these wait for it to come back
                confirms.publish(pub, q, id);
            }
            cluster.start(leader);
            QuorumQueueProbe.awaitOnline(cluster, leader, q, 2);
            pub.waitForConfirms(60_000);
            long before = id;
            for (; id < before + 100; id++) { // after the failover
                confirms.publish(pub, q, id);
            }
            assertTrue(pub.waitForConfirms(60_000), "confirmed after the leader came back");
            for (long i = before; i < id; i++) {
                assertTrue(confirms.confirmed().contains(i), "confirmed after the failover: " + i);
            }
            received.awaitAll(confirms.confirmed(), 90_000);
            assertFalse(cancelled.get(), "the consumer was moved to another member, not cancelled");
        }
    }

    /** Declares a quorum queue of {@code size} members through node 1; returns its members. */
    private static List<Integer> declare(String q, int size) throws Exception {
        try (Connection c = connect(1)) {
            c.createChannel().queueDeclare(q, true, false, false,
                    Map.of("x-queue-type", "quorum", "x-quorum-initial-group-size", size));
        }
        JsonNode info = QuorumQueueProbe.await(cluster, 1, q, j -> j.path("members").size() == size);
        List<Integer> members = QuorumQueueProbe.members(info);
        QuorumQueueProbe.awaitOnline(cluster, members.get(0), q, size);
        return members;
    }

    private static int nonMember(List<Integer> members) {
        for (int node = 1; node <= 3; node++) {
            if (!members.contains(node)) {
                return node;
            }
        }
        throw new AssertionError("every node is a member: " + members);
    }

    /**
     * Everything a client does with a queue, through node {@code via} (which holds no member):
     * nothing is checked against the node's own view, every count comes from the group.
     */
    private static void usableThrough(int via, String q) throws Exception {
        try (Connection c = connect(via)) {
            Channel ch = c.createChannel();
            ConfirmTracker confirms = new ConfirmTracker().on(ch);
            for (long id = 0; id < 20; id++) {
                confirms.publish(ch, q, id);
            }
            assertTrue(ch.waitForConfirms(30_000), "every publish confirmed through n" + via);
            assertEquals(20, confirms.confirmed().size());
            AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(q);
            assertEquals(List.of(20, 0), List.of(ok.getMessageCount(), ok.getConsumerCount()),
                    "passive declare: the group's messages and consumers");

            GetResponse first = ch.basicGet(q, false);
            assertNotNull(first);
            assertEquals(0, ConfirmTracker.id(first.getBody()));
            assertFalse(first.getEnvelope().isRedeliver());
            assertEquals(19, first.getMessageCount(), "basic.get-ok's count");
            ch.basicReject(first.getEnvelope().getDeliveryTag(), true);
            // Warren returns it ahead of the others; RabbitMQ 3.10 hands out 1 and 2 first to basic.get
            GetResponse again = ch.basicGet(q, false);
            long againId = ConfirmTracker.id(again.getBody());
            if (againId == 0) {
                assertTrue(again.getEnvelope().isRedeliver());
                assertEquals(1L, ((Number) again.getProps().getHeaders().get("x-delivery-count")).longValue());
            } else {
                assertEquals(1, againId);
            }
            ch.basicAck(again.getEnvelope().getDeliveryTag(), false);
            assertEquals(againId + 1, ConfirmTracker.id(ch.basicGet(q, true).getBody())); // no-ack get
            assertEquals(18, ch.queueDeclarePassive(q).getMessageCount());
            assertEquals(18, ch.queuePurge(q).getMessageCount(), "purge through the non-member");
            AMQP.Queue.DeclareOk purged = ch.queueDeclarePassive(q);
            assertEquals(0, purged.getMessageCount());
            assertNull(ch.basicGet(q, true));

            for (long id = 2; id < 20; id++) { // again, for the consumer
                confirms.publish(ch, q, id);
            }
            assertTrue(ch.waitForConfirms(30_000));

            // prefetch 5: the group hands this consumer 5 and keeps the rest ready
            Channel sub = c.createChannel();
            sub.basicQos(5);
            BlockingQueue<long[]> deliveries = new LinkedBlockingQueue<>(); // {id, tag, redelivered}
            String tag = sub.basicConsume(q, false, new DefaultConsumer(sub) {
                @Override
                public void handleDelivery(String t, Envelope env, AMQP.BasicProperties p, byte[] body) {
                    deliveries.add(new long[] {ConfirmTracker.id(body), env.getDeliveryTag(), env.isRedeliver() ? 1 : 0});
                }
            });
            List<long[]> firstFive = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                firstFive.add(take(deliveries));
            }
            AMQP.Queue.DeclareOk held = ch.queueDeclarePassive(q);
            assertEquals(13, held.getMessageCount(), "5 held by the consumer, the rest ready");
            assertEquals(1, held.getConsumerCount());
            assertEquals(2, firstFive.get(0)[0]);
            sub.basicNack(firstFive.get(0)[1], false, true); // requeued: comes back, redelivered
            sub.basicReject(firstFive.get(1)[1], false);     // dropped (no dead-letter exchange)
            for (int i = 2; i < 5; i++) {
                sub.basicAck(firstFive.get(i)[1], false);
            }
            Set<Long> got = new HashSet<>();
            boolean sawRedelivery = false;
            while (got.size() < 14) { // 2 again (nacked) and 7..19
                long[] d = take(deliveries);
                if (d[0] == 2) {
                    assertEquals(1, d[2], "the nacked message comes back redelivered");
                    sawRedelivery = true;
                }
                got.add(d[0]);
                sub.basicAck(d[1], false);
            }
            assertTrue(sawRedelivery);
            Set<Long> expected = new HashSet<>();
            for (long i = 2; i < 20; i++) {
                expected.add(i);
            }
            expected.remove(3L);
            expected.removeAll(Set.of(4L, 5L, 6L));
            assertEquals(expected, got);
            sub.basicCancel(tag);
            assertEquals(0, ch.queueDeclarePassive(q).getMessageCount(), "all consumed");
        }
    }

    private static long[] take(BlockingQueue<long[]> deliveries) throws InterruptedException {
        long[] d = deliveries.poll(30, TimeUnit.SECONDS);
        assertNotNull(d, "a delivery within 30 s");
        return d;
    }

    private static Connection connect(int node) throws Exception {
        return cluster.node(node).connectionFactory().newConnection();
    }
}
