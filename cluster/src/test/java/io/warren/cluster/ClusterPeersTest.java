package io.warren.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterPeersTest {
    @Test
    void parsesEveryMember() {
        ClusterPeers p = ClusterPeers.parse("n1=127.0.0.1:7811, n2=localhost:7812,n3=10.0.0.3:7813");
        assertEquals(3, p.members().size());
        assertEquals(new ClusterPeer("n2", "localhost", 7812), p.self("n2"));
    }

    @Test
    void refusesBadEntriesWithTheirText() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterPeers.parse("n1=127.0.0.1"))
                .getMessage().contains("'n1=127.0.0.1' is not NAME=HOST:PORT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterPeers.parse("n1=h:70000"))
                .getMessage().contains("out of range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterPeers.parse("n1=h:1,n1=h:2"))
                .getMessage().contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterPeers.parse("n1=h:x"))
                .getMessage().contains("bad port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterPeers.parse("n1=h:1").self("n2"))
                .getMessage().contains("does not list this node 'n2'"));
    }
}
