package io.warren.broker.persist;

import io.warren.broker.BrokerState;
import io.warren.broker.config.BrokerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A vhost's default_queue_type is stored with the vhost and comes back after a restart. */
class DefaultQueueTypeRecoveryTest {
    @TempDir
    Path dataDir;

    @Test
    void theDefaultQueueTypeSurvivesARestart() throws Exception {
        BrokerState before = new BrokerState(BrokerConfig.defaults());
        try (Persistence ignored = Persistence.open(before, dataDir)) {
            before.addVhost("with-default").setDefaultQueueType("quorum");
            before.addVhost("without");
        }
        BrokerState after = new BrokerState(BrokerConfig.defaults());
        try (Persistence ignored = Persistence.open(after, dataDir)) {
            assertEquals("quorum", after.vhost("with-default").defaultQueueType());
            assertNull(after.vhost("without").defaultQueueType());
        }
    }
}
