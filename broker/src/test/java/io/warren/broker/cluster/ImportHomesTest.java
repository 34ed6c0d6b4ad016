package io.warren.broker.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which node an imported queue lives on is decided once, on the importing node. */
class ImportHomesTest {
    @Test
    void aQueueIsHomedOnTheMemberItNamesElseOnTheImportingNode() {
        Map<String, Object> defs = Map.of("users", List.of(), "queues", List.of(
                Map.of("name", "a", "vhost", "/"),
                Map.of("name", "b", "vhost", "/", "node", "n3"),
                Map.of("name", "c", "vhost", "v", "node", "rabbit@elsewhere")));
        Map<String, Object> homed = ImportHomes.assign(defs, "n2", Set.of("n1", "n2", "n3"));
        List<String[]> homes = ImportHomes.homes(homed);
        assertEquals(3, homes.size());
        assertArrayEquals(new String[] {"/", "a", "n2"}, homes.get(0));
        assertArrayEquals(new String[] {"/", "b", "n3"}, homes.get(1));
        assertArrayEquals(new String[] {"v", "c", "n2"}, homes.get(2), "no such member: the importer's");
        assertEquals(List.of(), homed.get("users"), "the rest of the document unchanged");
        assertEquals(List.of(), ImportHomes.homes(Map.of("queues", "not a list")));
    }
}
