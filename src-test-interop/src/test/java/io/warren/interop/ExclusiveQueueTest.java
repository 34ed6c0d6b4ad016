package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exclusive queues seen from their owner and from another connection. */
class ExclusiveQueueTest extends InteropTestBase {

    private String q;
    private Connection other;
    private Channel och;

    @BeforeEach
    void declareExclusiveQueue() throws Exception {
        q = queueName("excl");
        ch.queueDeclare(q, false, true, false, null);
        other = newConnection();
        och = other.createChannel();
    }

    private String lockedText(String name) {
        return "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '" + name + "' in vhost '/'."
                + " It could be originally declared on another connection or the exclusive property value does not"
                + " match that of the original declaration.";
    }

    @Test
    void ownerCanUseItFromAnyChannel() throws Exception {
        Channel c2 = conn.createChannel();
        c2.queueDeclare(q, false, true, false, null);
        c2.queueDeclarePassive(q);
        c2.basicPublish("", q, null, "mine".getBytes(StandardCharsets.UTF_8));
        assertNotNull(getOrFail(c2, q, true));
        c2.basicConsume(q, true, (t, d) -> { }, t -> { });
    }

    @Test
    void anotherConnectionCanPublishToIt() throws Exception {
        och.basicPublish("", q, null, "from outside".getBytes(StandardCharsets.UTF_8));
        assertEquals("from outside", new String(getOrFail(ch, q, true).getBody(), StandardCharsets.UTF_8));
        assertTrue(och.isOpen());
    }

    @Test
    void declareFromAnotherConnectionIs405() {
        assertEquals(lockedText(q), assertChannelError(405, och, () -> och.queueDeclare(q, false, true, false, null)));
    }

    @Test
    void nonExclusiveDeclareFromAnotherConnectionIs405() {
        assertEquals(lockedText(q), assertChannelError(405, och, () -> och.queueDeclare(q, false, false, false, null)));
    }

    @Test
    void passiveDeclareFromAnotherConnectionIs405() {
        assertEquals(lockedText(q), assertChannelError(405, och, () -> och.queueDeclarePassive(q)));
    }

    @Test
    void consumeFromAnotherConnectionIs405() {
        assertEquals(lockedText(q), assertChannelError(405, och,
                () -> och.basicConsume(q, true, (t, d) -> { }, t -> { })));
    }

    @Test
    void getFromAnotherConnectionIs405() {
        assertEquals(lockedText(q), assertChannelError(405, och, () -> och.basicGet(q, true)));
    }

    @Test
    void deleteFromAnotherConnectionIs405() throws Exception {
        assertEquals(lockedText(q), assertChannelError(405, och, () -> och.queueDelete(q)));
        ch.queueDeclarePassive(q);
    }

    @Test
    void purgeFromAnotherConnectionIs405() {
        assertEquals(lockedText(q), assertChannelError(405, och, () -> och.queuePurge(q)));
    }

    @Test
    void serverNamedExclusiveQueueFromAnotherConnection() throws Exception {
        String gen = ch.queueDeclare().getQueue(); // exclusive, auto-delete, server-named
        assertTrue(gen.startsWith("amq.gen-"));
        // a non-passive declare of an amq.* name is refused before the exclusivity check (403, not 405)
        String text = assertChannelError(403, och, () -> och.queueDeclare(gen, false, true, true, null));
        assertEquals("ACCESS_REFUSED - queue name '" + gen + "' contains reserved prefix 'amq.*'", text);
        Channel c2 = other.createChannel();
        assertEquals(lockedText(gen), assertChannelError(405, c2, () -> c2.queueDeclarePassive(gen)));
        Channel c3 = other.createChannel();
        assertEquals(lockedText(gen), assertChannelError(405, c3, () -> c3.basicConsume(gen, true, (t, d) -> { }, t -> { })));
        // even its owner may not redeclare it non-passively (RabbitMQ refuses any non-passive amq.* declare) ...
        assertEquals("ACCESS_REFUSED - queue name '" + gen + "' contains reserved prefix 'amq.*'",
                assertChannelError(403, ch, () -> ch.queueDeclare(gen, false, true, true, null)));
        // ... but passively it may
        conn.createChannel().queueDeclarePassive(gen);
    }

    @Test
    void declaringAnAmqPrefixedQueueIs403() {
        String name = "amq.custom-" + uniqueName("q");
        String text = assertChannelError(403, ch, () -> ch.queueDeclare(name, false, false, false, null));
        assertEquals("ACCESS_REFUSED - queue name '" + name + "' contains reserved prefix 'amq.*'", text);
    }

    @Test
    void exclusiveQueueVanishesWhenItsConnectionCloses() throws Exception {
        Connection owner = newConnection();
        Channel oc = owner.createChannel();
        String mine = queueName("owned");
        oc.queueDeclare(mine, false, true, false, null);
        String gen = oc.queueDeclare().getQueue();
        och.queueDelete(uniqueName("noop")); // warm up
        owner.close();
        for (String name : new String[]{mine, gen}) {
            Channel probe = other.createChannel();
            assertEquals("NOT_FOUND - no queue '" + name + "' in vhost '/'",
                    assertChannelError(404, probe, () -> probe.queueDeclarePassive(name)));
        }
        // and the name is free for another connection
        Channel c = other.createChannel();
        c.queueDeclare(mine, false, true, false, null);
    }

    @Test
    void exclusiveQueueSurvivesItsChannelClosing() throws Exception {
        Channel c2 = conn.createChannel();
        String name = queueName("chan");
        c2.queueDeclare(name, false, true, false, null);
        c2.close();
        ch.queueDeclarePassive(name);
    }
}
