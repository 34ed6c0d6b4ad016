package io.warren.embedded;

import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;

import static io.warren.embedded.EmbeddedWarrenTest.factory;
import static io.warren.embedded.EmbeddedWarrenTest.roundTrip;
import static org.junit.jupiter.api.Assertions.*;

/** The JUnit 5 extension: one broker per class, or one per test, injected as a parameter. */
class EmbeddedWarrenExtensionTest {

    /** On a class: one broker for all its tests, closed after the last. */
    @Nested
    @ExtendWith(EmbeddedWarrenExtension.class)
    class PerClass {
        private static EmbeddedWarren seenInBeforeAll;

        @BeforeAll
        static void beforeAll(EmbeddedWarren warren) {
            seenInBeforeAll = warren;
        }

        @Test
        void testsShareTheClassBroker(EmbeddedWarren warren, URI uri) throws Exception {
            assertSame(seenInBeforeAll, warren);
            assertEquals(URI.create(warren.amqpUri()), uri);
            roundTrip(uri.toString(), "per-class");
        }

        @Test
        void aSecondTestGetsTheSameBroker(EmbeddedWarren warren) {
            assertSame(seenInBeforeAll, warren);
        }

        @AfterAll
        static void stillRunningInAfterAll(EmbeddedWarren warren) throws Exception {
            try (Connection c = factory(warren.amqpUri()).newConnection()) {
                assertTrue(c.isOpen());
            }
        }
    }

    /** As an instance field: each test has its own broker, configured by the customizer. */
    @Nested
    class PerTest {
        @RegisterExtension
        final EmbeddedWarrenExtension warren = new EmbeddedWarrenExtension(b -> b.user("app", "secret"));

        @Test
        void customizedBroker(EmbeddedWarren warren) throws Exception {
            roundTrip("amqp://app:secret@127.0.0.1:" + warren.amqpPort(), "per-test");
        }
    }

    private static int closedPort;

    /** A broker made for one test is closed when that test ends. */
    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class MethodLevel {
        @Test
        @Order(1)
        @ExtendWith(EmbeddedWarrenExtension.class)
        void first(EmbeddedWarren warren) throws Exception {
            roundTrip(warren.amqpUri(), "method");
            closedPort = warren.amqpPort();
        }

        @Test
        @Order(2)
        void afterwardsItsPortIsClosed() {
            assertTrue(closedPort > 0, "runs after first()");
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", closedPort).close());
        }
    }
}
