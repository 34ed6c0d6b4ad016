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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * add_member and delete_member change what a node is for a quorum queue (a member serving its
 * consumers from its own replica, or a node without one relaying them to a member), on three
 * broker processes. As on RabbitMQ 3.10, the node's consumers of the queue see nothing of it: no
 * basic.cancel, they keep receiving, what they held across the change is acked (once, never
 * redelivered) or requeued by its delivery tag, and no confirmed message is lost.
 */
@Timeout(300)
class QuorumRoleChangeTest {
    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3);

    private static ClusterAdmin admin() {
        return new ClusterAdmin(cluster);
    }

    /**
     * A manual-ack consumer attached through one node: records each delivery (id, redelivered flag),
     * holds unacked the ids it is told to hold (their first delivery only), acks the others, and
     * counts basic.cancel. Acks and requeues of held ones go by their delivery tags.
     */
    private interface HoldingConsumer {
        void hold(long from, long to) throws Exception;

        void ack(long from, long to) throws Exception;

        void requeue(long id) throws Exception;

        Map<Long, List<Boolean>> deliveries();

        int cancels();

        default boolean gotAll(long from, long to) {
            for (long id = from; id < to; id++) {
                if (!deliveries().containsKey(id)) {
                    return false;
                }
            }
            return true;
        }

        default List<Boolean> of(long id) {
            return deliveries().getOrDefault(id, List.of());
        }
    }

    /** The {@link HoldingConsumer} with amqp-client. */
    private static final class Recorder extends DefaultConsumer implements HoldingConsumer {
        final Map<Long, List<Boolean>> deliveries = new ConcurrentHashMap<>();
        final Map<Long, Long> held = new ConcurrentHashMap<>(); // id -> delivery tag
        final Set<Long> toHold = ConcurrentHashMap.newKeySet();
        final AtomicInteger cancels = new AtomicInteger();

        Recorder(Channel ch) {
            super(ch);
        }

        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) throws IOException {
            long id = ConfirmTracker.id(body);
            boolean hold = toHold.remove(id);
            if (hold) {
                held.put(id, env.getDeliveryTag()); // known before the delivery is seen (gotAll)
            }
            deliveries.computeIfAbsent(id, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(env.isRedeliver());
            if (!hold) {
                getChannel().basicAck(env.getDeliveryTag(), false);
            }
        }

        @Override
        public void handleCancel(String consumerTag) {
            cancels.incrementAndGet();
        }

        @Override
        public void hold(long from, long to) {
            for (long id = from; id < to; id++) {
                toHold.add(id);
            }
        }

        /** Held ones are all delivered when this is called: their tags are known. */
        @Override
        public void ack(long from, long to) throws IOException {
            for (long id = from; id < to; id++) {
                getChannel().basicAck(held.remove(id), false);
            }
        }

        @Override
        public void requeue(long id) throws IOException {
            getChannel().basicNack(held.remove(id), false, true);
        }

        @Override
        public Map<Long, List<Boolean>> deliveries() {
            return deliveries;
        }

        @Override
        public int cancels() {
            return cancels.get();
        }
    }

    /**
     * The {@link HoldingConsumer} with Pika: {@code interop_quorum_role_consumer.py}, driven over its
     * stdin; its stdout (deliveries, cancels, answers) is read by a thread of its own.
     */
    private static final class PikaConsumer implements HoldingConsumer, AutoCloseable {
        final Process process;
        final java.io.Writer in;
        final Map<Long, List<Boolean>> deliveries = new ConcurrentHashMap<>();
        final java.util.concurrent.BlockingQueue<String> answers = new java.util.concurrent.LinkedBlockingQueue<>();
        final AtomicInteger cancels = new AtomicInteger();

        PikaConsumer(int port, String q) throws Exception {
            process = new ProcessBuilder(PikaTest.python(),
                    PikaTest.scriptDir().resolve("interop_quorum_role_consumer.py").toString(), Integer.toString(port), q)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            in = new java.io.OutputStreamWriter(process.getOutputStream(), java.nio.charset.StandardCharsets.UTF_8);
            Thread reader = new Thread(this::read, "pika-consumer-out");
            reader.setDaemon(true);
            reader.start();
            assertEquals("CONSUMING", answers.poll(30, java.util.concurrent.TimeUnit.SECONDS), "Pika did not consume");
        }

        private void read() {
            try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(
                    process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    String[] w = line.split(" ");
                    if (w[0].equals("GOT")) {
                        deliveries.computeIfAbsent(Long.parseLong(w[1]),
                                k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(w[2].equals("1"));
                    } else if (w[0].equals("CANCELLED")) {
                        cancels.incrementAndGet();
                    } else {
                        answers.add(line);
                    }
                }
            } catch (IOException e) {
                answers.add("READ FAILED " + e);
            }
        }

        private void command(String c) throws Exception {
            in.write(c + "\n");
            in.flush();
            assertEquals("OK", answers.poll(30, java.util.concurrent.TimeUnit.SECONDS), "Pika's answer to " + c);
        }

        @Override
        public void hold(long from, long to) throws Exception {
            command("hold " + from + " " + to);
        }

        @Override
        public void ack(long from, long to) throws Exception {
            command("ack " + from + " " + to);
        }

        @Override
        public void requeue(long id) throws Exception {
            command("nack " + id);
        }

        @Override
        public Map<Long, List<Boolean>> deliveries() {
            return deliveries;
        }

        @Override
        public int cancels() {
            return cancels.get();
        }

        @Override
        public void close() throws Exception {
            try {
                in.write("quit\n");
                in.flush();
                assertEquals("BYE", answers.poll(30, java.util.concurrent.TimeUnit.SECONDS));
                assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
                assertEquals(0, process.exitValue());
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private static void publish(Channel ch, ConfirmTracker confirms, String q, long from, long to) throws Exception {
        for (long id = from; id < to; id++) {
            confirms.publish(ch, q, id);
        }
        ch.waitForConfirmsOrDie(30_000);
    }

    /** A 3-member quorum queue, seen on every node with its leader; returns a follower's node number. */
    private static int followerOf(ClusterAdmin admin, String q) throws Exception {
        try (Connection c = cluster.connect(1)) {
            c.createChannel().queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum"));
        }
        for (int node = 1; node <= 3; node++) {
            admin.awaitQueue(node, q, j -> j.path("members").size() == 3 && j.hasNonNull("leader"));
        }
        String leader = admin.awaitQueue(1, q, j -> j.hasNonNull("leader")).path("leader").asText();
        return Integer.parseInt(leader.substring(1)) % 3 + 1; // a follower (the leader's loss is failover)
    }

    @Test
    void aConsumerThroughANodeRemovedAndAddedBackKeepsConsumingAndSettlesWhatItHeld() throws Exception {
        String q = "role.keep";
        ClusterAdmin admin = admin();
        int x = followerOf(admin, q);
        try (Connection c = cluster.connect(x)) {
            Channel consuming = c.createChannel();
            consuming.basicQos(50);
            Recorder r = new Recorder(consuming);
            consuming.basicConsume(q, false, r);
            removeAndAddBack(admin, q, x, r);
            // every ack counted in the group: nothing ready, nothing unacked, with the consumer still there
            admin.awaitQueue(x % 3 + 1, q, j -> j.path("messages").asLong(-1) == 0
                    && j.path("messages_unacknowledged").asLong(-1) == 0 && j.path("consumers").asInt() == 1);
        }
        for (int node = 1; node <= 3; node++) {
            assertEquals(List.of("n1", "n2", "n3"), ClusterAdmin.members(admin.awaitQueue(node, q,
                    j -> j.path("members").size() == 3)));
        }
        ClusterAdmin.Run status = admin.warrenctl(x, "quorum_status", q);
        assertEquals(0, status.exit(), status.toString());
        assertTrue(status.lines().stream().anyMatch(l -> l.matches("n" + x + "\t(leader|follower)\t.*")),
                status.out());
    }

    @Test
    void aPikaConsumerThroughANodeRemovedAndAddedBackKeepsConsumingAndSettlesWhatItHeld() throws Exception {
        String q = "role.pika";
        ClusterAdmin admin = admin();
        int x = followerOf(admin, q);
        try (PikaConsumer pika = new PikaConsumer(cluster.node(x).port(), q)) {
            removeAndAddBack(admin, q, x, pika);
            admin.awaitQueue(x % 3 + 1, q, j -> j.path("messages").asLong(-1) == 0
                    && j.path("messages_unacknowledged").asLong(-1) == 0 && j.path("consumers").asInt() == 1);
        }
    }

    /**
     * With {@code consumer} attached through node {@code x} (a member): delete_member then add_member
     * of x, each while the consumer holds 10 messages unacked; after each change it must go on
     * receiving, and ack (and once requeue) what it held by delivery tag, with no basic.cancel.
     */
    private static void removeAndAddBack(ClusterAdmin admin, String q, int x, HoldingConsumer consumer) throws Exception {
        int other = x % 3 + 1;
        try (Connection p = cluster.connect(other)) {
            Channel publishing = p.createChannel();
            ConfirmTracker confirms = new ConfirmTracker().on(publishing);

            // held from the node's own replica, then the node leaves the group
            consumer.hold(0, 10);
            publish(publishing, confirms, q, 0, 10);
            Await.until("10 held deliveries from the member", Duration.ofSeconds(30), () -> consumer.gotAll(0, 10));
            ClusterAdmin.Run delete = admin.warrenctl(other, "delete_member", q, "n" + x);
            assertEquals(0, delete.exit(), delete.toString());
            admin.awaitQueue(x, q, j -> j.path("members").size() == 2);
            publish(publishing, confirms, q, 10, 20);
            Await.until("deliveries after delete_member, through another member", Duration.ofSeconds(30),
                    () -> consumer.gotAll(10, 20));
            consumer.ack(0, 10); // acked after the change, by their tags

            // held through another member, then the node joins the group again
            consumer.hold(20, 30);
            publish(publishing, confirms, q, 20, 30);
            Await.until("10 held deliveries through another member", Duration.ofSeconds(30), () -> consumer.gotAll(20, 30));
            ClusterAdmin.Run add = admin.warrenctl(other, "add_member", q, "n" + x);
            assertEquals(0, add.exit(), add.toString());
            admin.awaitQueue(x, q, j -> j.path("members").size() == 3);
            publish(publishing, confirms, q, 30, 40);
            Await.until("deliveries after add_member, from the node's replica", Duration.ofSeconds(30),
                    () -> consumer.gotAll(30, 40));
            consumer.requeue(20); // requeued after the change
            consumer.ack(21, 30);
            Await.until("the requeued message delivered again", Duration.ofSeconds(30), () -> consumer.of(20).size() == 2);

            // a marker behind everything: whatever would be delivered again came before it
            publish(publishing, confirms, q, 1000, 1001);
            Await.until("the marker", Duration.ofSeconds(30), () -> consumer.gotAll(1000, 1001));
            assertEquals(0, consumer.cancels(), "no basic.cancel when the node's role changed");
            assertEquals(List.of(false, true), consumer.of(20), "the requeued message came back once, redelivered");
            for (long id = 0; id < 40; id++) {
                if (id != 20) {
                    assertEquals(List.of(false), consumer.of(id), "message " + id + " delivered once");
                }
            }
            assertEquals(41, confirms.confirmed().size());
        }
    }

    @Test
    void aNodeRemovedFromTheGroupUnderLoadKeepsItsConsumerAndNoConfirmedMessageIsLost() throws Exception {
        String q = "role.delete";
        ClusterAdmin admin = admin();
        int leaver = followerOf(admin, q);
        int other = leaver % 3 + 1;

        Set<Long> confirmed = ConcurrentHashMap.newKeySet();
        try (Connection c = cluster.connect(leaver)) {
            Channel consuming = c.createChannel();
            consuming.basicQos(20);
            Recorder r = new Recorder(consuming);
            consuming.basicConsume(q, false, r);
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
            Await.until("deliveries through the member", Duration.ofSeconds(30), () -> r.deliveries.size() >= 100);

            ClusterAdmin.Run delete = admin.warrenctl(other, "delete_member", q, "n" + leaver);
            assertEquals(0, delete.exit(), delete.toString());
            admin.awaitQueue(leaver, q, j -> j.path("members").size() == 2);
            int confirmedAtChange = confirmed.size();
            int receivedAtChange = r.deliveries.size();
            Await.until("publishes confirmed and delivered through the node without a replica",
                    Duration.ofSeconds(30), () -> confirmed.size() >= confirmedAtChange + 200
                            && r.deliveries.size() >= receivedAtChange + 200);
            stop.set(true);
            publisher.join(60_000);
            assertFalse(publisher.isAlive());

            Set<Long> missing = ConcurrentHashMap.newKeySet();
            try {
                Await.until("every confirmed message delivered", Duration.ofSeconds(60), () -> {
                    missing.clear();
                    missing.addAll(confirmed);
                    missing.removeAll(r.deliveries.keySet());
                    return missing.isEmpty();
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; " + missing.size() + " of " + confirmed.size()
                        + " confirmed never delivered, e.g. " + missing.stream().sorted().limit(20).toList(), e);
            }
            assertEquals(0, r.cancels.get(), "no basic.cancel when the node left the group");
            admin.awaitQueue(other, q, j -> j.path("messages").asLong(-1) == 0 && j.path("consumers").asInt() == 1);
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
