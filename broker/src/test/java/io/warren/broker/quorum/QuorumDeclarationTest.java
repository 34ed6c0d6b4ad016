package io.warren.broker.quorum;

import io.warren.broker.error.ChannelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The texts and their order, as a RabbitMQ 3.10.8 node answered the same declares. */
class QuorumDeclarationTest {
    private static final String WHAT = "queue 'q' in vhost '/'";
    private static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");

    private static void refused(String text, Executable declare) {
        ChannelException e = assertThrows(ChannelException.class, declare);
        assertEquals(406, e.replyCode());
        assertEquals("PRECONDITION_FAILED - " + text, e.replyText());
    }

    @Test
    void refusesWhatRabbitMqRefusesInItsOrder() {
        refused("Cannot declare a server-named queue for type rabbit_quorum_queue", () -> QuorumDeclaration.checkName(""));
        refused("invalid property 'non-durable' for " + WHAT, () -> QuorumDeclaration.check(false, false, false, QUORUM, WHAT));
        refused("invalid property 'exclusive-owner' for " + WHAT, () -> QuorumDeclaration.check(false, true, false, QUORUM, WHAT));
        refused("invalid property 'auto-delete' for " + WHAT, () -> QuorumDeclaration.check(false, true, true, QUORUM, WHAT));
        refused("invalid arg 'x-max-priority' for " + WHAT + " of queue type rabbit_quorum_queue",
                () -> QuorumDeclaration.check(false, false, false, Map.of("x-queue-type", "quorum", "x-max-priority", 5), WHAT));
        refused("invalid arg 'x-queue-mode' for " + WHAT + " of queue type rabbit_quorum_queue",
                () -> QuorumDeclaration.check(true, false, false, Map.of("x-queue-mode", "lazy"), WHAT));
        refused("invalid arg 'x-max-age' for " + WHAT + " of queue type rabbit_quorum_queue",
                () -> QuorumDeclaration.check(true, false, false, Map.of("x-max-age", "1D"), WHAT));
    }

    @Test
    void checksTheInitialGroupSize() {
        refused("invalid arg 'x-quorum-initial-group-size' for " + WHAT + ": {value_zero,0}",
                () -> QuorumDeclaration.check(true, false, false, Map.of("x-quorum-initial-group-size", 0), WHAT));
        refused("invalid arg 'x-quorum-initial-group-size' for " + WHAT + ": \"expected integer, got longstr\"",
                () -> QuorumDeclaration.check(true, false, false, Map.of("x-quorum-initial-group-size", "x"), WHAT));
        assertDoesNotThrow(() -> QuorumDeclaration.check(true, false, false, Map.of("x-quorum-initial-group-size", 5), WHAT));
    }

    @Test
    void acceptsQuorumArgumentsAndUnknownOnes() {
        assertDoesNotThrow(() -> QuorumDeclaration.check(true, false, false, Map.of("x-queue-type", "quorum",
                "x-delivery-limit", 3, "x-overflow", "reject-publish-dlx", "x-queue-leader-locator", "balanced",
                "x-dead-letter-strategy", "at-least-once", "x-foo", "bar"), WHAT));
    }
}
