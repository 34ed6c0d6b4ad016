package io.warren.interop;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.impl.recovery.AutorecoveringConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that list every node of a cluster go on through a live node when theirs is killed: amqp-client
 * with an address list and automatic recovery (connection, channel, queue and consumer recovered on another
 * node), and a Pika app that connects again with its list of ConnectionParameters.
 */
@Timeout(240) // three broker JVMs starting at once on a busy 2-core machine take a while
class ClusterClientFailoverTest {
    private static final long RECOVERY_S = 90;
    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3);
    /** The node a test killed; started again after it, so the next test has three nodes. */
    private int killed;


    @AfterEach
    void restartTheKilledNode() {
        if (killed != 0) {
            cluster.start(killed);
        }
    }


    private List<Address> addresses() {
        List<Address> list = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            list.add(new Address(WarrenBroker.HOST, cluster.node(i).port()));
        }
        return list;
    }

    private int nodeListeningOn(int port) {
        for (int i = 1; i <= 3; i++) {
            if (cluster.node(i).port() == port) {
                return i;
            }
        }
        throw new AssertionError("no node listens on " + port);
    }

    @Test
    void amqpClientRecoversOntoALiveNodeWithItsQueueAndConsumer() throws Exception {
        ConnectionFactory f = cluster.node(1).connectionFactory();
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(true);
        f.setNetworkRecoveryInterval(200);
        try (Connection c = f.newConnection(addresses())) {
            int home = nodeListeningOn(c.getPort());
            Channel ch = c.createChannel();
            AtomicReference<String> queue = new AtomicReference<>(ch.queueDeclare().getQueue());
            ((AutorecoveringConnection) c).addQueueRecoveryListener((oldName, newName) -> queue.set(newName));
            BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
            ch.basicConsume(queue.get(), true, (tag, d) -> received.add(new String(d.getBody(), StandardCharsets.UTF_8)),
                    tag -> { });
            CountDownLatch recovered = new CountDownLatch(1);
            ((Recoverable) c).addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable r) {
                    recovered.countDown();
                }

                @Override
                public void handleRecoveryStarted(Recoverable r) {
                }
            });

            cluster.node(home).kill();
            killed = home;
            assertTrue(recovered.await(RECOVERY_S, TimeUnit.SECONDS), "the connection did not recover onto a live node");
            assertNotEquals(home, nodeListeningOn(c.getPort()), "recovered onto the killed node");

            ch.confirmSelect();
            ch.basicPublish("", queue.get(), null, "after failover".getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(30_000);
            assertEquals("after failover", received.poll(30, TimeUnit.SECONDS),
                    "the recovered consumer got nothing on the new node");
        }
    }

    @Test
    void aPikaAppWithTheListOfNodesConnectsAgainToALiveOne() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PikaTest.python(),
                PikaTest.scriptDir().resolve("interop_cluster_failover.py").toString()));
        for (int i = 1; i <= 3; i++) {
            cmd.add(Integer.toString(cluster.node(i).port()));
        }
        // stderr (Pika logs each refused node it tries) to the test output, stdout is the protocol
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            String first = out.readLine();
            assertTrue(first != null && first.startsWith("CONNECTED "), "Pika said: " + first);
            int home = nodeListeningOn(Integer.parseInt(first.substring("CONNECTED ".length())));
            cluster.node(home).kill();
            killed = home;
            in.write("go\n");
            in.flush();
            assertEquals("LOST", out.readLine());
            String again = out.readLine();
            assertTrue(again != null && again.startsWith("RECONNECTED "), "Pika said: " + again);
            assertNotEquals(home, nodeListeningOn(Integer.parseInt(again.substring("RECONNECTED ".length()))));
            assertEquals("OK", out.readLine());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }
}
