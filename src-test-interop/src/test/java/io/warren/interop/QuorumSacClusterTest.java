package io.warren.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Quorum queue semantics on three broker processes. A vhost's default_queue_type set through one
 * node applies to declares through another. Single active consumer: the active consumer's node is
 * killed (kill -9) while it holds unacked messages; the leader returns them and the waiting consumer
 * on another node takes over, receiving them redelivered (x-delivery-count 1) and what comes next.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuorumSacClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3);

    @Test
    @Order(1)
    @Timeout(120)
    void aDefaultQueueTypeSetThroughOneNodeAppliesToDeclaresThroughAnother() throws Exception {
        String vhost = "dqt-cluster";
        assertEquals(201, http(1, "PUT", "/api/vhosts/" + vhost, "{\"default_queue_type\":\"quorum\"}").statusCode());
        assertEquals(201, http(1, "PUT", "/api/permissions/" + vhost + "/guest",
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}").statusCode());
        ConnectionFactory f = cluster.node(2).connectionFactory();
        f.setVirtualHost(vhost);
        try (Connection c = f.newConnection()) {
            c.createChannel().queueDeclare("plain", true, false, false, null);
        }
        // node 3 applies the declare from the cluster's log a moment after it committed
        JsonNode q = awaitQueue(3, vhost, "plain", j -> j.hasNonNull("type"));
        assertEquals("quorum", q.get("type").asText(), q.toString());
        assertEquals("quorum", JSON.readTree(http(3, "GET", "/api/vhosts/" + vhost, null).body())
                .get("default_queue_type").asText());
    }

    @Test
    @Order(2)
    @Timeout(300)
    void theWaitingConsumerTakesOverWhenTheActiveOnesNodeIsKilled() throws Exception {
        String q = "qq.sac-takeover";
        try (Connection c = connect(1)) {
            c.createChannel().queueDeclare(q, true, false, false,
                    Map.of("x-queue-type", "quorum", "x-single-active-consumer", true));
        }
        int leader = Integer.parseInt(awaitQueue(1, q, j -> j.hasNonNull("leader")).get("leader").asText().substring(1));
        int doomedNode = leader % 3 + 1;

        ConnectionFactory f = cluster.node(doomedNode).connectionFactory();
        f.setAutomaticRecoveryEnabled(false);
        Connection doomed = f.newConnection();
        Channel dc = doomed.createChannel();
        BlockingQueue<String> atDoomed = new LinkedBlockingQueue<>();
        dc.basicConsume(q, false, (tag, d) -> atDoomed.add(new String(d.getBody(), StandardCharsets.UTF_8)), tag -> { });

        Connection survivor = connect(leader);
        Channel pub = survivor.createChannel();
        pub.confirmSelect();
        publish(pub, q, "m0");
        assertEquals("m0", poll(atDoomed), "the first subscriber is the active one");

        Channel sc = survivor.createChannel();
        BlockingQueue<String> atSurvivor = new LinkedBlockingQueue<>();
        sc.basicConsume(q, false, (tag, d) -> {
            Object count = d.getProperties().getHeaders() == null ? null : d.getProperties().getHeaders().get("x-delivery-count");
            atSurvivor.add(new String(d.getBody(), StandardCharsets.UTF_8) + "/" + count);
            sc.basicAck(d.getEnvelope().getDeliveryTag(), false);
        }, tag -> { });
        for (int i = 1; i < 5; i++) {
            publish(pub, q, "m" + i);
        }
        Set<String> held = new HashSet<>();
        for (int i = 1; i < 5; i++) {
            String m = atDoomed.poll(60, TimeUnit.SECONDS);
            assertNotNull(m, "the active consumer got " + held + " of m1..m4 within 60 s; the waiting one got " + atSurvivor);
            held.add(m);
        }
        assertEquals(Set.of("m1", "m2", "m3", "m4"), held, "the waiting consumer got none of them");

        cluster.node(doomedNode).kill();
        doomed.abort();

        // the leader stops hearing from the dead node, returns what it held; the waiting one takes over
        Set<String> redelivered = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            redelivered.add(poll(atSurvivor));
        }
        assertEquals(Set.of("m0/1", "m1/1", "m2/1", "m3/1", "m4/1"), redelivered);
        publish(pub, q, "m5");
        assertEquals("m5/null", poll(atSurvivor), "new messages go to the new active consumer");
        survivor.close();
        cluster.start(doomedNode);
    }

    private static void publish(Channel ch, String q, String body) throws Exception {
        ch.basicPublish("", q, null, body.getBytes(StandardCharsets.UTF_8));
        ch.waitForConfirmsOrDie(60_000);
    }

    private static String poll(BlockingQueue<String> q) throws InterruptedException {
        String s = q.poll(60, TimeUnit.SECONDS);
        assertNotNull(s, "no delivery within 60 s");
        return s;
    }

    private static HttpResponse<String> http(int node, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + cluster.node(node).httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "guest:guest".getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Connection connect(int node) throws Exception {
        return cluster.node(node).connectionFactory().newConnection();
    }

    private static JsonNode awaitQueue(int node, String q, java.util.function.Predicate<JsonNode> until) throws Exception {
        return awaitQueue(node, "%2F", q, until);
    }

    private static JsonNode awaitQueue(int node, String vhost, String q, java.util.function.Predicate<JsonNode> until)
            throws Exception {
        return QuorumQueueProbe.await(cluster, node, vhost, q, until);
    }
}
