package io.warren.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Exit codes decided before any HTTP call. */
class WarrenCtlTest {

    @Test
    void usageErrorsAre64() {
        assertEquals(64, WarrenCtl.execute("no_such_command"));
        assertEquals(64, WarrenCtl.execute("purge_queue"));
        assertEquals(64, WarrenCtl.execute("list_queues", "--no-such-flag"));
        assertEquals(64, WarrenCtl.execute());
    }

    @Test
    void quorumVerbsCheckTheirArgumentsFirst() {
        assertEquals(64, WarrenCtl.execute("--port", "1", "grow", "n2", "odd")); // rabbitmq-queues: strategy not recognised
        assertEquals(64, WarrenCtl.execute("add_member", "q"));
        assertEquals(64, WarrenCtl.execute("delete_member"));
        assertEquals(64, WarrenCtl.execute("shrink"));
        assertEquals(64, WarrenCtl.execute("quorum_status"));
        assertEquals(0, WarrenCtl.execute("grow", "--help"));
    }

    @Test
    void helpIsZero() {
        assertEquals(0, WarrenCtl.execute("--help"));
        assertEquals(0, WarrenCtl.execute("delete_queue", "--help"));
        assertEquals(0, WarrenCtl.execute("help", "list_queues"));
    }

    @Test
    void unreachableNodeIs69() {
        assertEquals(69, WarrenCtl.execute("--port", "1", "--timeout", "2", "list_queues"));
    }
}
