package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Durable definitions survive a broker restart, transient and exclusive ones do not (the storage
 * issue, item 1). Messages are not covered here: persistent messages are still kept in memory.
 */
@Timeout(120)
class DurableTopologyTest {
    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated();

    @BeforeEach
    void onlyWarren() {
        assumeFalse(WarrenBroker.external(), "restarts the broker process");
    }

    private static GetResponse get(Channel ch, String q) throws Exception {
        for (int i = 0; i < 100; i++) {
            GetResponse r = ch.basicGet(q, true);
            if (r != null) {
                return r;
            }
            Thread.sleep(20);
        }
        return null;
    }

    @Test
    void durableExchangesQueuesAndBindingsComeBackTransientOnesDoNot() throws Exception {
        Map<String, Object> args = Map.of("x-max-length", 100L, "x-queue-mode", "lazy");
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            ch.exchangeDeclare("dt.topic", "topic", true, false, Map.of("alternate-exchange", "dt.ae"));
            ch.exchangeDeclare("dt.ae", "fanout", true);
            ch.exchangeDeclare("dt.fan", "fanout", true);
            ch.exchangeDeclare("dt.transient", "direct", false);
            ch.queueDeclare("dt.q", true, false, false, args);
            ch.queueDeclare("dt.unrouted", true, false, false, null);
            ch.queueDeclare("dt.transient.q", false, false, false, null);
            ch.queueDeclare("dt.exclusive", true, true, false, null);
            ch.queueBind("dt.q", "dt.topic", "a.#");
            ch.exchangeBind("dt.fan", "dt.topic", "b.*");
            ch.queueBind("dt.q", "dt.fan", "");
            ch.queueBind("dt.unrouted", "dt.ae", "");
            ch.queueDeclare("dt.gone", true, false, false, null);
            ch.queueBind("dt.gone", "dt.topic", "c");
            ch.queueDelete("dt.gone");
        }
        broker.restart();
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = c.createChannel();
            ch.exchangeDeclarePassive("dt.topic");
            ch.exchangeDeclarePassive("dt.fan");
            ch.queueDeclarePassive("dt.q");
            ch.queueDeclare("dt.q", true, false, false, args); // same arguments: still equivalent
            ch.basicPublish("dt.topic", "a.x", null, "by key".getBytes(StandardCharsets.UTF_8));
            ch.basicPublish("dt.topic", "b.y", null, "via e2e".getBytes(StandardCharsets.UTF_8));
            ch.basicPublish("dt.topic", "z", null, "via ae".getBytes(StandardCharsets.UTF_8));
            assertEquals("by key", new String(get(ch, "dt.q").getBody(), StandardCharsets.UTF_8));
            assertEquals("via e2e", new String(get(ch, "dt.q").getBody(), StandardCharsets.UTF_8));
            assertNotNull(get(ch, "dt.unrouted"), "the alternate-exchange argument came back");

            Channel bad = c.createChannel();
            IOException e = assertThrows(IOException.class,
                    () -> bad.queueDeclare("dt.q", true, false, false, Map.of("x-max-length", 5L)));
            assertEquals(406, ((com.rabbitmq.client.AMQP.Channel.Close)
                    ((com.rabbitmq.client.ShutdownSignalException) e.getCause()).getReason()).getReplyCode());

            for (String[] gone : new String[][]{{"exchange", "dt.transient"}, {"queue", "dt.transient.q"},
                    {"queue", "dt.exclusive"}, {"queue", "dt.gone"}}) {
                Channel probe = c.createChannel();
                IOException nf = assertThrows(IOException.class, () -> {
                    if (gone[0].equals("exchange")) {
                        probe.exchangeDeclarePassive(gone[1]);
                    } else {
                        probe.queueDeclarePassive(gone[1]);
                    }
                }, gone[1] + " must not survive a restart");
                assertEquals(404, ((com.rabbitmq.client.AMQP.Channel.Close)
                        ((com.rabbitmq.client.ShutdownSignalException) nf.getCause()).getReason()).getReplyCode());
            }
            Channel clean = c.createChannel();
            clean.exchangeDelete("dt.topic");
            clean.exchangeDelete("dt.fan");
            clean.exchangeDelete("dt.ae");
            clean.queueDelete("dt.q");
            clean.queueDelete("dt.unrouted");
        }
        broker.restart();
        try (Connection c = broker.connectionFactory().newConnection()) {
            Channel probe = c.createChannel();
            assertThrows(IOException.class, () -> probe.queueDeclarePassive("dt.q"), "deleted stays deleted");
        }
    }
}
