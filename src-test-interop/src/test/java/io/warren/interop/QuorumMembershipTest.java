package io.warren.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rabbitmq-queues' membership verbs through the real warrenctl on three broker processes: a
 * queue grown from one member to three keeps its messages when its first member is killed -9;
 * quorum_status lists each member's Raft state; delete_member, grow and shrink change the members
 * every node shows, a restarted node included; refusals are rabbitmq-queues' texts and exit codes.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuorumMembershipTest {
    private static final String Q = "members.q";
    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3); // started once for the class; logs kept on failure
    private static final ClusterAdmin admin = new ClusterAdmin(cluster);
    /** The node that held the queue's only replica at first. */
    private static int origin;

    @Test
    @Order(1)
    void addedMembersKeepTheMessagesWhenTheFirstMemberDies() throws Exception {
        try (Connection c = cluster.node(1).connectionFactory().newConnection()) {
            c.createChannel().queueDeclare(Q, true, false, false,
                    Map.of("x-queue-type", "quorum", "x-quorum-initial-group-size", 1));
        }
        List<String> first = ClusterAdmin.members(admin.awaitQueue(1, Q, j -> j.path("members").size() == 1));
        origin = node(first.get(0));
        admin.awaitQueue(origin, Q, j -> j.hasNonNull("leader"));
        try (Connection c = cluster.node(origin).connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            ch.confirmSelect();
            for (int i = 0; i < 100; i++) {
                ch.basicPublish("", Q, MessageProperties.PERSISTENT_BASIC, ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(ch.waitForConfirms(30_000));
        }
        int second = origin % 3 + 1;
        int third = second % 3 + 1;
        ClusterAdmin.Run add = admin.warrenctl(third, "add_member", "--vhost", "/", Q, "n" + second);
        assertEquals(0, add.exit(), add.toString());
        assertEquals("Adding a replica for queue " + Q + " on node n" + second + "...", add.out().trim());
        assertEquals(0, admin.warrenctl(third, "add_member", Q, "n" + third).exit());
        for (int node = 1; node <= 3; node++) {
            assertEquals(List.of("n1", "n2", "n3"),
                    ClusterAdmin.members(admin.awaitQueue(node, Q, j -> j.path("members").size() == 3)), "on n" + node);
        }

        cluster.node(origin).kill(); // the new members alone must now hold every message
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (Connection c = cluster.node(second).connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            DeliverCallback onMessage = (tag, m) -> got.add(new String(m.getBody(), StandardCharsets.UTF_8));
            ch.basicConsume(Q, true, onMessage, tag -> { });
            for (int i = 0; i < 100; i++) {
                assertEquals("m" + i, got.poll(30, TimeUnit.SECONDS), "message " + i);
            }
        }

        cluster.start(origin); // back, it knows the members from the cluster's log and rejoins the group
        assertEquals(List.of("n1", "n2", "n3"),
                ClusterAdmin.members(admin.awaitQueue(origin, Q, j -> j.hasNonNull("leader"))));
    }

    @Test
    @Order(2)
    void quorumStatusListsEveryMembersRaftState() throws Exception {
        // the restarted first member catches up in its own time: ask until every member has committed what
        // the leader had committed at first (the 100 confirmed messages among it; several go in one entry)
        ClusterAdmin.Run first = ClusterAdmin.poll(() -> admin.warrenctl(1, "quorum_status", Q),
                r -> leaderCommit(r) >= 0, "a leader's commit index in quorum_status");
        long leaderCommit = leaderCommit(first);
        ClusterAdmin.Run status = ClusterAdmin.poll(() -> admin.warrenctl(1, "quorum_status", Q),
                r -> allCommitted(r, leaderCommit), "every member at commit index " + leaderCommit);
        assertTrue(leaderCommit > 0, status.out());
        assertEquals(0, status.exit(), status.toString());
        List<String> lines = status.lines();
        assertTrue(lines.get(0).startsWith("Status of quorum queue " + Q + " on node "), lines.get(0));
        assertEquals("Node Name\tRaft State\tLog Index\tCommit Index\tSnapshot Index\tTerm", lines.get(1));
        assertEquals(5, lines.size(), status.out());
        int leaders = 0;
        for (String row : lines.subList(2, 5)) {
            String[] cells = row.split("\t");
            assertTrue(cells[1].equals("leader") || cells[1].equals("follower"), row);
            leaders += cells[1].equals("leader") ? 1 : 0;
            assertTrue(Long.parseLong(cells[3]) >= leaderCommit, "every member committed the 100 messages: " + row);
        }
        assertEquals(1, leaders, status.out());
    }

    @Test
    @Order(3)
    void deleteMemberShrinksTheGroupButNeverBelowOne() throws Exception {
        int second = origin % 3 + 1;
        int third = second % 3 + 1;
        ClusterAdmin.Run delete = admin.warrenctl(second, "delete_member", Q, "n" + origin);
        assertEquals(0, delete.exit(), delete.toString());
        assertEquals("Removing a replica of queue " + Q + " on node n" + origin + "...", delete.out().trim());
        List<String> left = new ArrayList<>(List.of("n" + second, "n" + third));
        left.sort(null);
        for (int node = 1; node <= 3; node++) {
            assertEquals(left, ClusterAdmin.members(admin.awaitQueue(node, Q, j -> j.path("members").size() == 2)));
        }
        // the two left commit without the removed member
        try (Connection c = cluster.node(second).connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            ch.confirmSelect();
            ch.basicPublish("", Q, MessageProperties.PERSISTENT_BASIC, "after".getBytes(StandardCharsets.UTF_8));
            assertTrue(ch.waitForConfirms(30_000));
        }
        try (Connection c = cluster.node(third).connectionFactory().newConnection()) {
            GetResponse r = c.createChannel().basicGet(Q, true);
            assertNotNull(r);
            assertEquals("after", new String(r.getBody(), StandardCharsets.UTF_8));
        }
        assertEquals(2, admin.warrenctl(1, "quorum_status", Q).lines().size() - 2);

        assertEquals(0, admin.warrenctl(1, "delete_member", Q, "n" + third).exit());
        admin.awaitQueue(1, Q, j -> j.path("members").size() == 1);
        ClusterAdmin.Run last = admin.warrenctl(1, "delete_member", Q, "n" + second);
        assertEquals(69, last.exit(), last.toString());
        assertEquals("Error:\nlast_node", last.err().trim());

        // a node without a replica knows the members only from the cluster's log: after a kill -9 too
        cluster.node(origin).kill();
        cluster.start(origin);
        assertEquals(List.of("n" + second), ClusterAdmin.members(admin.awaitQueue(origin, Q,
                j -> j.path("members").size() == 1)));
    }

    @Test
    @Order(4)
    void refusalsAreRabbitmqQueuesTexts() throws Exception {
        try (Connection c = cluster.node(1).connectionFactory().newConnection()) {
            c.createChannel().queueDeclare("members.classic", true, false, false, null);
        }
        assertRefused(admin.warrenctl(1, "add_member", "members.classic", "n2"), "Cannot add members to a classic queue");
        assertRefused(admin.warrenctl(1, "quorum_status", "members.classic"), "Cannot get quorum status of a classic queue");
        assertRefused(admin.warrenctl(1, "add_member", "no.such.queue", "n2"), "not_found");
        assertRefused(admin.warrenctl(1, "add_member", Q, "n9"), "node_not_running");
        ClusterAdmin.Run badStrategy = admin.warrenctl(1, "grow", "n2", "odd");
        assertEquals(64, badStrategy.exit(), badStrategy.toString());
        assertTrue(badStrategy.err().contains("strategy 'odd' is not recognised."), badStrategy.err());
    }

    @Test
    @Order(5)
    void shrinkAndGrowMoveEveryQueuesReplicaOffAndOntoANode() throws Exception {
        try (Connection c = cluster.node(2).connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            ch.queueDeclare("gs.a", true, false, false, Map.of("x-queue-type", "quorum"));
            ch.queueDeclare("gs.b", true, false, false, Map.of("x-queue-type", "quorum"));
        }
        for (String q : List.of("gs.a", "gs.b")) {
            admin.awaitQueue(3, q, j -> j.path("members").size() == 3 && j.hasNonNull("leader"));
        }
        ClusterAdmin.Run shrink = admin.warrenctl(1, "shrink", "n3");
        assertEquals(0, shrink.exit(), shrink.toString());
        assertTrue(shrink.lines().contains("vhost\tname\tsize\tresult"), shrink.out());
        assertTrue(shrink.lines().contains("/\tgs.a\t2\tok"), shrink.out());
        assertTrue(shrink.lines().contains("/\tgs.b\t2\tok"), shrink.out());
        for (int node = 1; node <= 3; node++) {
            for (String q : List.of("gs.a", "gs.b")) {
                assertEquals(List.of("n1", "n2"), ClusterAdmin.members(admin.awaitQueue(node, q,
                        j -> j.path("members").size() == 2)));
            }
        }

        ClusterAdmin.Run grow = admin.warrenctl(2, "grow", "n3", "all", "--queue-pattern", "^gs\\.");
        assertEquals(0, grow.exit(), grow.toString());
        assertEquals(List.of("Growing all quorum queues on n3...", "vhost\tname\tsize\tresult", "/\tgs.a\t3\tok",
                "/\tgs.b\t3\tok"), grow.lines());
        for (String q : List.of("gs.a", "gs.b")) {
            JsonNode info = admin.awaitQueue(3, q, j -> j.path("online").size() == 3 || j.path("members").size() == 3);
            assertEquals(List.of("n1", "n2", "n3"), ClusterAdmin.members(info));
        }
        // "even" skips the queues whose member count is odd
        ClusterAdmin.Run even = admin.warrenctl(2, "grow", "n3", "even");
        assertEquals(List.of("Growing even quorum queues on n3..."), even.lines());
    }

    private static boolean allCommitted(ClusterAdmin.Run status, long index) {
        List<String> lines = status.lines();
        if (status.exit() != 0 || lines.size() != 5) {
            return false;
        }
        for (String row : lines.subList(2, 5)) {
            String[] cells = row.split("\t");
            if (cells.length < 4 || cells[3].isEmpty() || Long.parseLong(cells[3]) < index) {
                return false;
            }
        }
        return true;
    }

    /** The leader's commit index in a quorum_status answer, or -1 if it shows no leader. */
    private static long leaderCommit(ClusterAdmin.Run status) {
        if (status.exit() != 0) {
            return -1;
        }
        for (String row : status.lines()) {
            String[] cells = row.split("\t");
            if (cells.length >= 4 && cells[1].equals("leader") && !cells[3].isEmpty()) {
                return Long.parseLong(cells[3]);
            }
        }
        return -1;
    }

    private static void assertRefused(ClusterAdmin.Run r, String reason) {
        assertEquals(69, r.exit(), r.toString());
        assertEquals("Error:\n" + reason, r.err().trim());
    }

    private static int node(String name) {
        return Integer.parseInt(name.substring(1));
    }
}
