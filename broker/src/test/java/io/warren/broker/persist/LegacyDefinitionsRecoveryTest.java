package io.warren.broker.persist;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.broker.BrokerState;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.model.VirtualHost;
import io.warren.storage.MetaKey;
import io.warren.storage.MetadataStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Definitions that an older Warren stored but a declare refuses today (a dead-letter routing key longer than
 * 255 bytes) must not stop the broker from starting: the queue comes back without the argument, the policy is
 * left out.
 */
class LegacyDefinitionsRecoveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LONG_KEY = "k".repeat(300);

    @TempDir
    Path dataDir;

    @Test
    void queueAndPolicyWithAnOverlongDeadLetterKeyDoNotStopTheStart() throws Exception {
        try (MetadataStore meta = MetadataStore.open(dataDir.resolve("meta"))) {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("x-dead-letter-exchange", "dlx");
            args.put("x-dead-letter-routing-key", LONG_KEY);
            args.put("x-max-length", 5L);
            put(meta, new MetaKey("queue", "/", "old-q"),
                    Map.of("auto_delete", false, "arguments", ArgumentCodec.encode(args), "storage_id", 7L));
            put(meta, new MetaKey("policy", "/", "old-policy"), Map.of("pattern", "^p", "apply-to", "queues",
                    "priority", 0, "definition", Map.of("dead-letter-routing-key", LONG_KEY)));
            put(meta, new MetaKey("policy", "/", "good-policy"), Map.of("pattern", "^g", "apply-to", "queues",
                    "priority", 0, "definition", Map.of("max-length", 3)));
        }

        BrokerState state = new BrokerState(BrokerConfig.defaults());
        try (Persistence ignored = Persistence.open(state, dataDir)) {
            VirtualHost vhost = state.vhost("/");
            assertNotNull(vhost.queue("old-q"), "the queue is recovered");
            Map<String, Object> recovered = vhost.queue("old-q").arguments();
            assertFalse(recovered.containsKey("x-dead-letter-routing-key"));
            assertEquals("dlx", recovered.get("x-dead-letter-exchange"));
            assertEquals(5L, ((Number) recovered.get("x-max-length")).longValue());
            assertTrue(vhost.policies().stream().anyMatch(p -> p.name().equals("good-policy")));
            assertFalse(vhost.policies().stream().anyMatch(p -> p.name().equals("old-policy")));
        }
    }

    private static void put(MetadataStore meta, MetaKey key, Map<String, Object> value) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        meta.put(key, JSON.writeValueAsBytes(value), Runnable::run,
                failure -> { if (failure == null) done.complete(null); else done.completeExceptionally(failure); });
        done.get(10, TimeUnit.SECONDS);
    }
}
