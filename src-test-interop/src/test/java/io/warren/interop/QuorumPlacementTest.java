package io.warren.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Where quorum queues go on three broker processes: three queues declared one after another lead
 * on three different nodes, the first on the declaring node; queues smaller than the cluster go to the
 * nodes holding the fewest replicas; {@code x-queue-leader-locator: client-local} leads on the declaring
 * node, and a value RabbitMQ does not know is refused as RabbitMQ refuses it. Every node, those without
 * a replica too, shows the same members.
 */
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuorumPlacementTest {
    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3); // started once for the class; logs kept on failure
    private static final ClusterAdmin admin = new ClusterAdmin(cluster);

    @Test
    @Order(1)
    void threeQueuesDeclaredOneAfterAnotherLeadOnThreeNodes() throws Exception {
        List<String> queues = List.of("spread.a", "spread.b", "spread.c");
        try (Connection c = cluster.node(1).connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            for (String q : queues) {
                ch.queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum"));
            }
        }
        // a group's first leader is whoever's election timer fired first; the intended one then takes over
        Set<String> leaders = ClusterAdmin.poll(() -> {
            Set<String> found = new HashSet<>();
            for (String q : queues) {
                JsonNode info = admin.queue(1, q);
                if (info != null && info.hasNonNull("leader")) {
                    assertEquals(3, info.path("members").size(), "a member on every node: " + info);
                    found.add(info.get("leader").asText());
                }
            }
            return found;
        }, found -> found.size() == 3, "a leader for each queue");
        assertEquals(Set.of("n1", "n2", "n3"), leaders, "one leader per node");
        // leaders lead nothing yet: the first goes to the declaring node, as RabbitMQ's client-local
        ClusterAdmin.poll(() -> admin.queue(1, "spread.a"), j -> j != null && "n1".equals(j.path("leader").asText()),
                "spread.a led by n1, the node it was declared on");
    }

    @Test
    @Order(2)
    void queuesSmallerThanTheClusterGoWhereTheFewestReplicasAre() throws Exception {
        List<String> queues = List.of("solo.a", "solo.b", "solo.c");
        try (Connection c = cluster.node(2).connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            for (String q : queues) {
                ch.queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum", "x-quorum-initial-group-size", 1));
            }
        }
        Set<String> homes = new HashSet<>();
        for (String q : queues) {
            List<String> members = ClusterAdmin.members(admin.awaitQueue(2, q, j -> j.path("members").size() == 1));
            int home = Integer.parseInt(members.get(0).substring(1));
            JsonNode info = admin.awaitQueue(home, q, j -> j.hasNonNull("leader"));
            assertEquals(members.get(0), info.get("leader").asText(), info.toString());
            homes.add(members.get(0));
            for (int node = 1; node <= 3; node++) { // the nodes without a replica know the members too
                assertEquals(members, ClusterAdmin.members(admin.awaitQueue(node, q, j -> j.path("members").size() == 1)),
                        q + " on n" + node);
            }
        }
        assertEquals(Set.of("n1", "n2", "n3"), homes, "one single-member queue per node");
    }

    @Test
    @Order(3)
    void clientLocalLeadsOnTheDeclaringNodeAndUnknownLocatorsAreRefused() throws Exception {
        try (Connection c = cluster.node(3).connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            // n3 already leads a queue of each test above; client-local puts this one there anyway
            ch.queueDeclare("local.a", true, false, false,
                    Map.of("x-queue-type", "quorum", "x-queue-leader-locator", "client-local"));
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> ch.queueDeclare(
                    "local.b", true, false, false, Map.of("x-queue-type", "quorum", "x-queue-leader-locator", "nearest")));
            ShutdownSignalException refused = (ShutdownSignalException) e.getCause();
            assertEquals(406, ((AMQP.Channel.Close) refused.getReason()).getReplyCode());
            assertEquals("PRECONDITION_FAILED - invalid arg 'x-queue-leader-locator' for queue 'local.b' in vhost '/': "
                    + "invalid_queue_locator_arg", ((AMQP.Channel.Close) refused.getReason()).getReplyText());
        }
        ClusterAdmin.poll(() -> admin.queue(1, "local.a"), j -> j != null && "n3".equals(j.path("leader").asText()),
                "local.a led by n3");
        assertEquals(3, admin.queue(1, "local.a").path("members").size());
    }
}
