package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.warren.cluster.ClusterNode;
import io.warren.cluster.ClusterPeer;
import io.warren.cluster.ClusterPeers;
import io.warren.cluster.tls.RaftTls;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.io.grpc.Status;
import org.apache.ratis.thirdparty.io.grpc.StatusRuntimeException;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Raft port of three real broker processes (Ratis over gRPC, mutual TLS keyed by the cluster secret):
 * the cluster works through it (definitions and a quorum queue replicate), a Ratis client with the secret
 * reads and appends, and one with another secret, or without TLS, can neither list, read nor append to any
 * Raft group (the metadata group or a quorum queue's) on any node.
 */
@Timeout(240)
class RaftPortAuthTest {
    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3);

    @Test
    void onlyClientsThatKnowTheClusterSecretReachTheRaftPort() throws Exception {
        // the cluster works over the authenticated port: a declare through n1 is seen through n3 ...
        try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
            ch.exchangeDeclare("raft.auth.x", "direct", true);
            ch.queueDeclare("raft.auth.qq", true, false, false, Map.of("x-queue-type", "quorum"));
            ch.queueBind("raft.auth.qq", "raft.auth.x", "k");
        }
        try (Connection c = cluster.connect(3)) {
            Await.until("n3 sees the exchange and the quorum queue declared through n1", Duration.ofSeconds(60), () -> {
                try (Channel ch = c.createChannel()) {
                    ch.exchangeDeclarePassive("raft.auth.x");
                    ch.queueDeclarePassive("raft.auth.qq");
                    return true;
                }
            });
            // ... and a quorum queue (a Raft group of its own on the three nodes) takes and gives a message
            Channel ch = c.createChannel();
            ch.confirmSelect();
            ch.basicPublish("raft.auth.x", "k", MessageProperties.PERSISTENT_BASIC, "through n3".getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(60_000);
        }
        try (Connection c = cluster.connect(2); Channel ch = c.createChannel()) {
            GetResponse got = Await.value("the quorum queue's message through n2", Duration.ofSeconds(60),
                    () -> ch.basicGet("raft.auth.qq", true));
            assertEquals("through n3", new String(got.getBody(), StandardCharsets.UTF_8));
        }

        List<RaftPeer> peers = new ArrayList<>();
        for (ClusterPeer p : ClusterPeers.parse(cluster.peers()).members()) {
            peers.add(RaftPeer.newBuilder().setId(p.name()).setAddress(p.address()).build());
        }
        RaftGroup metadata = RaftGroup.valueOf(ClusterNode.GROUP, peers);
        Parameters member = RaftTls.fromSecret(cluster.secret()).parameters();
        // with the secret: a Ratis client lists each node's groups (the metadata group and the quorum
        // queue's) and appends to the metadata group (an empty entry, which changes nothing)
        List<RaftGroupId> groups;
        try (RaftClient c = RaftClient.newBuilder().setRaftGroup(metadata).setProperties(new RaftProperties())
                .setParameters(member).setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(20,
                        TimeDuration.valueOf(250, TimeUnit.MILLISECONDS))).build()) { // finds the leader
            groups = c.getGroupManagementApi(peers.get(0).getId()).list().getGroupIds();
            assertTrue(groups.contains(ClusterNode.GROUP) && groups.size() >= 2, "n1's groups: " + groups);
            assertTrue(c.io().send(Message.EMPTY).isSuccess(), "a client with the secret appends");
        }
        for (Parameters stranger : List.of(RaftTls.fromSecret(cluster.secret() + "-not").parameters(), new Parameters())) {
            for (RaftPeer peer : peers) {
                try (RaftClient c = client(RaftGroup.valueOf(ClusterNode.GROUP, peer), stranger)) {
                    assertRefused(assertThrows(Exception.class, () -> c.getGroupManagementApi(peer.getId()).list(),
                            "a client without the secret lists " + peer.getId() + "'s groups"));
                }
                for (RaftGroupId g : groups) {
                    try (RaftClient c = client(RaftGroup.valueOf(g, peer), stranger)) {
                        assertRefused(assertThrows(IOException.class, () -> c.io().send(Message.valueOf("intruder")),
                                "a client without the secret appends to " + g + " on " + peer.getId()));
                        assertRefused(assertThrows(IOException.class, () -> c.io().sendReadOnly(Message.EMPTY),
                                "a client without the secret reads " + g + " on " + peer.getId()));
                    }
                }
            }
        }

        // the cluster still works after the intruders: another message through the quorum queue
        try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
            ch.confirmSelect();
            ch.basicPublish("raft.auth.x", "k", MessageProperties.PERSISTENT_BASIC, "after".getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(60_000);
            GetResponse got = ch.basicGet("raft.auth.qq", true);
            assertNotNull(got, "the message published through n1 is there");
            assertEquals("after", new String(got.getBody(), StandardCharsets.UTF_8));
        }
    }

    /**
     * The request failed because the connection did (gRPC's UNAVAILABLE: the TLS handshake failed or the
     * node closed a plain connection), not with an answer from the node such as "not leader".
     */
    private static void assertRefused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                return;
            }
        }
        throw new AssertionError("not a refused connection: " + failure, failure);
    }

    private static RaftClient client(RaftGroup group, Parameters parameters) {
        RaftProperties props = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(10, TimeUnit.SECONDS));
        return RaftClient.newBuilder().setRaftGroup(group).setProperties(props).setParameters(parameters)
                .setRetryPolicy(RetryPolicies.noRetry()).build();
    }
}
