package io.warren.cluster;

import io.warren.cluster.tls.RaftTls;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Raft port takes only clients that know the cluster secret: a Ratis client with the secret's TLS
 * appends to the metadata group, one with another secret's TLS or without TLS can neither append nor
 * read the group's information.
 */
class RaftPortTlsTest {
    @TempDir
    Path dir;
    private ClusterNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void onlyClientsWithTheSecretReachTheGroup() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ClusterPeers peers = ClusterPeers.parse("a=127.0.0.1:" + port);
        ClusterNodeTest.Strings state = new ClusterNodeTest.Strings();
        node = ClusterNode.start("a", peers, "right secret", dir.resolve("a"), state, 4000, 20, 4096);
        assertTrue(node.awaitCaughtUp(30_000), "the node elected itself");
        RaftPeer peer = RaftPeer.newBuilder().setId("a").setAddress("127.0.0.1:" + port).build();
        RaftGroup group = RaftGroup.valueOf(ClusterNode.GROUP, peer);

        try (RaftClient member = client(group, RaftTls.fromSecret("right secret").parameters())) {
            RaftClientReply reply = member.io().send(Message.valueOf("from a member"));
            assertTrue(reply.isSuccess(), "a client with the secret appends: " + reply);
            assertEquals(group.getGroupId(), member.getGroupManagementApi(peer.getId()).info(group.getGroupId())
                    .getGroup().getGroupId());
        }
        assertEquals(List.of("from a member"), state.items);

        // another secret's key: the client does not trust the member's certificate (nor would the member its)
        refused(group, peer, RaftTls.fromSecret("wrong secret").parameters());
        // a client that trusts any server and shows a certificate of its own: the member refuses it
        refused(group, peer, trustingAnyServer());
        // no TLS at all
        refused(group, peer, new Parameters());

        // the member's client still works after the refusals, and nothing the others sent was applied
        try (RaftClient member = client(group, RaftTls.fromSecret("right secret").parameters())) {
            assertTrue(member.io().send(Message.valueOf("again")).isSuccess());
        }
        assertEquals(List.of("from a member", "again"), state.items);
    }

    private static void refused(RaftGroup group, RaftPeer peer, Parameters parameters) {
        try (RaftClient stranger = client(group, parameters)) {
            // Ratis reports a failed connection as an IOException on the data path, as gRPC's status on the admin one
            Exception append = assertThrows(Exception.class, () -> stranger.io().send(Message.valueOf("stranger")));
            assertTrue(append instanceof IOException, append.toString());
            assertThrows(Exception.class, () -> stranger.getGroupManagementApi(peer.getId()).info(group.getGroupId()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** TLS with a fresh key's self-signed certificate and a trust manager that takes any server. */
    private static Parameters trustingAnyServer() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        java.security.KeyPair keys = g.generateKeyPair();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=warren cluster member");
        java.util.Date now = new java.util.Date();
        java.security.cert.X509Certificate cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                .getCertificate(new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name,
                        java.math.BigInteger.ONE, now, new java.util.Date(now.getTime() + 86_400_000L), name,
                        keys.getPublic()).build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(
                        "SHA256withECDSA").build(keys.getPrivate())));
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("k", keys.getPrivate(), "pw".toCharArray(), new java.security.cert.Certificate[] {cert});
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "pw".toCharArray());
        Parameters p = new Parameters();
        org.apache.ratis.grpc.GrpcConfigKeys.TLS.setConf(p, new org.apache.ratis.grpc.GrpcTlsConfig(kmf.getKeyManagers()[0],
                org.apache.ratis.thirdparty.io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE
                        .getTrustManagers()[0], true));
        return p;
    }

    private static RaftClient client(RaftGroup group, Parameters parameters) {
        RaftProperties props = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(3, TimeUnit.SECONDS));
        return RaftClient.newBuilder().setRaftGroup(group).setProperties(props).setParameters(parameters)
                .setRetryPolicy(RetryPolicies.noRetry()).build();
    }
}
