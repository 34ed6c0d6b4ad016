package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster node that restarts replays the cluster log written since the last cluster snapshot over
 * the definitions it recovered from its own disk. That replay must not delete a durable queue (or a
 * vhost) that was deleted and created again under the same name, with the messages the new one holds,
 * and must not bring back a queue that was deleted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class ClusterReplayTest {
    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3);



    @Test
    @Order(1)
    void aRestartedNodeKeepsTheMessagesOfQueuesDeletedAndDeclaredAgain() throws Exception {
        assertEquals(201, http("PUT", "/api/vhosts/replayed", "{}").statusCode());
        putGuestPermissions();
        try (Connection c = connect(1, "/"); Channel ch = c.createChannel()) {
            ch.queueDeclare("redeclared", true, false, false, null);
            ch.queueDeclare("deleted", true, false, false, null);
            ch.queueDelete("redeclared");
            ch.queueDeclare("redeclared", true, false, false, null);
            ch.queueDelete("deleted");
            publish(ch, "redeclared", 3);

            // deletes refused for their conditions stay refused when the log is replayed over a node
            // where the condition no longer holds (no consumer after the restart, the binding gone)
            ch.queueDeclare("in-use", true, false, false, null);
            publish(ch, "in-use", 1);
            String tag = ch.basicConsume("in-use", false, (t, d) -> { }, t -> { });
            assertEquals(400, http("DELETE", "/api/queues/%2F/in-use?if-unused=true", null).statusCode());
            ch.basicCancel(tag);
            ch.exchangeDeclare("bound-x", "fanout", true);
            ch.queueBind("in-use", "bound-x", "");
            assertEquals(400, http("DELETE", "/api/exchanges/%2F/bound-x?if-unused=true", null).statusCode());
            ch.queueUnbind("in-use", "bound-x", "");
        }
        try (Connection c = connect(1, "replayed"); Channel ch = c.createChannel()) {
            ch.queueDeclare("in-old-vhost", true, false, false, null);
        }
        // the vhost goes with its queue, and comes again: its new queue is a different one
        assertEquals(204, http("DELETE", "/api/vhosts/replayed", null).statusCode());
        assertEquals(201, http("PUT", "/api/vhosts/replayed", "{}").statusCode());
        putGuestPermissions();
        try (Connection c = connect(1, "replayed"); Channel ch = c.createChannel()) {
            ch.queueDeclare("in-new-vhost", true, false, false, null);
            publish(ch, "in-new-vhost", 2);
        }

        cluster.node(1).kill();
        cluster.start(1);
        assertKept("after kill -9", 3, 2);

        cluster.node(1).stop();
        cluster.start(1);
        assertKept("after a clean stop", 3, 2);
    }

    /**
     * A cluster formed anew over the nodes' old data (every node's Raft storage removed): its log
     * starts at index 0 again, and the creation indexes of the old log must not make the new log's
     * changes look older than the queues they name.
     */
    @Test
    @Order(2)
    void aClusterFormedAnewOverOldDataAppliesItsChanges() throws Exception {
        for (int n = 1; n <= 3; n++) {
            cluster.node(n).stop();
        }
        for (int n = 1; n <= 3; n++) {
            deleteTree(cluster.node(n).dataDir().resolve("cluster"));
        }
        cluster.startAll();
        try (Connection c = connect(1, "/"); Channel ch = c.createChannel()) {
            ch.queueDelete("redeclared");
        }
        try (Connection c = connect(1, "/")) {
            assertThrows(IOException.class, () -> c.createChannel().queueDeclarePassive("redeclared"));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void publish(Channel ch, String queue, int count) throws Exception {
        ch.confirmSelect();
        for (int i = 0; i < count; i++) {
            ch.basicPublish("", queue, MessageProperties.PERSISTENT_TEXT_PLAIN, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        ch.waitForConfirmsOrDie(10_000);
    }

    /** n1 restarted: once it applied a change made after its start, its replay is over; then it is checked. */
    private static void assertKept(String when, int inRedeclared, int inNewVhost) throws Exception {
        String marker = "marker-" + System.nanoTime();
        try (Connection c = connect(2, "/"); Channel ch = c.createChannel()) {
            ch.queueDeclare(marker, false, false, false, null);
        }
        try (Connection c = connect(1, "/")) {
            awaitQueue(c, marker);
            Channel ch = c.createChannel();
            assertEquals(inRedeclared, ch.queueDeclarePassive("redeclared").getMessageCount(), when);
            assertThrows(IOException.class, () -> c.createChannel().queueDeclarePassive("deleted"), when);
            assertEquals(1, c.createChannel().queueDeclarePassive("in-use").getMessageCount(), when);
            c.createChannel().exchangeDeclarePassive("bound-x");
        }
        try (Connection c = connect(1, "replayed")) {
            AMQP.Queue.DeclareOk ok = c.createChannel().queueDeclarePassive("in-new-vhost");
            assertEquals(inNewVhost, ok.getMessageCount(), when);
            assertThrows(IOException.class, () -> c.createChannel().queueDeclarePassive("in-old-vhost"), when);
        }
    }

    /** Polls with a deadline: n1 applies the marker when its replay reaches it, with no event to wait on. */
    private static void awaitQueue(Connection c, String queue) throws Exception {
        Await.until("n1 applied " + queue, Duration.ofSeconds(60), () -> {
            c.createChannel().queueDeclarePassive(queue); // a miss closes only that channel
            return true;
        });
    }

    private static Connection connect(int node, String vhost) throws Exception {
        com.rabbitmq.client.ConnectionFactory f = cluster.node(node).connectionFactory();
        f.setVirtualHost(vhost);
        return f.newConnection();
    }

    private static void putGuestPermissions() throws Exception {
        int status = http("PUT", "/api/permissions/replayed/guest",
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}").statusCode();
        assertTrue(status == 201 || status == 204, "permissions: " + status);
    }

    private static HttpResponse<String> http(String method, String path, String body) throws Exception {
        return cluster.http(1, method, path, body);
    }
}
