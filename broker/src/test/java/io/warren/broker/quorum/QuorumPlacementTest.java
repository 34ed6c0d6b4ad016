package io.warren.broker.quorum;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where new quorum queues go: fewest replicas, leaders spread, the same answer from the same record. */
class QuorumPlacementTest {
    private static final List<String> NODES = List.of("n1", "n2", "n3");

    @Test
    void threeFullQueuesGetThreeDifferentLeaders() {
        QuorumPlacement p = new QuorumPlacement();
        Set<String> leaders = new HashSet<>();
        for (String q : List.of("a", "b", "c")) {
            List<String> m = p.recordIfAbsent("/", q, 0, NODES);
            assertEquals(Set.of("n1", "n2", "n3"), Set.copyOf(m), "default size 3: " + m);
            leaders.add(m.get(0));
        }
        assertEquals(Set.of("n1", "n2", "n3"), leaders);
    }

    @Test
    void smallQueuesGoWhereTheFewestReplicasAre() {
        QuorumPlacement p = new QuorumPlacement();
        p.put("/", "big", List.of("n1", "n2"));
        assertEquals(List.of("n3"), p.recordIfAbsent("/", "x", 1, NODES), "n3 holds nothing yet");
        // one replica each now; n1 leads big and n3 leads x: n2, leading nothing, leads y
        List<String> two = p.recordIfAbsent("/", "y", 2, NODES);
        assertEquals("n2", two.get(0), two.toString());
        assertEquals(2, two.size());
    }

    @Test
    void theChoiceDependsOnlyOnTheRecordAndTheNames() {
        QuorumPlacement a = new QuorumPlacement();
        QuorumPlacement b = new QuorumPlacement();
        for (String q : List.of("q1", "q2", "q3", "q4", "q5")) {
            assertEquals(a.recordIfAbsent("v", q, 2, NODES), b.recordIfAbsent("v", q, 2, List.of("n3", "n1", "n2")));
        }
        assertEquals(a.get("v", "q1"), a.recordIfAbsent("v", "q1", 3, NODES), "recorded once, then kept");
    }

    @Test
    void aSizeLargerThanTheClusterTakesEveryNode() {
        assertEquals(3, new QuorumPlacement().choose("/", "q", 7, NODES).size());
    }
}
