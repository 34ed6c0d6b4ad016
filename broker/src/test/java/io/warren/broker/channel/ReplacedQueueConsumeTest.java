package io.warren.broker.channel;

import io.warren.broker.error.ChannelException;
import io.warren.broker.model.AmqpQueue;
import io.warren.broker.model.QueueConsumer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A basic.consume that looked its queue up just before the object serving it was replaced (a quorum
 * queue whose node joined or left its group) attaches to the replacement instead of failing with 404.
 */
class ReplacedQueueConsumeTest {

    /** A queue object that takes consumers into {@code added}, or refuses them with 404 and names its replacement. */
    private static AmqpQueue queue(List<QueueConsumer> added, boolean refuses, AmqpQueue replacement) {
        return (AmqpQueue) Proxy.newProxyInstance(AmqpQueue.class.getClassLoader(), new Class<?>[]{AmqpQueue.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "addConsumer" -> {
                        if (refuses) {
                            throw ChannelException.noQueue("q", "/");
                        }
                        added.add((QueueConsumer) args[0]);
                        yield null;
                    }
                    case "replacement" -> replacement;
                    case "name" -> "q";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "queue 'q'";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ChannelConsumer consumer(AmqpQueue q) {
        return new ChannelConsumer(null, "ctag", q, false, false, 10, 0, Map.of());
    }

    @Test
    void aConsumeThatMeetsAReplacedQueueObjectAttachesToItsReplacement() {
        List<QueueConsumer> onNew = new ArrayList<>();
        AmqpQueue replacement = queue(onNew, false, null);
        AmqpQueue replaced = queue(new ArrayList<>(), true, replacement);
        ChannelConsumer c = consumer(replaced);
        ConsumeMethods.addTo(replaced, c);
        assertEquals(List.of(c), onNew);
        assertSame(replacement, c.queue(), "its cancel, details and resumes go to the object serving it");
    }

    @Test
    void aDeletedQueueStillAnswers404() {
        AmqpQueue deleted = queue(new ArrayList<>(), true, null);
        ChannelException e = assertThrows(ChannelException.class, () -> ConsumeMethods.addTo(deleted, consumer(deleted)));
        assertTrue(e.replyText().startsWith("NOT_FOUND"), e.replyText());
    }
}
