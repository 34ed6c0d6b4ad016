package io.warren.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A quorum queue on three broker processes: its group has a member on each node; kill -9 of the
 * leader's node while a publisher on another node waits for confirms loses no confirmed message,
 * and the publisher goes on getting confirms from the new leader. The killed node comes back and is
 * shown online again; the unacked messages of a consumer whose node dies go to a consumer elsewhere.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuorumClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3);
    /** The node the first test killed; the second starts it again. */
    private static int killed;



    @Test
    @Order(1)
    void killingTheLeaderUnderAConfirmingPublisherLosesNoConfirmedMessage() throws Exception {
        String q = "qq.failover";
        try (Connection c = connect(1)) {
            c.createChannel().queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum"));
        }
        JsonNode info = awaitQueue(1, q, j -> j.hasNonNull("leader"));
        assertEquals(3, info.path("members").size(), "a member on every node: " + info);
        int leader = Integer.parseInt(info.get("leader").asText().substring(1));
        // the leader hears from every follower (a follower knows only itself and the leader)
        awaitQueue(leader, q, j -> j.path("online").size() == 3);
        int publisherNode = leader % 3 + 1;

        ConfirmTracker tracker = new ConfirmTracker();
        Set<Long> confirmed = tracker.confirmed();
        ConnectionFactory f = cluster.node(publisherNode).connectionFactory();
        f.setAutomaticRecoveryEnabled(false);
        try (Connection c = f.newConnection()) {
            Channel ch = c.createChannel();
            tracker.on(ch);
            long id = 0;
            for (; id < 300; id++) {
                tracker.publish(ch, q, id);
            }
            assertTrue(ch.waitForConfirms(60_000), "all confirmed before the kill");
            for (; id < 400; id++) { // some still in flight when the leader dies
                tracker.publish(ch, q, id);
            }
            cluster.node(leader).kill();
            killed = leader;
            for (; id < 700; id++) { // the publisher's node forwards to the new leader
                tracker.publish(ch, q, id);
            }
            ch.waitForConfirms(60_000);
            assertTrue(confirmed.size() >= 600, "confirms go on after the leader's loss: " + confirmed.size());
        }

        // drained by a consumer up to a marker published last through the same node (its publishes keep
        // their order): a basic.get per message is one commit each, minutes on a busy machine
        List<Long> drainedInOrder = new ArrayList<>();
        try (Connection c = connect(publisherNode)) {
            Channel ch = c.createChannel();
            ch.confirmSelect();
            ch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, ByteBuffer.allocate(8).putLong(-1).array());
            ch.waitForConfirmsOrDie(60_000);
            java.util.concurrent.BlockingQueue<Long> got = new java.util.concurrent.LinkedBlockingQueue<>();
            ch.basicConsume(q, true, (tag, d) -> got.add(ByteBuffer.wrap(d.getBody()).getLong()), tag -> { });
            for (Long id = got.poll(60, TimeUnit.SECONDS); ; id = got.poll(60, TimeUnit.SECONDS)) {
                assertTrue(id != null, "the queue drained up to the marker; got " + drainedInOrder.size());
                if (id == -1) {
                    break;
                }
                drainedInOrder.add(id);
            }
        }
        Set<Long> drained = new HashSet<>(drainedInOrder);
        Set<Long> lost = new HashSet<>(confirmed);
        lost.removeAll(drained);
        assertTrue(lost.isEmpty(), "confirmed but lost: " + lost);
        // one publisher: its confirmed messages come out in the order it sent them, across the failover
        List<Long> confirmedInOrder = drainedInOrder.stream().filter(confirmed::contains).toList();
        assertEquals(confirmedInOrder.stream().sorted().toList(), confirmedInOrder, "publish order kept");
        JsonNode after = awaitQueue(publisherNode, q, j -> j.hasNonNull("leader")
                && !j.get("leader").asText().equals("n" + leader));
        int newLeader = Integer.parseInt(after.get("leader").asText().substring(1));
        JsonNode seen = awaitQueue(newLeader, q, j -> j.path("online").size() == 2);
        assertTrue(!seen.path("online").toString().contains("\"n" + leader + "\""), "the dead node is not online: " + seen);
    }

    @Test
    @Order(2)
    void aMemberThatComesBackCatchesUpAndADeadConsumersMessagesGoToAnother() throws Exception {
        if (killed != 0) {
            cluster.start(killed); // catches up on qq.failover from the others' log or snapshot
            JsonNode back = awaitQueue(killed, "qq.failover", j -> j.hasNonNull("leader"));
            int leaderNow = Integer.parseInt(back.get("leader").asText().substring(1));
            awaitQueue(leaderNow, "qq.failover", j -> j.path("online").size() == 3);
        }
        String q = "qq.consumer-dies";
        try (Connection c = connect(1)) {
            c.createChannel().queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum"));
        }
        int leader = Integer.parseInt(awaitQueue(1, q, j -> j.hasNonNull("leader")).get("leader").asText().substring(1));
        int consumerNode = leader % 3 + 1;
        try (Connection c = connect(leader)) {
            Channel ch = c.createChannel();
            ch.confirmSelect();
            for (int i = 0; i < 10; i++) {
                ch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(ch.waitForConfirms(30_000));
        }
        ConnectionFactory f = cluster.node(consumerNode).connectionFactory();
        f.setAutomaticRecoveryEnabled(false);
        Connection doomed = f.newConnection();
        Channel dc = doomed.createChannel();
        dc.basicQos(100);
        java.util.concurrent.BlockingQueue<String> held = new java.util.concurrent.LinkedBlockingQueue<>();
        dc.basicConsume(q, false, (tag, d) -> held.add(new String(d.getBody(), StandardCharsets.UTF_8)), tag -> { });
        Set<String> heldThere = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            heldThere.add(held.poll(30, TimeUnit.SECONDS)); // delivered there, never acked
        }
        // a set: publish order is not yet guaranteed across the group's first leader change (see docs)
        assertEquals(expected(""), heldThere);
        cluster.node(consumerNode).kill();
        doomed.abort();

        // the leader stops hearing from the dead node and returns what its consumer held
        try (Connection c = connect(leader)) {
            Channel ch = c.createChannel();
            java.util.concurrent.BlockingQueue<String> again = new java.util.concurrent.LinkedBlockingQueue<>();
            ch.basicConsume(q, false, (tag, d) -> {
                Object count = d.getProperties().getHeaders() == null ? null
                        : d.getProperties().getHeaders().get("x-delivery-count");
                again.add(new String(d.getBody(), StandardCharsets.UTF_8) + "/" + d.getEnvelope().isRedeliver() + "/" + count);
                ch.basicAck(d.getEnvelope().getDeliveryTag(), false);
            }, tag -> { });
            Set<String> redelivered = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                redelivered.add(again.poll(60, TimeUnit.SECONDS));
            }
            assertEquals(expected("/true/1"), redelivered, "each returned once, redelivered, x-delivery-count 1");
        }
        cluster.start(consumerNode);
    }

    private static Set<String> expected(String suffix) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            out.add("m" + i + suffix);
        }
        return out;
    }

    private static Connection connect(int node) throws Exception {
        return cluster.connect(node);
    }

    private static JsonNode awaitQueue(int node, String q, java.util.function.Predicate<JsonNode> until) throws Exception {
        return QuorumQueueProbe.await(cluster, node, q, until);
    }
}
