package io.warren.interop;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * queue.declare argument checks: wrong types and values are refused with 406 and RabbitMQ 3.10.8's text (an Erlang
 * term after the colon), the first bad one in RabbitMQ's order; valid ones of every integer width are accepted; the
 * consumer argument x-priority likewise. Redeclaring with other arguments is 406 too (see also QueueTest).
 */
class QueueArgumentValidationTest extends InteropTestBase {

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(args("x-message-ttl", -1), "'x-message-ttl'", "{value_negative,-1}"),
                Arguments.of(args("x-message-ttl", "1000"), "'x-message-ttl'", "\"expected integer, got longstr\""),
                Arguments.of(args("x-message-ttl", true), "'x-message-ttl'", "\"expected integer, got bool\""),
                Arguments.of(args("x-message-ttl", 1.5d), "'x-message-ttl'", "\"expected integer, got double\""),
                Arguments.of(args("x-message-ttl", 1.5f), "'x-message-ttl'", "\"expected integer, got float\""),
                Arguments.of(args("x-message-ttl", new BigDecimal("1.5")), "'x-message-ttl'", "\"expected integer, got decimal\""),
                Arguments.of(args("x-message-ttl", new Date(1000)), "'x-message-ttl'", "\"expected integer, got timestamp\""),
                Arguments.of(args("x-message-ttl", new byte[]{1}), "'x-message-ttl'", "\"expected integer, got binary\""),
                Arguments.of(args("x-message-ttl", 315_360_000_001L), "'x-message-ttl'", "{value_too_large,315360000001}"),
                Arguments.of(args("x-expires", 0), "'x-expires'", "{value_zero,0}"),
                Arguments.of(args("x-expires", -5), "'x-expires'", "{value_negative,-5}"),
                Arguments.of(args("x-expires", "x"), "'x-expires'", "\"expected integer, got longstr\""),
                Arguments.of(args("x-expires", 315_360_000_001L), "'x-expires'", "{value_too_large,315360000001}"),
                Arguments.of(args("x-dead-letter-routing-key", "k"), "'x-dead-letter-routing-key'",
                        "routing_key_but_no_dlx_defined"),
                Arguments.of(args("x-dead-letter-exchange", "", "x-dead-letter-routing-key", 5),
                        "'x-dead-letter-routing-key'", "{unacceptable_type,signedint}"),
                Arguments.of(args("x-max-length", -1), "'x-max-length'", "{value_negative,-1}"),
                Arguments.of(args("x-max-length", "1"), "'x-max-length'", "\"expected integer, got longstr\""),
                Arguments.of(args("x-max-length", List.of(1)), "'x-max-length'", "\"expected integer, got array\""),
                Arguments.of(args("x-max-length", Map.of("a", 1)), "'x-max-length'", "\"expected integer, got table\""),
                Arguments.of(args("x-max-length-bytes", -2L), "'x-max-length-bytes'", "{value_negative,-2}"),
                Arguments.of(args("x-max-priority", 256), "'x-max-priority'", "{max_value_exceeded,256}"),
                Arguments.of(args("x-max-priority", -1), "'x-max-priority'", "{value_negative,-1}"),
                Arguments.of(args("x-max-priority", "a"), "'x-max-priority'", "\"expected integer, got longstr\""),
                Arguments.of(args("x-overflow", "foo"), "'x-overflow'", "invalid_overflow"),
                Arguments.of(args("x-overflow", 1), "'x-overflow'", "{unacceptable_type,signedint}"),
                Arguments.of(args("x-queue-mode", "x"), "'x-queue-mode'", "\"unsupported queue mode 'x'\""),
                Arguments.of(args("x-queue-mode", 5), "'x-queue-mode'", "{unacceptable_type,signedint}"),
                Arguments.of(args("x-queue-version", 3), "'x-queue-version'", "\"unsupported queue version '3'\""),
                Arguments.of(args("x-single-active-consumer", 1), "'x-single-active-consumer'", "{unacceptable_type,signedint}"),
                Arguments.of(args("x-single-active-consumer", "true"), "'x-single-active-consumer'", "{unacceptable_type,longstr}"),
                Arguments.of(args("x-queue-type", "x"), "'x-queue-type'", "\"unsupported queue type 'x'\""),
                Arguments.of(args("x-queue-type", 5), "'x-queue-type'", "{unacceptable_type,signedint}"),
                // several bad ones: the first in RabbitMQ's check order wins, whatever the table order
                Arguments.of(args("x-max-length", -1, "x-expires", -1), "'x-expires'", "{value_negative,-1}"),
                Arguments.of(args("x-overflow", "z", "x-message-ttl", -1), "'x-message-ttl'", "{value_negative,-1}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void invalidArgumentIs406(Map<String, Object> args, String key, String reason) {
        String q = queueName("bad");
        String text = assertChannelError(406, ch, () -> ch.queueDeclare(q, false, false, false, args));
        assertEquals("PRECONDITION_FAILED - invalid arg " + key + " for queue '" + q + "' in vhost '/': " + reason, text);
    }

    @Test
    void deadLetterExchangeOfTheWrongTypeIsCheckedFirst() {
        String q = queueName("bad");
        String text = assertChannelError(406, ch, () -> ch.queueDeclare(q, false, false, false,
                args("x-message-ttl", -1, "x-dead-letter-exchange", 5)));
        assertEquals("PRECONDITION_FAILED - invalid type 'signedint' for arg 'x-dead-letter-exchange' in queue '" + q
                + "' in vhost '/'", text);
    }

    @Test
    void argumentsOfOtherQueueTypesAreRefusedAfterTheValueChecks() throws Exception {
        for (String key : List.of("x-max-in-memory-length", "x-delivery-limit", "x-max-age", "x-queue-leader-locator")) {
            Channel c = conn.createChannel();
            String q = queueName("other");
            String text = assertChannelError(406, c, () -> c.queueDeclare(q, false, false, false, args(key, "1D")));
            assertEquals("PRECONDITION_FAILED - invalid arg '" + key + "' for queue '" + q
                    + "' in vhost '/' of queue type rabbit_classic_queue", text);
        }
        String q = queueName("order");
        String text = assertChannelError(406, ch, () -> ch.queueDeclare(q, false, false, false,
                args("x-max-age", "1D", "x-max-length", -1)));
        assertEquals("PRECONDITION_FAILED - invalid arg 'x-max-length' for queue '" + q + "' in vhost '/': {value_negative,-1}",
                text);
    }

    @Test
    void validArgumentsOfEveryIntegerWidthAreAccepted() throws Exception {
        Map<String, Object> all = args("x-message-ttl", (byte) 100, "x-expires", (short) 30000, "x-max-length", 10,
                "x-max-length-bytes", 100_000L, "x-max-priority", 255, "x-overflow", "reject-publish-dlx",
                "x-dead-letter-exchange", "", "x-dead-letter-routing-key", "somewhere", "x-queue-mode", "lazy",
                "x-queue-version", 2, "x-single-active-consumer", false, "x-queue-type", "classic",
                "x-queue-master-locator", "client-local", "x-some-unknown-argument", new byte[]{1});
        String q = queueName("ok");
        ch.queueDeclare(q, true, false, false, all);
        ch.queueDeclare(q, true, false, false, all); // the same again is fine
        assertEquals(0, ch.queueDeclarePassive(q).getMessageCount());
        String q2 = queueName("ok2");
        ch.queueDeclare(q2, false, false, false, args("x-message-ttl", 315_360_000_000L, "x-max-length", 0,
                "x-max-priority", 0, "x-expires", 315_360_000_000L, "x-overflow", "drop-head"));
    }

    @Test
    void redeclaringWithAnotherTtlIs406() throws Exception {
        String q = queueName();
        ch.queueDeclare(q, false, false, false, args("x-message-ttl", 1000));
        String text = assertChannelError(406, ch, () -> ch.queueDeclare(q, false, false, false, args("x-message-ttl", 2000)));
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue '" + q
                + "' in vhost '/': received '2000' but current is '1000'", text);
        Channel c2 = conn.createChannel();
        String none = assertChannelError(406, c2, () -> c2.queueDeclare(q, false, false, false, null));
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue '" + q
                + "' in vhost '/': received none but current is the value '1000' of type 'signedint'", none);
    }

    @Test
    void consumerPriorityMustBeAnInteger() throws Exception {
        String q = declareQueue();
        Map<String, Object> bad = new HashMap<>();
        bad.put("x-priority", "high");
        String text = assertChannelError(406, ch, () -> ch.basicConsume(q, true, bad, (t, d) -> { }, t -> { }));
        assertEquals("PRECONDITION_FAILED - invalid arg 'x-priority' for queue '" + q
                + "' in vhost '/': \"expected integer, got longstr\"", text);
        Channel c2 = conn.createChannel();
        c2.basicConsume(q, true, Map.of("x-priority", (short) 3), (t, d) -> { }, t -> { });
        c2.basicConsume(q, true, Map.of("x-priority", -7L), (t, d) -> { }, t -> { });
    }
}
