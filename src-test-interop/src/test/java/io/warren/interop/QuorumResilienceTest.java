package io.warren.interop;

import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A three-member quorum queue on three broker processes under a confirming publisher and an
 * acking consumer that reconnect to whichever node answers: a rolling restart (each node stopped
 * cleanly and started again, one at a time) and a chaos run (kill -9 and restart of a random node,
 * several rounds). Every confirmed message is received; a message received twice is only one that
 * came back redelivered (delivered, and its ack lost with a connection or node), never one the
 * queue held twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(400)
class QuorumResilienceTest {
    /** The chaos run's seed (logged); -Dwarren.chaos.seed=N replays another run. */
    private static final long SEED = Long.getLong("warren.chaos.seed", 20261206L);
    private static final int ROUNDS = 3;
    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3); // started once for the class; logs kept on failure

    @Test
    @Order(1)
    void aRollingRestartUnderLoadLosesNoConfirmedMessage() throws Exception {
        String q = "qq.rolling";
        declare(q);
        ReceivedLog received = new ReceivedLog();
        try (QuorumWorkload load = new QuorumWorkload(cluster, 3, q, received).start()) {
            load.awaitConfirms(200, 60_000);
            for (int node = 1; node <= 3; node++) {
                cluster.node(node).stop(); // SIGTERM: a clean stop
                load.awaitConfirms(100, 60_000); // the other two go on
                cluster.start(node);
                QuorumQueueProbe.awaitOnline(cluster, node, q, 3);
                load.awaitConfirms(100, 60_000);
            }
            load.stopPublishing();
            received.awaitAll(load.confirmed(), 90_000);
            System.out.println("rolling restart: " + load.confirmed().size() + " confirmed, "
                    + received.duplicates() + " redeliveries, " + load.reconnects() + " reconnects");
        }
        assertEquals(java.util.List.of(), received.duplicatedNotRedelivered(), "held twice by the queue");
    }

    @Test
    @Order(2)
    void killingAndRestartingRandomNodesUnderLoadLosesNoConfirmedMessage() throws Exception {
        System.out.println("chaos seed " + SEED + " (replay with -Dwarren.chaos.seed=" + SEED + ")");
        Random random = new Random(SEED);
        String q = "qq.chaos";
        declare(q);
        ReceivedLog received = new ReceivedLog();
        try (QuorumWorkload load = new QuorumWorkload(cluster, 3, q, received).start()) {
            load.awaitConfirms(100, 60_000);
            for (int round = 1; round <= ROUNDS; round++) {
                int node = 1 + random.nextInt(3);
                int dwell = 20 + random.nextInt(60); // confirms while the node is down
                System.out.println("chaos round " + round + ": kill -9 n" + node + " for " + dwell + " confirms");
                cluster.node(node).kill();
                load.awaitConfirms(dwell, 60_000);
                cluster.start(node);
                QuorumQueueProbe.awaitOnline(cluster, node, q, 3);
            }
            load.awaitConfirms(50, 60_000);
            load.stopPublishing();
            received.awaitAll(load.confirmed(), 90_000);
            System.out.println("chaos: " + load.confirmed().size() + " confirmed, " + received.duplicates()
                    + " redeliveries, " + load.reconnects() + " reconnects");
        }
        assertEquals(java.util.List.of(), received.duplicatedNotRedelivered(), "held twice by the queue");
        assertTrue(received.ids().size() > 0);
    }

    private static void declare(String q) throws Exception {
        try (Connection c = cluster.node(1).connectionFactory().newConnection()) {
            c.createChannel().queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum"));
        }
        QuorumQueueProbe.awaitOnline(cluster, 1, q, 3);
    }
}
