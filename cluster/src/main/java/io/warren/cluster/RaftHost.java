package io.warren.cluster;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * One Ratis server per node that hosts many Raft groups on one port (multi-Raft): the cluster's
 * metadata group and a group per quorum queue. Each group keeps its log and snapshots in its own
 * directory under the storage directory, named after the group id; at start every group found there
 * is recovered and asks {@code otherGroups} for its state machine. A cluster member's server and every
 * client of its groups use its {@link #parameters()}: mutual TLS keyed by the cluster secret
 * ({@link io.warren.cluster.tls.RaftTls}).
 */
public final class RaftHost implements AutoCloseable {
    private final String nodeName;
    private final RaftServer server;
    private final RaftProperties properties;
    private final Parameters parameters;

    private RaftHost(String nodeName, RaftServer server, RaftProperties properties, Parameters parameters) {
        this.nodeName = nodeName;
        this.server = server;
        this.properties = properties;
        this.parameters = parameters;
    }

    /**
     * Starts the server on {@code self}'s address. {@code initial} (may be null) is joined at once with
     * its state machine from {@code fixed}; any other group id gets one from {@code otherGroups}. The server
     * and clients built with {@link #parameters()} use {@code parameters} (the cluster's TLS).
     */
    public static RaftHost start(ClusterPeer self, Path storageDir, long snapshotEvery, long segmentBytes,
                                 Parameters parameters, RaftGroup initial, Map<RaftGroupId, StateMachine> fixed,
                                 Function<RaftGroupId, StateMachine> otherGroups) throws IOException {
        return start(self, RaftSettings.server(self, storageDir, snapshotEvery, segmentBytes), parameters, initial,
                fixed, otherGroups);
    }

    /**
     * A server whose groups have this node as their only member (a standalone node's quorum
     * queues): no peer can disagree, so it elects itself after 150-300 ms instead of 1-2 s. It listens on
     * the loopback interface only, in plain gRPC: a standalone node has no cluster secret.
     */
    public static RaftHost startAlone(ClusterPeer self, Path storageDir, long snapshotEvery, long segmentBytes,
                                      Function<RaftGroupId, StateMachine> groups) throws IOException {
        RaftProperties props = RaftSettings.server(self, storageDir, snapshotEvery, segmentBytes);
        RaftSettings.singleMemberElections(props);
        return start(self, props, new Parameters(), null, Map.of(), groups);
    }

    private static RaftHost start(ClusterPeer self, RaftProperties props, Parameters parameters, RaftGroup initial,
                                  Map<RaftGroupId, StateMachine> fixed,
                                  Function<RaftGroupId, StateMachine> otherGroups) throws IOException {
        RaftServer.Builder builder = RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(self.name()))
                .setStateMachineRegistry(id -> {
                    StateMachine sm = fixed.get(id);
                    return sm != null ? sm : otherGroups.apply(id);
                })
                .setProperties(props)
                .setParameters(parameters)
                .setOption(RaftStorage.StartupOption.RECOVER); // format on first start, recover after
        if (initial != null) {
            builder.setGroup(initial);
        }
        RaftServer server = builder.build();
        server.start();
        return new RaftHost(self.name(), server, props, parameters);
    }

    public String nodeName() {
        return nodeName;
    }

    public RaftServer server() {
        return server;
    }

    /** The server's properties, a base for clients of its groups. */
    public RaftProperties properties() {
        return properties;
    }

    /** The server's parameters (its TLS): every client of its groups must be built with them. */
    public Parameters parameters() {
        return parameters;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
