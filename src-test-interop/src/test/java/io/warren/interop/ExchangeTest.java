package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** exchange.declare / delete / bind / unbind and their errors. Routing itself is in {@link ExchangeRoutingTest}. */
class ExchangeTest extends InteropTestBase {

    @ParameterizedTest
    @ValueSource(strings = {"amq.direct", "amq.fanout", "amq.topic", "amq.headers", "amq.match"})
    void builtinExchangesExist(String name) throws Exception {
        assertNotNull(ch.exchangeDeclarePassive(name));
    }

    @Test
    void passiveDeclareOfTheDefaultExchangeIs403() {
        // RabbitMQ refuses every exchange.declare naming the default exchange, passive or not
        String text = assertChannelError(403, ch, () -> ch.exchangeDeclarePassive(""));
        assertEquals("ACCESS_REFUSED - operation not permitted on the default exchange", text);
    }

    @Test
    void redeclaringABuiltinExchangeEquivalentlySucceeds() throws Exception {
        ch.exchangeDeclare("amq.direct", "direct", true);
        ch.exchangeDeclare("amq.topic", "topic", true, false, null);
        String text = assertChannelError(406, ch, () -> ch.exchangeDeclare("amq.fanout", "direct", true));
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'amq.fanout' in vhost '/':"
                + " received 'direct' but current is 'fanout'", text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "fanout", "topic", "headers"})
    void declareEachTypeIdempotently(String type) throws Exception {
        String x = exchangeName(type);
        assertInstanceOf(AMQP.Exchange.DeclareOk.class, ch.exchangeDeclare(x, type));
        ch.exchangeDeclare(x, type); // same again is fine
        ch.exchangeDeclare(x, type, false, false, null);
        ch.exchangeDeclarePassive(x);
        Channel other = newConnection().createChannel();
        other.exchangeDeclarePassive(x); // exchanges are not connection-scoped
    }

    @Test
    void declareDurableAutoDeleteAndInternal() throws Exception {
        String durable = exchangeName("durable");
        ch.exchangeDeclare(durable, BuiltinExchangeType.TOPIC, true);
        String auto = exchangeName("auto");
        ch.exchangeDeclare(auto, BuiltinExchangeType.FANOUT, false, true, null);
        String internal = exchangeName("internal");
        ch.exchangeDeclare(internal, "direct", false, false, true, null);
        for (String x : new String[]{durable, auto, internal}) {
            ch.exchangeDeclarePassive(x);
        }
        // redeclaring with the same flags is fine
        ch.exchangeDeclare(durable, BuiltinExchangeType.TOPIC, true);
        ch.exchangeDeclare(internal, "direct", false, false, true, null);
    }

    @Test
    void passiveDeclareOfMissingExchangeIs404() {
        String x = uniqueName("missing");
        String text = assertChannelError(404, ch, () -> ch.exchangeDeclarePassive(x));
        assertEquals("NOT_FOUND - no exchange '" + x + "' in vhost '/'", text);
    }

    @Test
    void redeclareWithAnotherTypeIs406() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct");
        String text = assertChannelError(406, ch, () -> ch.exchangeDeclare(x, "fanout"));
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'type' for exchange '" + x
                + "' in vhost '/': received 'fanout' but current is 'direct'", text);
    }

    @Test
    void redeclareWithAnotherDurabilityIs406() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct", false);
        String text = assertChannelError(406, ch, () -> ch.exchangeDeclare(x, "direct", true));
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'durable' for exchange '" + x
                + "' in vhost '/': received 'true' but current is 'false'", text);
    }

    @Test
    void redeclareWithAnotherAutoDeleteIs406() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct", false, false, null);
        String text = assertChannelError(406, ch, () -> ch.exchangeDeclare(x, "direct", false, true, null));
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'auto_delete' for exchange '" + x
                + "' in vhost '/': received 'true' but current is 'false'", text);
    }

    @Test
    void unknownExchangeTypeClosesTheConnectionWith503() {
        String x = uniqueName("badtype");
        String text = assertConnectionError(503, conn, () -> ch.exchangeDeclare(x, "no-such-type"));
        assertEquals("COMMAND_INVALID - unknown exchange type 'no-such-type'", text);
    }

    @Test
    void deleteExchange() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "fanout");
        assertInstanceOf(AMQP.Exchange.DeleteOk.class, ch.exchangeDelete(x));
        assertChannelError(404, ch, () -> ch.exchangeDeclarePassive(x));
    }

    @Test
    void deletingAMissingExchangeSucceeds() throws Exception {
        ch.exchangeDelete(uniqueName("never-declared"));
        ch.exchangeDelete(uniqueName("never-declared"), true);
        assertTrue(ch.isOpen());
    }

    @Test
    void deleteIfUnusedWithBindingsIs406() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct");
        String q = declareQueue();
        ch.queueBind(q, x, "k");
        String text = assertChannelError(406, ch, () -> ch.exchangeDelete(x, true));
        assertEquals("PRECONDITION_FAILED - exchange '" + x + "' in vhost '/' in use", text);
        Channel c = conn.createChannel();
        c.exchangeDeclarePassive(x); // still there
        c.queueUnbind(q, x, "k");
        c.exchangeDelete(x, true); // unused now
        assertChannelError(404, c, () -> c.exchangeDeclarePassive(x));
    }

    @Test
    void deleteIfUnusedCountsExchangeToExchangeBindingsAsSource() throws Exception {
        String src = exchangeName("src");
        String dst = exchangeName("dst");
        ch.exchangeDeclare(src, "fanout");
        ch.exchangeDeclare(dst, "fanout");
        ch.exchangeBind(dst, src, "");
        assertChannelError(406, ch, () -> ch.exchangeDelete(src, true));
    }

    @Test
    void deletingAnExchangeRemovesItsBindings() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "fanout");
        String q = declareQueue();
        ch.queueBind(q, x, "");
        ch.exchangeDelete(x);
        ch.exchangeDeclare(x, "fanout");
        ch.basicPublish(x, "", null, "lost".getBytes(StandardCharsets.UTF_8));
        ch.queueDeclarePassive(q); // a round trip after the publish
        assertEquals(0, ch.messageCount(q), "the old binding must be gone");
    }

    @ParameterizedTest
    @ValueSource(strings = {"amq.custom", "amq.Direct", "amq."})
    void declaringNewAmqPrefixedExchangesIs403(String name) {
        String text = assertChannelError(403, ch, () -> ch.exchangeDeclare(name, "direct", true));
        assertEquals("ACCESS_REFUSED - exchange name '" + name + "' contains reserved prefix 'amq.*'", text);
    }

    @Test
    void passiveDeclareOfMissingAmqExchangeIs404() {
        String text = assertChannelError(404, ch, () -> ch.exchangeDeclarePassive("amq.nonexistent"));
        assertEquals("NOT_FOUND - no exchange 'amq.nonexistent' in vhost '/'", text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"amq.direct", "amq.fanout"})
    void deletingAmqExchangesIs403(String name) throws Exception {
        String text = assertChannelError(403, ch, () -> ch.exchangeDelete(name));
        assertEquals("ACCESS_REFUSED - deletion of system exchange '" + name + "' in vhost '/' not allowed", text);
        conn.createChannel().exchangeDeclarePassive(name);
    }

    @Test
    void deletingTheDefaultExchangeIs403() {
        String text = assertChannelError(403, ch, () -> ch.exchangeDelete(""));
        assertEquals("ACCESS_REFUSED - operation not permitted on the default exchange", text);
    }

    @Test
    void bindingToTheDefaultExchangeIs403() throws Exception {
        String q = declareQueue();
        String text = assertChannelError(403, ch, () -> ch.queueBind(q, "", "other-key"));
        assertEquals("ACCESS_REFUSED - operation not permitted on the default exchange", text);
        Channel c = conn.createChannel();
        String text2 = assertChannelError(403, c, () -> c.queueUnbind(q, "", q));
        assertEquals("ACCESS_REFUSED - operation not permitted on the default exchange", text2);
    }

    @Test
    void publishingToAnInternalExchangeIs403() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "fanout", false, false, true, null);
        ch.basicPublish(x, "", null, "nope".getBytes(StandardCharsets.UTF_8));
        String text = awaitChannelError(403, ch);
        assertEquals("ACCESS_REFUSED - cannot publish to internal exchange '" + x + "' in vhost '/'", text);
    }

    @Test
    void internalExchangeReceivesThroughExchangeToExchangeBinding() throws Exception {
        String front = exchangeName("front");
        String internal = exchangeName("internal");
        ch.exchangeDeclare(front, "fanout");
        ch.exchangeDeclare(internal, "fanout", false, false, true, null);
        ch.exchangeBind(internal, front, "");
        String q = declareQueue();
        ch.queueBind(q, internal, "");
        ch.basicPublish(front, "", null, "via e2e".getBytes(StandardCharsets.UTF_8));
        assertEquals("via e2e", new String(getOrFail(ch, q, true).getBody(), StandardCharsets.UTF_8));
    }

    @Test
    void publishingToAMissingExchangeIs404() throws Exception {
        String x = uniqueName("missing");
        ch.basicPublish(x, "k", null, new byte[0]);
        String text = awaitChannelError(404, ch);
        assertEquals("NOT_FOUND - no exchange '" + x + "' in vhost '/'", text);
    }

    @Test
    void bindingErrors() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct");
        String q = declareQueue();
        String missingQ = uniqueName("missing-q");
        String missingX = uniqueName("missing-x");
        assertEquals("NOT_FOUND - no queue '" + missingQ + "' in vhost '/'",
                assertChannelError(404, ch, () -> ch.queueBind(missingQ, x, "k")));
        Channel c2 = conn.createChannel();
        assertEquals("NOT_FOUND - no exchange '" + missingX + "' in vhost '/'",
                assertChannelError(404, c2, () -> c2.queueBind(q, missingX, "k")));
        Channel c3 = conn.createChannel();
        assertEquals("NOT_FOUND - no exchange '" + missingX + "' in vhost '/'",
                assertChannelError(404, c3, () -> c3.exchangeBind(x, missingX, "k")));
    }

    @Test
    void bindingTwiceAndUnbindingAMissingBindingSucceed() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct");
        String q = declareQueue();
        ch.queueBind(q, x, "k");
        ch.queueBind(q, x, "k");
        ch.basicPublish(x, "k", null, "once".getBytes(StandardCharsets.UTF_8));
        awaitMessageCount(q, 1); // one binding, one copy
        ch.queueUnbind(q, x, "k");
        ch.queueUnbind(q, x, "k");
        ch.queueUnbind(q, x, "never-bound");
        assertTrue(ch.isOpen());
    }

    @Test
    void exchangeToExchangeBindAndUnbind() throws Exception {
        String src = exchangeName("src");
        String dst = exchangeName("dst");
        ch.exchangeDeclare(src, "direct");
        ch.exchangeDeclare(dst, "fanout");
        String q = declareQueue();
        ch.queueBind(q, dst, "");
        assertInstanceOf(AMQP.Exchange.BindOk.class, ch.exchangeBind(dst, src, "rk"));
        ch.basicPublish(src, "rk", null, "1".getBytes(StandardCharsets.UTF_8));
        ch.basicPublish(src, "other", null, "2".getBytes(StandardCharsets.UTF_8));
        assertEquals("1", new String(getOrFail(ch, q, true).getBody(), StandardCharsets.UTF_8));
        // unbind-ok is method 40/51 in RabbitMQ's dialect; amqp-client would not recognise anything else
        assertInstanceOf(AMQP.Exchange.UnbindOk.class, ch.exchangeUnbind(dst, src, "rk"));
        ch.basicPublish(src, "rk", null, "3".getBytes(StandardCharsets.UTF_8));
        ch.queueDeclarePassive(q);
        assertEquals(0, ch.messageCount(q));
    }

    @Test
    void autoDeleteExchangeVanishesWhenItsLastBindingGoes() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct", false, true, null);
        String q1 = declareQueue();
        String q2 = declareQueue();
        ch.queueBind(q1, x, "a");
        ch.queueBind(q2, x, "b");
        ch.queueUnbind(q1, x, "a");
        ch.exchangeDeclarePassive(x);
        ch.queueUnbind(q2, x, "b");
        assertChannelError(404, ch, () -> ch.exchangeDeclarePassive(x));
    }

    @Test
    void autoDeleteExchangeWithoutBindingsStays() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "direct", false, true, null);
        ch.exchangeDeclarePassive(x);
    }

    @Test
    void autoDeleteExchangeVanishesWhenItsBoundQueueIsDeleted() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "fanout", false, true, null);
        String q = declareQueue();
        ch.queueBind(q, x, "");
        ch.queueDelete(q);
        assertChannelError(404, ch, () -> ch.exchangeDeclarePassive(x));
    }

    @Test
    void exchangeArgumentsAreAccepted() throws Exception {
        String x = exchangeName();
        ch.exchangeDeclare(x, "topic", false, false, Map.of("x-custom", "v"));
        ch.exchangeDeclarePassive(x);
    }
}
