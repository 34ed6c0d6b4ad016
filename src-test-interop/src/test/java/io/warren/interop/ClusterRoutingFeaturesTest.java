package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.warren.interop.DeadLetterTest.assertDeath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RabbitMQ's routing features when the queues involved live on a node other than the publisher's
 * (a classic queue lives on the node of the connection that declared it): alternate exchanges,
 * dead-lettering (reject and TTL, with {@code x-death}), per-queue and per-message TTL, direct
 * reply-to, mandatory returns, transactions (publishes and acks), CC/BCC, and publisher confirms
 * that wait for every queue a message went to. Three real broker processes, one cluster for the class.
 *
 * <p>Topology is declared on the node that routes with it (its -ok means that node applied it), and
 * a queue on its home node, after which {@link #declareOn} waits until every node knows the queue.
 */
@Timeout(120)
class ClusterRoutingFeaturesTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String REPLY_TO = "amq.rabbitmq.reply-to";
    @RegisterExtension
    static final WarrenCluster cluster = WarrenCluster.of(3);

    @Test
    void anAlternateExchangeRoutesToAQueueOnAnotherNode() throws Exception {
        declareOn(2, "ae-target", null);
        try (Connection c1 = connect(1); Connection c3 = connect(3)) {
            Channel pub = c1.createChannel();
            pub.exchangeDeclare("ae", BuiltinExchangeType.FANOUT, false);
            pub.exchangeDeclare("with-ae", BuiltinExchangeType.DIRECT, false, false, Map.of("alternate-exchange", "ae"));
            pub.queueBind("ae-target", "ae", "");
            BlockingQueue<Integer> returns = returns(pub);
            pub.confirmSelect();
            pub.basicPublish("with-ae", "unbound-key", true, null, utf8("via the AE"));
            pub.waitForConfirmsOrDie(30_000);
            assertTrue(returns.isEmpty(), "the AE routed it: not returned");

            Received got = take(consume(c3.createChannel(), "ae-target", true));
            assertEquals("via the AE", got.body());
            assertEquals("with-ae", got.exchange(), "delivered with the exchange it was published to");
            assertEquals("unbound-key", got.routingKey());
        }
    }

    @Test
    void aRejectedMessageIsDeadLetteredToAQueueOnAThirdNode() throws Exception {
        declareOn(3, "rejected-dead", null);
        try (Connection c2 = connect(2); Channel ch = c2.createChannel()) {
            // the dead letter is routed on the home of the rejecting queue (n2): declared and bound there
            ch.exchangeDeclare("dlx-reject", BuiltinExchangeType.DIRECT, false);
            ch.queueBind("rejected-dead", "dlx-reject", "dead-key");
        }
        declareOn(2, "rejecting", Map.of("x-dead-letter-exchange", "dlx-reject", "x-dead-letter-routing-key", "dead-key"));
        try (Connection c1 = connect(1); Connection c3 = connect(3)) {
            Channel pub = c1.createChannel();
            pub.confirmSelect();
            pub.basicPublish("", "rejecting", new AMQP.BasicProperties.Builder().headers(Map.of("h", "v")).build(),
                    utf8("refuse me"));
            pub.waitForConfirmsOrDie(30_000);

            Channel sub = c1.createChannel();
            Received r = take(consume(sub, "rejecting", false));
            sub.basicReject(r.tag(), false);

            Received dead = take(consume(c3.createChannel(), "rejected-dead", true));
            assertEquals("refuse me", dead.body());
            assertEquals("v", dead.props().getHeaders().get("h").toString());
            assertEquals("dlx-reject", dead.exchange());
            assertEquals("dead-key", dead.routingKey());
            List<Map<String, Object>> deaths = deaths(dead.props());
            assertEquals(1, deaths.size());
            assertDeath(deaths.get(0), 1, "rejected", "rejecting", "", List.of("rejecting"), null);
            assertEquals("rejecting", dead.props().getHeaders().get("x-first-death-queue").toString());
            assertEquals("rejected", dead.props().getHeaders().get("x-first-death-reason").toString());
        }
    }

    @Test
    void messagesExpiredByQueueTtlOrTheirOwnAreGoneAndDeadLetteredAcrossNodes() throws Exception {
        declareOn(3, "expired-dead", null);
        try (Connection c2 = connect(2); Channel ch = c2.createChannel()) {
            ch.exchangeDeclare("dlx-ttl", BuiltinExchangeType.FANOUT, false);
            ch.queueBind("expired-dead", "dlx-ttl", "");
        }
        declareOn(2, "queue-ttl", Map.of("x-message-ttl", 100, "x-dead-letter-exchange", "dlx-ttl"));
        declareOn(2, "message-ttl", Map.of("x-dead-letter-exchange", "dlx-ttl"));
        try (Connection c1 = connect(1); Connection c3 = connect(3)) {
            BlockingQueue<Received> dead = consume(c3.createChannel(), "expired-dead", true);
            Channel pub = c1.createChannel();
            pub.confirmSelect();
            pub.basicPublish("", "queue-ttl", null, utf8("queue ttl"));
            pub.waitForConfirmsOrDie(30_000);
            Received first = take(dead);
            assertEquals("queue ttl", first.body());
            assertDeath(deaths(first.props()).get(0), 1, "expired", "queue-ttl", "", List.of("queue-ttl"), null);

            pub.basicPublish("", "message-ttl", new AMQP.BasicProperties.Builder().expiration("100").build(),
                    utf8("message ttl"));
            pub.waitForConfirmsOrDie(30_000);
            Received second = take(dead);
            assertEquals("message ttl", second.body());
            assertDeath(deaths(second.props()).get(0), 1, "expired", "message-ttl", "", List.of("message-ttl"), "100");
            assertNull(second.props().getExpiration(), "the expiration is removed from the dead letter");

            // gone from the queues they expired in, seen from a third node
            Channel get = c3.createChannel();
            assertNull(get.basicGet("queue-ttl", true));
            assertNull(get.basicGet("message-ttl", true));
        }
    }

    @Test
    void aQueueTtlExpiresMessagesPublishedThroughAnotherNode() throws Exception {
        declareOn(2, "ttl-only", Map.of("x-message-ttl", 100));
        try (Connection c1 = connect(1); Connection c2 = connect(2); Connection c3 = connect(3)) {
            Channel pub = c1.createChannel();
            pub.confirmSelect();
            pub.basicPublish("", "ttl-only", null, utf8("short-lived"));
            pub.waitForConfirmsOrDie(30_000); // n2 holds it now
            // nobody consumes: the home's own count (n2 knows the real one) falls to 0 when it expires;
            // no event tells a client that a message expired, so poll
            Channel home = c2.createChannel();
            Await.until("the message expired on n2", WAIT,
                    () -> home.queueDeclarePassive("ttl-only").getMessageCount() == 0);
            // and a message with a longer life of its own still expires at the queue's TTL (the lower wins)
            pub.basicPublish("", "ttl-only", new AMQP.BasicProperties.Builder().expiration("600000").build(),
                    utf8("capped"));
            pub.waitForConfirmsOrDie(30_000);
            Await.until("the queue's TTL won", WAIT, () -> home.queueDeclarePassive("ttl-only").getMessageCount() == 0);
            assertNull(c3.createChannel().basicGet("ttl-only", true), "gone, seen from a third node too");
        }
    }

    @Test
    void aDirectReplyReachesTheRequesterOnAnotherNode() throws Exception {
        declareOn(2, "rpc-requests", null);
        try (Connection c1 = connect(1); Connection c3 = connect(3)) {
            Channel server = c3.createChannel();
            BlockingQueue<String> seenReplyTo = new LinkedBlockingQueue<>();
            server.basicConsume("rpc-requests", false, (tag, d) -> {
                AMQP.BasicProperties p = d.getProperties();
                seenReplyTo.add(p.getReplyTo());
                server.basicPublish("", p.getReplyTo(),
                        new AMQP.BasicProperties.Builder().correlationId(p.getCorrelationId()).build(),
                        utf8("reply:" + str(d.getBody())));
                server.basicAck(d.getEnvelope().getDeliveryTag(), false);
            }, tag -> { });

            Channel client = c1.createChannel();
            BlockingQueue<Received> replies = consume(client, REPLY_TO, true);
            for (int i = 0; i < 3; i++) {
                client.basicPublish("", "rpc-requests",
                        new AMQP.BasicProperties.Builder().replyTo(REPLY_TO).correlationId("c" + i).build(),
                        utf8("q" + i));
                Received reply = take(replies);
                assertEquals("reply:q" + i, reply.body());
                assertEquals("c" + i, reply.props().getCorrelationId());
                assertEquals("", reply.exchange());
            }
            String address = seenReplyTo.take();
            assertTrue(address.startsWith(REPLY_TO + "."), address);
            assertNotEquals(REPLY_TO, address);
            // a declare of the address on another node asks the requester's node (RabbitMQ asks its channel)
            try (Channel probe = c3.createChannel()) {
                AMQP.Queue.DeclareOk ok = probe.queueDeclarePassive(address);
                assertEquals(address, ok.getQueue());
                assertEquals(1, ok.getConsumerCount());
            }

            // a second requester on another channel of n1 gets its own replies only
            Channel other = c1.createChannel();
            BlockingQueue<Received> otherReplies = consume(other, REPLY_TO, true);
            other.basicPublish("", "rpc-requests", new AMQP.BasicProperties.Builder().replyTo(REPLY_TO).build(),
                    utf8("other"));
            assertEquals("reply:other", take(otherReplies).body());
            assertTrue(replies.isEmpty());

            // replies to a channel that is gone, or to an address no node gave out, are dropped silently
            client.close();
            assertFalse(known(c3, address), "404 once the requester's channel is gone");
            Channel replier = c3.createChannel();
            replier.confirmSelect();
            replier.basicPublish("", address, null, utf8("too late"));
            replier.basicPublish("", REPLY_TO + ".bm9kZQ.forged", null, utf8("forged"));
            replier.basicPublish("", REPLY_TO + ".no-such-address", null, utf8("unknown"));
            replier.waitForConfirmsOrDie(30_000);
            assertTrue(replier.isOpen());
            // the link still carries replies: the other requester still gets its own
            other.basicPublish("", "rpc-requests", new AMQP.BasicProperties.Builder().replyTo(REPLY_TO).build(),
                    utf8("again"));
            assertEquals("reply:again", take(otherReplies).body());
            assertTrue(otherReplies.isEmpty());
        }
    }

    @Test
    void mandatoryReturnsOnlyWhatNoQueueOnAnyNodeTook() throws Exception {
        declareOn(2, "mandatory-target", null);
        try (Connection c1 = connect(1); Channel pub = c1.createChannel()) {
            BlockingQueue<Integer> returns = returns(pub);
            pub.confirmSelect();
            pub.basicPublish("", "mandatory-target", true, null, utf8("routed to n2"));
            // the confirm comes after any return of the same message (RabbitMQ's order): none came
            pub.waitForConfirmsOrDie(30_000);
            assertTrue(returns.isEmpty(), "a message routed to a queue on another node is not returned");

            pub.basicPublish("", "no-such-queue-anywhere", true, null, utf8("unroutable"));
            pub.waitForConfirmsOrDie(30_000);
            assertEquals(312, returns.poll(30, TimeUnit.SECONDS));
            assertTrue(returns.isEmpty());
        }
        try (Connection c3 = connect(3)) {
            assertEquals("routed to n2", take(consume(c3.createChannel(), "mandatory-target", true)).body());
        }
    }

    @Test
    void aTransactionPublishesToAQueueOnAnotherNodeOnlyAtCommit() throws Exception {
        declareOn(2, "tx-target", null);
        try (Connection c1 = connect(1); Connection c3 = connect(3)) {
            BlockingQueue<Received> got = consume(c3.createChannel(), "tx-target", true);
            Channel tx = c1.createChannel();
            tx.txSelect();
            Channel plain = c1.createChannel();
            plain.confirmSelect();

            tx.basicPublish("", "tx-target", null, utf8("committed"));
            plain.basicPublish("", "tx-target", null, utf8("marker 1"));
            plain.waitForConfirmsOrDie(30_000);
            assertEquals("marker 1", take(got).body(), "nothing before the commit");
            tx.txCommit();
            assertEquals("committed", take(got).body());

            tx.basicPublish("", "tx-target", null, utf8("rolled back"));
            tx.txRollback();
            tx.txCommit(); // an empty transaction: sends nothing
            plain.basicPublish("", "tx-target", null, utf8("marker 2"));
            plain.waitForConfirmsOrDie(30_000);
            assertEquals("marker 2", take(got).body(), "the rolled back publish never went");
            assertTrue(got.isEmpty());
        }
    }

    @Test
    void acksInATransactionSettleAMessageOfAQueueOnAnotherNodeOnlyAtCommit() throws Exception {
        declareOn(2, "tx-acks", null);
        try (Connection c1 = connect(1)) {
            Channel pub = c1.createChannel();
            pub.confirmSelect();
            pub.basicPublish("", "tx-acks", null, utf8("ack rolled back"));
            pub.basicPublish("", "tx-acks", null, utf8("ack committed"));
            pub.waitForConfirmsOrDie(30_000);
            Channel tx = c1.createChannel();
            tx.txSelect();
            BlockingQueue<Received> got = consume(tx, "tx-acks", false);
            Received a = take(got);
            Received b = take(got);
            assertEquals("ack rolled back", a.body());
            assertEquals("ack committed", b.body());
            tx.basicAck(a.tag(), false);
            tx.txRollback(); // a stays unacked until the channel closes
            tx.basicAck(b.tag(), false);
            tx.txCommit();
        } // closing gives back what is unacked: a only
        try (Connection c3 = connect(3); Channel ch = c3.createChannel()) {
            GetResponse back = Await.value("the unacked message back on n2", WAIT, () -> ch.basicGet("tx-acks", true));
            assertEquals("ack rolled back", str(back.getBody()));
            assertTrue(back.getEnvelope().isRedeliver());
            assertNull(ch.basicGet("tx-acks", true), "the committed ack settled the other one");
        }
    }

    @Test
    void ccAndBccReachQueuesOnOtherNodesAndBccIsRemoved() throws Exception {
        declareOn(2, "cc-target", null);
        declareOn(3, "bcc-target", null);
        try (Connection c1 = connect(1); Connection c2 = connect(2); Connection c3 = connect(3)) {
            Channel pub = c1.createChannel();
            pub.exchangeDeclare("sender-selected", BuiltinExchangeType.DIRECT, false);
            pub.queueBind("cc-target", "sender-selected", "cc-key");
            pub.queueBind("bcc-target", "sender-selected", "bcc-key");
            pub.confirmSelect();
            Map<String, Object> headers = new HashMap<>();
            headers.put("CC", List.of("cc-key"));
            headers.put("BCC", List.of("bcc-key"));
            pub.basicPublish("sender-selected", "unbound", new AMQP.BasicProperties.Builder().headers(headers).build(),
                    utf8("copied"));
            pub.waitForConfirmsOrDie(30_000);

            Received cc = take(consume(c3.createChannel(), "cc-target", true));
            Received bcc = take(consume(c2.createChannel(), "bcc-target", true));
            for (Received r : List.of(cc, bcc)) {
                assertEquals("copied", r.body());
                assertEquals("unbound", r.routingKey());
                assertEquals(List.of("cc-key"), strings(r.props().getHeaders().get("CC")), "CC is kept");
                assertFalse(r.props().getHeaders().containsKey("BCC"), "BCC is removed");
            }
        }
    }

    @Test
    void aConfirmWaitsForEveryQueueAndANodeThatRefusesMakesItANack() throws Exception {
        declareOn(1, "confirm-local", null);
        declareOn(2, "confirm-remote", null);
        declareOn(3, "confirm-full", Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
        try (Connection c1 = connect(1)) {
            Channel pub = c1.createChannel();
            pub.exchangeDeclare("confirm-fanout", BuiltinExchangeType.FANOUT, false);
            pub.queueBind("confirm-local", "confirm-fanout", "");
            pub.queueBind("confirm-remote", "confirm-fanout", "");
            pub.confirmSelect();
            pub.basicPublish("confirm-fanout", "", null, utf8("to both"));
            pub.waitForConfirmsOrDie(30_000);
            Channel get = c1.createChannel();
            assertEquals("to both", str(get.basicGet("confirm-local", true).getBody()));
            assertEquals("to both", str(get.basicGet("confirm-remote", true).getBody()));

            // n3's queue refuses: the confirm of a message the local queue took is a nack all the same
            pub.queueBind("confirm-full", "confirm-fanout", "");
            pub.basicPublish("confirm-fanout", "", null, utf8("refused on n3"));
            assertFalse(pub.waitForConfirms(30_000), "nacked");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private record Received(long tag, String body, String exchange, String routingKey, AMQP.BasicProperties props) {
    }

    private static BlockingQueue<Received> consume(Channel ch, String queue, boolean autoAck) throws IOException {
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        ch.basicConsume(queue, autoAck, (tag, d) -> got.add(new Received(d.getEnvelope().getDeliveryTag(),
                str(d.getBody()), d.getEnvelope().getExchange(), d.getEnvelope().getRoutingKey(), d.getProperties())),
                tag -> { });
        return got;
    }

    private static Received take(BlockingQueue<Received> q) throws InterruptedException {
        Received r = q.poll(30, TimeUnit.SECONDS);
        assertNotNull(r, "a delivery within 30 s");
        return r;
    }

    /** The reply codes of the basic.returns this channel gets. */
    private static BlockingQueue<Integer> returns(Channel ch) {
        BlockingQueue<Integer> codes = new LinkedBlockingQueue<>();
        ch.addReturnListener(r -> codes.add(r.getReplyCode()));
        return codes;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> deaths(AMQP.BasicProperties props) {
        return (List<Map<String, Object>>) props.getHeaders().get("x-death");
    }

    private static List<String> strings(Object v) {
        return ((List<?>) v).stream().map(Object::toString).toList();
    }

    /** Declares a queue on node {@code home} (it lives there) and waits until every node knows it. */
    private static void declareOn(int home, String queue, Map<String, Object> args) throws Exception {
        try (Connection c = connect(home); Channel ch = c.createChannel()) {
            ch.queueDeclare(queue, false, false, false, args);
        }
        for (int n = 1; n <= 3; n++) {
            try (Connection c = connect(n)) {
                Await.until("node n" + n + " knows queue " + queue, WAIT, () -> known(c, queue));
            }
        }
    }

    private static boolean known(Connection c, String queue) throws Exception {
        Channel ch = c.createChannel();
        try {
            ch.queueDeclarePassive(queue);
            ch.close();
            return true;
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException) {
                return false;
            }
            throw e;
        }
    }

    private static Connection connect(int node) throws Exception {
        return cluster.connect(node);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
