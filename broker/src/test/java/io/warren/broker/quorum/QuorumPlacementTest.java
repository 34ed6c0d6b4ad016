package io.warren.broker.quorum;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where new quorum queues go: fewest replicas, leaders spread (ties to the declaring node), the same
 * answer from the same record; x-queue-leader-locator client-local and balanced.
 */
class QuorumPlacementTest {
    private static final List<String> NODES = List.of("n1", "n2", "n3");

    @Test
    void threeFullQueuesGetThreeDifferentLeaders() {
        QuorumPlacement p = new QuorumPlacement();
        Set<String> leaders = new HashSet<>();
        for (String q : List.of("a", "b", "c")) {
            List<String> m = p.recordIfAbsent("/", q, 0, NODES, "n1", LeaderLocator.UNSET);
            assertEquals(Set.of("n1", "n2", "n3"), Set.copyOf(m), "default size 3: " + m);
            leaders.add(m.get(0));
        }
        assertEquals(Set.of("n1", "n2", "n3"), leaders);
    }

    @Test
    void smallQueuesGoWhereTheFewestReplicasAre() {
        QuorumPlacement p = new QuorumPlacement();
        p.put("/", "big", List.of("n1", "n2"));
        assertEquals(List.of("n3"), p.recordIfAbsent("/", "x", 1, NODES, null, LeaderLocator.UNSET), "n3 holds nothing yet");
        // one replica each now; n1 leads big and n3 leads x: n2, leading nothing, leads y
        List<String> two = p.recordIfAbsent("/", "y", 2, NODES, null, LeaderLocator.UNSET);
        assertEquals("n2", two.get(0), two.toString());
        assertEquals(2, two.size());
    }

    @Test
    void theChoiceDependsOnlyOnTheRecordAndTheNames() {
        QuorumPlacement a = new QuorumPlacement();
        QuorumPlacement b = new QuorumPlacement();
        for (String q : List.of("q1", "q2", "q3", "q4", "q5")) {
            assertEquals(a.recordIfAbsent("v", q, 2, NODES, "n2", LeaderLocator.UNSET),
                    b.recordIfAbsent("v", q, 2, List.of("n3", "n1", "n2"), "n2", LeaderLocator.UNSET));
        }
        assertEquals(a.get("v", "q1"), a.recordIfAbsent("v", "q1", 3, NODES, "n3", LeaderLocator.CLIENT_LOCAL), "recorded once, then kept");
    }

    @Test
    void aSizeLargerThanTheClusterTakesEveryNode() {
        assertEquals(3, new QuorumPlacement().choose("/", "q", 7, NODES, null, LeaderLocator.UNSET).size());
    }

    @Test
    void onAnEmptyClusterTheLeaderIsTheDeclaringNode() {
        for (String local : NODES) {
            for (String q : List.of("a", "b", "c", "d")) {
                assertEquals(local, new QuorumPlacement().choose("/", q, 3, NODES, local, LeaderLocator.UNSET).get(0));
                assertEquals(local, new QuorumPlacement().choose("/", q, 1, NODES, local, LeaderLocator.UNSET).get(0),
                        "a one-member queue lives on the declaring node");
            }
        }
    }

    @Test
    void clientLocalLeadsOnTheDeclaringNodeEvenWhenItLeadsMost() {
        QuorumPlacement p = new QuorumPlacement();
        for (String q : List.of("a", "b", "c")) {
            assertEquals("n2", p.recordIfAbsent("/", q, 3, NODES, "n2", LeaderLocator.CLIENT_LOCAL).get(0));
        }
        p.put("/", "full", List.of("n1", "n3"));
        List<String> one = p.choose("/", "x", 1, NODES, "n2", LeaderLocator.CLIENT_LOCAL);
        assertEquals(List.of("n2"), one, "the declaring node holds the most replicas and still gets it");
    }

    @Test
    void balancedIgnoresTheDeclaringNode() {
        QuorumPlacement local = new QuorumPlacement();
        QuorumPlacement balanced = new QuorumPlacement();
        Set<String> leaders = new HashSet<>();
        for (String q : List.of("a", "b", "c", "d", "e", "f")) {
            List<String> m = balanced.recordIfAbsent("/", q, 3, NODES, "n1", LeaderLocator.BALANCED);
            assertEquals(m, local.recordIfAbsent("/", q, 3, NODES, null, LeaderLocator.BALANCED),
                    "the declaring node plays no part");
            leaders.add(m.get(0));
        }
        assertEquals(Set.of("n1", "n2", "n3"), leaders);
    }

    @Test
    void locatorValuesAsRabbitMqReadsThem() {
        assertEquals(LeaderLocator.CLIENT_LOCAL, LeaderLocator.of("client-local"));
        assertEquals(LeaderLocator.BALANCED, LeaderLocator.of("balanced"));
        assertEquals(LeaderLocator.BALANCED, LeaderLocator.of("random"));
        assertEquals(LeaderLocator.UNSET, LeaderLocator.of(null));
    }
}
