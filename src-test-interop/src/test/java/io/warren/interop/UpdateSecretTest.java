package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.CredentialsProvider;
import com.rabbitmq.client.impl.CredentialsRefreshService;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.warren.interop.BasicTest.str;
import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * connection.update-secret (10/70) and update-secret-ok (10/71). amqp-client sends it only from its credentials
 * refresh machinery, so the test plugs in a refresh service that hands over the connection's refresh action: calling
 * it sends update-secret with the provider's current password and returns true once update-secret-ok arrives (false
 * if the connection was closed instead).
 */
class UpdateSecretTest extends InteropTestBase {

    /** A credentials provider with a settable password that "expires" (so amqp-client registers for refreshes). */
    static final class Credentials implements CredentialsProvider {
        volatile String password = "guest";

        @Override
        public String getUsername() {
            return "guest";
        }

        @Override
        public String getPassword() {
            return password;
        }

        @Override
        public Duration getTimeBeforeExpiration() {
            return Duration.ofHours(1);
        }
    }

    /** Never refreshes on its own; exposes the refresh action to the test. */
    static final class ManualRefresh implements CredentialsRefreshService {
        final AtomicReference<Callable<Boolean>> action = new AtomicReference<>();

        @Override
        public String register(CredentialsProvider provider, Callable<Boolean> refreshAction) {
            action.set(refreshAction);
            return "manual";
        }

        @Override
        public void unregister(CredentialsProvider provider, String registrationId) {
        }

        @Override
        public boolean isApproachingExpiration(Duration timeBeforeExpiration) {
            return false;
        }

        boolean updateSecret() throws Exception {
            Callable<Boolean> a = action.get();
            assertNotNull(a, "amqp-client did not register the connection for refreshes");
            return a.call();
        }
    }

    private final Credentials credentials = new Credentials();
    private final ManualRefresh refresh = new ManualRefresh();

    private Connection connectionWithRefresh() throws Exception {
        ConnectionFactory f = factory();
        f.setCredentialsProvider(credentials);
        f.setCredentialsRefreshService(refresh);
        return track(f.newConnection("interop-update-secret"));
    }

    @Test
    void updateSecretIsAnsweredAndTheConnectionKeepsWorking() throws Exception {
        Connection c = connectionWithRefresh();
        Channel before = c.createChannel();
        String q = declareQueue();
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        before.basicConsume(q, true, (t, d) -> got.add(str(d.getBody())), t -> { });

        assertTrue(refresh.updateSecret(), "update-secret-ok expected");
        assertTrue(c.isOpen());

        ch.basicPublish("", q, null, utf8("after update"));
        assertEquals("after update", got.poll(5, TimeUnit.SECONDS), "the existing consumer still receives");
        Channel after = c.createChannel();
        after.queueDeclarePassive(q);
        after.basicPublish("", q, null, utf8("from a new channel"));
        assertEquals("from a new channel", got.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void repeatedUpdatesAreEachAnswered() throws Exception {
        Connection c = connectionWithRefresh();
        Channel channel = c.createChannel();
        for (int i = 0; i < 5; i++) {
            assertTrue(refresh.updateSecret(), "update " + i);
            channel.queueDeclarePassive(declareQueue());
        }
        assertTrue(c.isOpen());
    }

    @Test
    void updatesInterleavedWithPublishingLoseNothing() throws Exception {
        Connection c = connectionWithRefresh();
        Channel channel = c.createChannel();
        channel.confirmSelect();
        String q = declareQueue();
        for (int i = 0; i < 200; i++) {
            channel.basicPublish("", q, null, utf8("m" + i));
            if (i % 50 == 0) {
                assertTrue(refresh.updateSecret());
            }
        }
        channel.waitForConfirmsOrDie(5_000);
        assertEquals(200, channel.messageCount(q));
    }

    /**
     * RabbitMQ's internal user database does not re-check a new secret (its credentials never expire), so an update
     * to a different password is accepted and changes nothing for the open connection.
     */
    @Test
    void theInternalBackendAcceptsAnyNewSecret() throws Exception {
        Connection c = connectionWithRefresh();
        credentials.password = "not-the-password";
        assertTrue(refresh.updateSecret(), "update-secret-ok expected");
        Thread.sleep(200);
        assertTrue(c.isOpen());
        Channel channel = c.createChannel();
        channel.queueDeclarePassive(declareQueue());
    }
}
