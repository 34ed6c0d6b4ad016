package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.warren.interop.BasicTest.str;
import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Consumer cancel notifications: when a consumed queue is deleted the broker sends basic.cancel to each of its
 * consumers (amqp-client calls handleCancel, not handleCancelOk); the channel and connection stay open.
 */
class CancelNotificationTest extends InteropTestBase {

    /** Records "deliver body", "cancel tag", "cancelOk tag" and "shutdown". */
    static final class Recorder extends DefaultConsumer {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        Recorder(Channel c) {
            super(c);
        }

        @Override
        public void handleDelivery(String tag, Envelope e, AMQP.BasicProperties p, byte[] body) {
            events.add("deliver " + str(body));
        }

        @Override
        public void handleCancel(String tag) {
            events.add("cancel " + tag);
        }

        @Override
        public void handleCancelOk(String tag) {
            events.add("cancelOk " + tag);
        }

        @Override
        public void handleShutdownSignal(String tag, com.rabbitmq.client.ShutdownSignalException sig) {
            events.add("shutdown");
        }
    }

    @Test
    void theBrokerAnnouncesConsumerCancelNotify() {
        Object caps = conn.getServerProperties().get("capabilities");
        assertInstanceOf(Map.class, caps);
        assertEquals(Boolean.TRUE, ((Map<?, ?>) caps).get("consumer_cancel_notify"));
    }

    @Test
    void deletingAQueueCancelsItsConsumer() throws Exception {
        String q = declareQueue();
        Recorder r = new Recorder(ch);
        String tag = ch.basicConsume(q, true, r);
        conn.createChannel().queueDelete(q);
        assertEquals("cancel " + tag, r.events.poll(5, TimeUnit.SECONDS));
        assertNull(r.events.poll(200, TimeUnit.MILLISECONDS));
        assertTrue(ch.isOpen(), "a cancel notification does not close the channel");
        ch.queueDeclarePassive(declareQueue());
    }

    @Test
    void everyConsumerOnEveryChannelAndConnectionIsNotified() throws Exception {
        String q = declareQueue();
        List<Channel> channels = List.of(ch, ch, conn.createChannel(), newConnection().createChannel());
        List<Recorder> recorders = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (Channel c : channels) {
            Recorder r = new Recorder(c);
            recorders.add(r);
            tags.add(c.basicConsume(q, false, r));
        }
        Channel deleter = newConnection().createChannel();
        assertEquals(0, deleter.queueDelete(q).getMessageCount());
        for (int i = 0; i < recorders.size(); i++) {
            assertEquals("cancel " + tags.get(i), recorders.get(i).events.poll(5, TimeUnit.SECONDS));
        }
        for (Channel c : channels) {
            assertTrue(c.isOpen());
        }
    }

    @Test
    void otherConsumersOnTheChannelKeepReceiving() throws Exception {
        String doomed = declareQueue();
        String kept = declareQueue();
        Recorder r1 = new Recorder(ch);
        Recorder r2 = new Recorder(ch);
        String tag1 = ch.basicConsume(doomed, false, r1);
        ch.basicConsume(kept, true, r2);
        ch.basicPublish("", doomed, null, utf8("unacked"));
        assertEquals("deliver unacked", r1.events.poll(5, TimeUnit.SECONDS));
        conn.createChannel().queueDelete(doomed);
        assertEquals("cancel " + tag1, r1.events.poll(5, TimeUnit.SECONDS));
        ch.basicAck(1, false); // the unacked delivery of a deleted queue may still be acked
        ch.basicPublish("", kept, null, utf8("still here"));
        assertEquals("deliver still here", r2.events.poll(5, TimeUnit.SECONDS));
        ch.queueDeclarePassive(kept); // no 406 from the ack: the channel is fine
    }

    @Test
    void aCancelledTagMayBeReusedOnTheChannel() throws Exception {
        String q1 = declareQueue();
        String q2 = declareQueue();
        Recorder r = new Recorder(ch);
        String tag = "reused-" + uniqueName("tag");
        ch.basicConsume(q1, true, tag, r);
        conn.createChannel().queueDelete(q1);
        assertEquals("cancel " + tag, r.events.poll(5, TimeUnit.SECONDS));
        Recorder r2 = new Recorder(ch);
        assertEquals(tag, ch.basicConsume(q2, true, tag, r2), "the server forgot the cancelled consumer");
        ch.basicPublish("", q2, null, utf8("again"));
        assertEquals("deliver again", r2.events.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void cancellingANotifiedConsumerIsHarmless() throws Exception {
        String q = declareQueue();
        Recorder r = new Recorder(ch);
        String tag = ch.basicConsume(q, true, r);
        conn.createChannel().queueDelete(q);
        assertEquals("cancel " + tag, r.events.poll(5, TimeUnit.SECONDS));
        // amqp-client has already dropped the consumer; a raw cancel of the tag is answered with cancel-ok
        ch.asyncCompletableRpc(new AMQP.Basic.Cancel.Builder().consumerTag(tag).build()).get(5, TimeUnit.SECONDS);
        assertTrue(ch.isOpen());
    }

    @Test
    void deletingAnAutoDeleteQueueByDeleteAlsoNotifies() throws Exception {
        String q = queueName("ad");
        ch.queueDeclare(q, false, false, true, null);
        Recorder r = new Recorder(ch);
        String tag = ch.basicConsume(q, true, r);
        newConnection().createChannel().queueDelete(q);
        assertEquals("cancel " + tag, r.events.poll(5, TimeUnit.SECONDS));
    }

    /**
     * With automatic recovery on, a server-sent cancel is not a failure: no recovery starts, the consumer is dropped
     * from the recorded topology, and the rest of the connection carries on.
     */
    @Test
    void automaticRecoveryIsNotDisturbed() throws Exception {
        ConnectionFactory f = factory();
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(true);
        f.setNetworkRecoveryInterval(500);
        Connection rc = track(f.newConnection("interop-cancel-recovery"));
        assertInstanceOf(Recoverable.class, rc);
        List<String> recovery = Collections.synchronizedList(new ArrayList<>());
        ((Recoverable) rc).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable r) {
                recovery.add("recovered");
            }

            @Override
            public void handleRecoveryStarted(Recoverable r) {
                recovery.add("started");
            }
        });
        Channel c = rc.createChannel();
        String doomed = declareQueue();
        String kept = declareQueue();
        Recorder r1 = new Recorder(c);
        Recorder r2 = new Recorder(c);
        String tag1 = c.basicConsume(doomed, true, r1);
        c.basicConsume(kept, true, r2);
        ch.queueDelete(doomed);
        assertEquals("cancel " + tag1, r1.events.poll(5, TimeUnit.SECONDS));
        Thread.sleep(500);
        assertTrue(recovery.isEmpty(), recovery.toString());
        assertTrue(rc.isOpen() && c.isOpen());
        ch.basicPublish("", kept, null, utf8("after the cancel"));
        assertEquals("deliver after the cancel", r2.events.poll(5, TimeUnit.SECONDS));
        // the channel still works for new consumers and declarations
        String fresh = queueName("fresh");
        c.queueDeclare(fresh, false, false, false, null);
        Recorder r3 = new Recorder(c);
        c.basicConsume(fresh, true, r3);
        ch.basicPublish("", fresh, null, utf8("new consumer"));
        assertEquals("deliver new consumer", r3.events.poll(5, TimeUnit.SECONDS));
        assertNull(r1.events.poll(100, TimeUnit.MILLISECONDS), "the cancelled consumer gets nothing more");
        assertTrue(recovery.isEmpty(), recovery.toString());
    }
}
