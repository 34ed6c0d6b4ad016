package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * add_member and delete_member change what a node is for a quorum queue (a member serving its
 * consumers from its own replica, or a node without one relaying them to a member), on three
 * broker processes: the node's consumers of the queue get basic.cancel, consume again through the
 * same node and get every confirmed message; what a cancelled consumer held and acks afterwards is
 * settled; publishing through the node goes on, with no confirmed message lost.
 */
@Timeout(300)
class QuorumRoleChangeTest {
    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3);

    private static ClusterAdmin admin() {
        return new ClusterAdmin(cluster);
    }

    /** A manual-ack consumer that records ids, acks as told and counts basic.cancel. */
    private static final class Recorder extends DefaultConsumer {
        final Set<Long> received = ConcurrentHashMap.newKeySet();
        final List<Long> unacked = java.util.Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch cancelled = new CountDownLatch(1);
        final AtomicBoolean ack = new AtomicBoolean(true);

        Recorder(Channel ch) {
            super(ch);
        }

        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) throws IOException {
            received.add(ConfirmTracker.id(body));
            if (ack.get()) {
                getChannel().basicAck(env.getDeliveryTag(), false);
            } else {
                unacked.add(env.getDeliveryTag());
            }
        }

        @Override
        public void handleCancel(String consumerTag) {
            cancelled.countDown();
        }
    }

    @Test
    void aNodeAddedAsMemberCancelsItsConsumersWhichConsumeAgainFromItsReplica() throws Exception {
        String q = "role.add";
        ClusterAdmin admin = admin();
        try (Connection c = cluster.connect(1)) {
            c.createChannel().queueDeclare(q, true, false, false,
                    Map.of("x-queue-type", "quorum", "x-quorum-initial-group-size", 1));
        }
        List<String> first = ClusterAdmin.members(admin.awaitQueue(1, q, j -> j.path("members").size() == 1
                && j.hasNonNull("leader")));
        int joiner = Integer.parseInt(first.get(0).substring(1)) % 3 + 1; // a node without the queue's replica
        admin.awaitQueue(joiner, q, j -> ClusterAdmin.members(j).equals(first));

        try (Connection c = cluster.connect(joiner)) {
            Channel consuming = c.createChannel();
            consuming.basicQos(100);
            Recorder before = new Recorder(consuming);
            before.ack.set(false); // held, unacked, when the node's role changes
            consuming.basicConsume(q, false, before);
            Channel publishing = c.createChannel();
            ConfirmTracker confirms = new ConfirmTracker().on(publishing);
            for (long id = 0; id < 50; id++) {
                confirms.publish(publishing, q, id);
            }
            publishing.waitForConfirmsOrDie(30_000);
            Await.until("50 deliveries through the node without a replica", Duration.ofSeconds(30),
                    () -> before.received.size() == 50);

            ClusterAdmin.Run add = admin.warrenctl(1, "add_member", q, "n" + joiner);
            assertEquals(0, add.exit(), add.toString());
            assertTrue(before.cancelled.await(30, TimeUnit.SECONDS), "basic.cancel when the node became a member");
            // the held deliveries are acked after the cancel: they are settled, not redelivered
            synchronized (before.unacked) {
                for (long tag : before.unacked) {
                    consuming.basicAck(tag, false);
                }
            }

            Recorder after = new Recorder(consuming);
            consuming.basicConsume(q, false, after);
            for (long id = 50; id < 100; id++) {
                confirms.publish(publishing, q, id);
            }
            publishing.waitForConfirmsOrDie(30_000);
            Set<Long> expected = new HashSet<>();
            for (long id = 50; id < 100; id++) {
                expected.add(id);
            }
            Await.until("the later 50 through the new member", Duration.ofSeconds(30),
                    () -> after.received.containsAll(expected));
            assertEquals(100, confirms.confirmed().size());
            for (long id = 0; id < 50; id++) {
                assertFalse(after.received.contains(id), "message " + id + " was acked after the cancel: not redelivered");
            }
            // every ack counted: nothing ready, nothing unacked, while the channel is still open
            admin.awaitQueue(joiner, q, j -> j.path("messages").asLong(-1) == 0 && j.path("consumers").asInt() == 1);
        }

        List<String> both = new ArrayList<>(first);
        both.add("n" + joiner);
        both.sort(null);
        for (int node = 1; node <= 3; node++) {
            assertEquals(both, ClusterAdmin.members(admin.awaitQueue(node, q, j -> j.path("members").size() == 2)));
        }
        ClusterAdmin.Run status = admin.warrenctl(joiner, "quorum_status", q);
        assertEquals(0, status.exit(), status.toString());
        assertTrue(status.lines().stream().anyMatch(l -> l.matches("n" + joiner + "\t(leader|follower)\t.*")),
                status.out());
    }

    @Test
    void aNodeRemovedFromTheGroupForwardsAndNoConfirmedMessageIsLost() throws Exception {
        String q = "role.delete";
        ClusterAdmin admin = admin();
        try (Connection c = cluster.connect(1)) {
            c.createChannel().queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum"));
        }
        for (int node = 1; node <= 3; node++) {
            admin.awaitQueue(node, q, j -> j.path("members").size() == 3 && j.hasNonNull("leader"));
        }
        String leader = admin.awaitQueue(1, q, j -> j.hasNonNull("leader")).path("leader").asText();
        int leaver = Integer.parseInt(leader.substring(1)) % 3 + 1; // a follower (the leader's loss is failover)
        int other = leaver % 3 + 1;

        Set<Long> confirmed = ConcurrentHashMap.newKeySet();
        try (Connection c = cluster.connect(leaver)) {
            Channel consuming = c.createChannel();
            consuming.basicQos(20);
            Recorder before = new Recorder(consuming);
            consuming.basicConsume(q, false, before);
            Channel publishing = c.createChannel();
            ConfirmTracker confirms = new ConfirmTracker(confirmed).on(publishing);
            AtomicBoolean stop = new AtomicBoolean();
            Thread publisher = new Thread(() -> {
                try {
                    for (long id = 0; !stop.get(); id++) {
                        confirms.publish(publishing, q, id);
                        if (id % 20 == 19) {
                            publishing.waitForConfirms(30_000); // at most 20 outstanding
                        }
                    }
                    publishing.waitForConfirms(30_000);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "publisher");
            publisher.start();
            Await.until("deliveries through the member", Duration.ofSeconds(30), () -> before.received.size() >= 100);

            ClusterAdmin.Run delete = admin.warrenctl(other, "delete_member", q, "n" + leaver);
            assertEquals(0, delete.exit(), delete.toString());
            assertTrue(before.cancelled.await(30, TimeUnit.SECONDS), "basic.cancel when the node left the group");

            Recorder after = new Recorder(consuming);
            consuming.basicConsume(q, false, after);
            int confirmedAtCancel = confirmed.size();
            Await.until("publishes confirmed and delivered through the node without a replica",
                    Duration.ofSeconds(30), () -> confirmed.size() >= confirmedAtCancel + 200 && after.received.size() >= 200);
            stop.set(true);
            publisher.join(60_000);
            assertFalse(publisher.isAlive());

            Set<Long> missing = ConcurrentHashMap.newKeySet();
            try {
                Await.until("every confirmed message delivered", Duration.ofSeconds(60), () -> {
                    missing.clear();
                    missing.addAll(confirmed);
                    missing.removeAll(before.received);
                    missing.removeAll(after.received);
                    return missing.isEmpty();
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; " + missing.size() + " of " + confirmed.size()
                        + " confirmed never delivered, e.g. " + missing.stream().sorted().limit(20).toList(), e);
            }
        }

        List<String> left = new ArrayList<>();
        for (int node = 1; node <= 3; node++) {
            if (node != leaver) {
                left.add("n" + node);
            }
        }
        for (int node = 1; node <= 3; node++) {
            assertEquals(left, ClusterAdmin.members(admin.awaitQueue(node, q, j -> j.path("members").size() == 2)));
        }
        ClusterAdmin.Run status = admin.warrenctl(leaver, "quorum_status", q);
        assertEquals(0, status.exit(), status.toString());
        assertEquals(2, status.lines().size() - 2, status.out());
        assertFalse(status.out().contains("n" + leaver + "\t"), status.out());
    }
}
