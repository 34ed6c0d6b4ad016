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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Single active consumer across membership changes, on three broker processes. RabbitMQ keeps a
 * quorum queue's consumers in the replicated queue state, so removing the active consumer's node
 * from the group and adding it back changes nothing for it: it stays the active one and the waiting
 * consumer (on another node) keeps waiting. Warren moves the node's consumers to the queue's new
 * object on such a change; each keeps its place in the subscription order.
 */
@Timeout(300)
class QuorumSacMembershipTest {
    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3);

    /** An acking consumer that records the ids it got, the consumer tag of each delivery and basic.cancel. */
    private static final class Recorder extends DefaultConsumer {
        final Set<Long> ids = ConcurrentHashMap.newKeySet();
        final List<String> tags = new CopyOnWriteArrayList<>();
        final AtomicInteger cancels = new AtomicInteger();

        Recorder(Channel ch) {
            super(ch);
        }

        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) throws IOException {
            tags.add(tag);
            ids.add(ConfirmTracker.id(body));
            getChannel().basicAck(env.getDeliveryTag(), false);
        }

        @Override
        public void handleCancel(String consumerTag) {
            cancels.incrementAndGet();
        }

        boolean gotAll(long from, long to) {
            for (long id = from; id < to; id++) {
                if (!ids.contains(id)) {
                    return false;
                }
            }
            return true;
        }

        boolean gotAny(long from, long to) {
            return ids.stream().anyMatch(id -> id >= from && id < to);
        }
    }

    @Test
    void theActiveConsumerStaysActiveWhenItsNodeIsRemovedFromTheGroupAndAddedBack() throws Exception {
        String q = "sac.membership";
        ClusterAdmin admin = new ClusterAdmin(cluster);
        try (Connection c = cluster.connect(1)) {
            c.createChannel().queueDeclare(q, true, false, false,
                    Map.of("x-queue-type", "quorum", "x-single-active-consumer", true));
        }
        for (int node = 1; node <= 3; node++) {
            admin.awaitQueue(node, q, j -> j.path("members").size() == 3 && j.hasNonNull("leader"));
        }
        String leader = admin.awaitQueue(1, q, j -> j.hasNonNull("leader")).path("leader").asText();
        int x = Integer.parseInt(leader.substring(1)) % 3 + 1; // a follower: its removal is no failover
        int y = x % 3 + 1;
        int publisherNode = y % 3 + 1;

        try (Connection ax = cluster.connect(x); Connection by = cluster.connect(y); Connection pz = cluster.connect(publisherNode)) {
            Channel publishing = pz.createChannel();
            ConfirmTracker confirms = new ConfirmTracker().on(publishing);
            Subscribed ab = subscribeActiveThenWaiting(ax, by, publishing, confirms, q, admin, publisherNode);
            Recorder a = ab.a();
            Recorder b = ab.b();

            // the node A is attached through leaves the group (A is served through another member
            // then) and joins it again (served from the node's own replica): A stays the active one
            change(admin, q, x, 2, publisherNode, "delete_member", q, "n" + x);
            receivedByAOnly(publishing, confirms, q, 100, a, b, "delete_member");
            change(admin, q, x, 3, publisherNode, "add_member", q, "n" + x);
            receivedByAOnly(publishing, confirms, q, 200, a, b, "add_member");
            change(admin, q, x, 2, publisherNode, "shrink", "n" + x);
            receivedByAOnly(publishing, confirms, q, 300, a, b, "shrink");
            change(admin, q, x, 3, publisherNode, "grow", "n" + x, "all");
            receivedByAOnly(publishing, confirms, q, 400, a, b, "grow");
            assertEquals(0, a.cancels.get(), "no basic.cancel for the active consumer");
            assertEquals(0, b.cancels.get(), "no basic.cancel for the waiting consumer");
            // A cancels: the waiting consumer takes over, as before the changes
            ab.cancelAAndAwaitTakeOver(publishing, confirms, q);
            assertTrue(!a.gotAny(500, 510), "A got nothing after it cancelled: " + a.ids);
            assertEquals(1 + 4 * 11 + 10, confirms.confirmed().size());
        }
    }

    /**
     * A consumer attached through a node without a member is served by a member over the link; when
     * that member leaves the group, the consumer is attached at another member: it stays the active one.
     */
    @Test
    void aRelayedActiveConsumerStaysActiveWhenTheMemberServingItLeavesTheGroup() throws Exception {
        String q = "sac.relayed";
        ClusterAdmin admin = new ClusterAdmin(cluster);
        try (Connection c = cluster.connect(1)) {
            c.createChannel().queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum",
                    "x-single-active-consumer", true, "x-quorum-initial-group-size", 2));
        }
        com.fasterxml.jackson.databind.JsonNode declared = null;
        for (int node = 1; node <= 3; node++) {
            declared = admin.awaitQueue(node, q, j -> j.path("members").size() == 2 && j.hasNonNull("leader"));
        }
        List<String> members = ClusterAdmin.members(declared);
        int relaying = java.util.stream.IntStream.rangeClosed(1, 3).filter(n -> !members.contains("n" + n))
                .findFirst().orElseThrow();
        try (Connection ac = cluster.connect(relaying); Connection bc = cluster.connect(relaying % 3 + 1);
             Connection pc = cluster.connect(relaying % 3 + 1)) {
            Channel publishing = pc.createChannel();
            ConfirmTracker confirms = new ConfirmTracker().on(publishing);
            Subscribed ab = subscribeActiveThenWaiting(ac, bc, publishing, confirms, q, admin, relaying % 3 + 1);
            Recorder a = ab.a();
            Recorder b = ab.b();

            // each member leaves in turn (and comes back): whichever served A, A is attached at the other
            for (String member : members) {
                change(admin, q, relaying, 1, relaying, "delete_member", q, member);
                receivedByAOnly(publishing, confirms, q, 100L * (members.indexOf(member) + 1), a, b,
                        "delete_member " + member);
                change(admin, q, relaying, 2, relaying, "add_member", q, member);
            }
            receivedByAOnly(publishing, confirms, q, 300, a, b, "add_member");
            assertEquals(0, a.cancels.get(), "no basic.cancel for the active consumer");
            ab.cancelAAndAwaitTakeOver(publishing, confirms, q);
        }
    }

    /** A subscribed first (so it is the active consumer), B after it (waiting). */
    private record Subscribed(Channel aChannel, String aTag, Recorder a, Recorder b) {
        /** A cancels: the waiting consumer takes messages 500-509; A's deliveries before all carried its tag. */
        void cancelAAndAwaitTakeOver(Channel publishing, ConfirmTracker confirms, String q) throws Exception {
            assertTrue(a.tags.stream().allMatch(aTag::equals), "A's deliveries all carry its tag: " + a.tags);
            aChannel.basicCancel(aTag);
            publish(publishing, confirms, q, 500, 510);
            Await.until("the waiting consumer takes over once A cancels", Duration.ofSeconds(30),
                    () -> b.gotAll(500, 510));
        }
    }

    /** A subscribes through {@code ac} and gets message 0, then B through {@code bc}; node {@code view} sees both. */
    private static Subscribed subscribeActiveThenWaiting(Connection ac, Connection bc, Channel publishing,
                                                         ConfirmTracker confirms, String q, ClusterAdmin admin,
                                                         int view) throws Exception {
        Channel ach = ac.createChannel();
        Recorder a = new Recorder(ach);
        String aTag = ach.basicConsume(q, false, a);
        publish(publishing, confirms, q, 0, 1);
        Await.until("A, the first subscriber, active", Duration.ofSeconds(30), () -> a.gotAll(0, 1));
        Channel bch = bc.createChannel();
        Recorder b = new Recorder(bch);
        bch.basicConsume(q, false, b);
        admin.awaitQueue(view, q, j -> j.path("consumers").asInt() == 2);
        return new Subscribed(ach, aTag, a, b);
    }

    /** warrenctl {@code args} through node {@code via}; then node x sees the queue with {@code members} members. */
    private static void change(ClusterAdmin admin, String q, int x, int members, int via, String... args) throws Exception {
        ClusterAdmin.Run run = admin.warrenctl(via, args);
        assertEquals(0, run.exit(), run.toString());
        admin.awaitQueue(x, q, j -> j.path("members").size() == members);
    }

    /** Ten messages and a marker behind them (id from + 10): all to A, none to B. */
    private static void receivedByAOnly(Channel publishing, ConfirmTracker confirms, String q, long from,
                                        Recorder a, Recorder b, String after) throws Exception {
        publish(publishing, confirms, q, from, from + 11);
        Await.until("the messages and the marker after " + after, Duration.ofSeconds(30),
                () -> a.gotAll(from, from + 11) || b.gotAny(from, from + 11));
        assertEquals(Set.of(), b.ids, "the waiting consumer got nothing after " + after);
    }

    private static void publish(Channel ch, ConfirmTracker confirms, String q, long from, long to) throws Exception {
        for (long id = from; id < to; id++) {
            confirms.publish(ch, q, id);
        }
        ch.waitForConfirmsOrDie(30_000);
    }
}
