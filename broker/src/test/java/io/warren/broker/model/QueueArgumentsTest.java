package io.warren.broker.model;

import io.warren.broker.error.ChannelException;
import io.warren.codec.Timestamp;
import io.warren.codec.UnsignedByte;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing and the 406 texts; the texts were read off RabbitMQ 3.10.8 (QueueArgumentValidationTest checks both). */
class QueueArgumentsTest {
    private static final String Q = "queue 'q' in vhost '/'";

    private static String refused(Map<String, Object> args) {
        ChannelException e = assertThrows(ChannelException.class, () -> QueueArguments.parse(args, Q));
        assertEquals(406, e.replyCode());
        return e.replyText();
    }

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void parsesEverySetting() {
        QueueArguments a = QueueArguments.parse(args("x-message-ttl", 100, "x-expires", 5000L, "x-dead-letter-exchange", "",
                "x-dead-letter-routing-key", "dead", "x-max-length", (short) 3, "x-max-length-bytes", new UnsignedByte(200),
                "x-overflow", "reject-publish-dlx", "x-max-priority", (byte) 10, "x-single-active-consumer", true), Q);
        assertEquals(100, a.messageTtl());
        assertEquals(5000, a.expires());
        assertEquals("", a.deadLetterExchange());
        assertEquals("dead", a.deadLetterRoutingKey());
        assertEquals(3, a.maxLength());
        assertEquals(200, a.maxLengthBytes());
        assertEquals(QueueArguments.Overflow.REJECT_PUBLISH_DLX, a.overflow());
        assertEquals(10, a.maxPriority());
        assertTrue(a.singleActiveConsumer());
        assertEquals(QueueArguments.Overflow.DROP_HEAD, QueueArguments.parse(Map.of("x-unknown", 1), Q).overflow());
    }

    @Test
    void refusesWithRabbitMqTexts() {
        String p = "PRECONDITION_FAILED - invalid arg ";
        assertEquals(p + "'x-message-ttl' for " + Q + ": {value_negative,-1}", refused(args("x-message-ttl", -1)));
        assertEquals(p + "'x-message-ttl' for " + Q + ": \"expected integer, got longstr\"", refused(args("x-message-ttl", "1")));
        assertEquals(p + "'x-message-ttl' for " + Q + ": {value_too_large,315360000001}",
                refused(args("x-message-ttl", 315_360_000_001L)));
        assertEquals(p + "'x-expires' for " + Q + ": {value_zero,0}", refused(args("x-expires", 0)));
        assertEquals(p + "'x-expires' for " + Q + ": \"expected integer, got timestamp\"",
                refused(args("x-expires", new Timestamp(1))));
        assertEquals("PRECONDITION_FAILED - invalid type 'signedint' for arg 'x-dead-letter-exchange' in " + Q,
                refused(args("x-dead-letter-exchange", 5)));
        assertEquals(p + "'x-dead-letter-routing-key' for " + Q + ": routing_key_but_no_dlx_defined",
                refused(args("x-dead-letter-routing-key", "k")));
        assertEquals(p + "'x-max-priority' for " + Q + ": {max_value_exceeded,256}", refused(args("x-max-priority", 256)));
        assertEquals(p + "'x-overflow' for " + Q + ": invalid_overflow", refused(args("x-overflow", "x")));
        assertEquals(p + "'x-overflow' for " + Q + ": {unacceptable_type,signedint}", refused(args("x-overflow", 1)));
        assertEquals(p + "'x-queue-mode' for " + Q + ": \"unsupported queue mode 'x'\"", refused(args("x-queue-mode", "x")));
        assertEquals(p + "'x-single-active-consumer' for " + Q + ": {unacceptable_type,longstr}",
                refused(args("x-single-active-consumer", "true")));
        assertEquals(p + "'x-max-length' for " + Q + ": \"expected integer, got array\"", refused(args("x-max-length", List.of(1))));
        assertEquals(p + "'x-delivery-limit' for " + Q + " of queue type rabbit_classic_queue",
                refused(args("x-delivery-limit", 5)));
    }

    @Test
    void reportsTheFirstBadArgumentInRabbitMqsOrder() {
        assertTrue(refused(args("x-max-length", -1, "x-message-ttl", -1)).contains("'x-message-ttl'"));
        assertTrue(refused(args("x-max-age", "1D", "x-max-length", -1)).contains("'x-max-length'"),
                "value checks come before the queue-type check");
        assertTrue(refused(args("x-message-ttl", -1, "x-dead-letter-exchange", 5)).contains("invalid type"));
    }
}
