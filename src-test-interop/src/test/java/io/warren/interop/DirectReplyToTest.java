package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.RpcClient;
import com.rabbitmq.client.RpcClientParams;
import com.rabbitmq.client.RpcServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.warren.interop.BasicTest.str;
import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Direct reply-to: consume the pseudo-queue {@code amq.rabbitmq.reply-to} in no-ack mode, publish requests with
 * {@code reply_to=amq.rabbitmq.reply-to}; the server sees a channel-specific address and its replies reach that
 * channel only.
 */
class DirectReplyToTest extends InteropTestBase {

    static final String REPLY_TO = "amq.rabbitmq.reply-to";

    /** An echo server on its own connection: answers "reply:" + body to the request's reply_to. */
    private BlockingQueue<String> echoServer(String q) throws Exception {
        BlockingQueue<String> seenReplyTos = new LinkedBlockingQueue<>();
        Channel server = newConnection().createChannel();
        server.queueDeclare(q, false, false, false, null);
        server.basicConsume(q, false, (tag, d) -> {
            AMQP.BasicProperties p = d.getProperties();
            seenReplyTos.add(p.getReplyTo());
            server.basicPublish("", p.getReplyTo(),
                    new AMQP.BasicProperties.Builder().correlationId(p.getCorrelationId()).build(),
                    utf8("reply:" + str(d.getBody())));
            server.basicAck(d.getEnvelope().getDeliveryTag(), false);
        }, t -> { });
        return seenReplyTos;
    }

    private static AMQP.BasicProperties request(String correlationId) {
        return new AMQP.BasicProperties.Builder().replyTo(REPLY_TO).correlationId(correlationId).build();
    }

    @Test
    void rpcClientAndRpcServer() throws Exception {
        String q = queueName("rpc");
        Channel serverCh = newConnection().createChannel();
        serverCh.queueDeclare(q, false, false, false, null);
        List<String> replyTos = Collections.synchronizedList(new ArrayList<>());
        RpcServer server = new RpcServer(serverCh, q) {
            @Override
            public byte[] handleCall(Delivery request, AMQP.BasicProperties replyProperties) {
                replyTos.add(request.getProperties().getReplyTo());
                return utf8("fib:" + fib(Integer.parseInt(str(request.getBody()))));
            }
        };
        ExecutorService exec = Executors.newSingleThreadExecutor();
        Future<?> loop = exec.submit(() -> {
            try {
                server.mainloop();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Channel clientCh = newConnection().createChannel();
            RpcClient client = new RpcClient(new RpcClientParams().channel(clientCh).exchange("").routingKey(q)
                    .timeout(5_000));
            for (int n = 0; n < 15; n++) {
                assertEquals("fib:" + fib(n), client.stringCall(Integer.toString(n)));
            }
            RpcClient.Response r = client.doCall(null, utf8("20"));
            assertEquals("fib:" + fib(20), str(r.getBody()));
            client.close();
            assertEquals(REPLY_TO, new RpcClientParams().getReplyTo(), "amqp-client's default is direct reply-to");
            assertEquals(16, replyTos.size());
            assertTrue(replyTos.stream().allMatch(a -> a.startsWith(REPLY_TO + ".")), replyTos.toString());
        } finally {
            server.terminateMainloop();
            serverCh.close(); // wakes the main loop up
            loop.get(10, TimeUnit.SECONDS);
            exec.shutdownNow();
        }
    }

    private static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    @Test
    void theServerSeesAChannelSpecificAddressAndTheReplyComesBack() throws Exception {
        String q = queueName("svc");
        BlockingQueue<String> seen = echoServer(q);
        BlockingQueue<Delivery> replies = new LinkedBlockingQueue<>();
        BlockingQueue<String> tags = new LinkedBlockingQueue<>();
        String tag = ch.basicConsume(REPLY_TO, true, (t, d) -> {
            tags.add(t);
            replies.add(d);
        }, t -> { });
        ch.basicPublish("", q, request("c1"), utf8("ping"));
        Delivery reply = replies.poll(5, TimeUnit.SECONDS);
        assertTrue(reply != null, "no reply");
        assertEquals("reply:ping", str(reply.getBody()));
        assertEquals("c1", reply.getProperties().getCorrelationId());
        assertEquals(tag, tags.poll());
        String address = seen.poll(5, TimeUnit.SECONDS);
        assertTrue(address.startsWith(REPLY_TO + "."), address);
        assertNotEquals(REPLY_TO + ".", address);
        assertEquals("", reply.getEnvelope().getExchange());
        assertEquals(address, reply.getEnvelope().getRoutingKey());
        // the address is stable for the channel
        ch.basicPublish("", q, request("c2"), utf8("again"));
        assertEquals("reply:again", str(replies.poll(5, TimeUnit.SECONDS).getBody()));
        assertEquals(address, seen.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void repliesReachTheRequestingChannelOnly() throws Exception {
        String q = queueName("svc");
        echoServer(q);
        List<Channel> channels = List.of(ch, conn.createChannel(), newConnection().createChannel());
        List<BlockingQueue<String>> got = new ArrayList<>();
        for (Channel c : channels) {
            BlockingQueue<String> box = new LinkedBlockingQueue<>();
            got.add(box);
            c.basicConsume(REPLY_TO, true, (t, d) -> box.add(str(d.getBody())), t -> { });
        }
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < channels.size(); i++) {
                channels.get(i).basicPublish("", q, request("r"), utf8("ch" + i + "-" + round));
            }
        }
        for (int i = 0; i < channels.size(); i++) {
            for (int round = 0; round < 5; round++) {
                assertEquals("reply:ch" + i + "-" + round, got.get(i).poll(5, TimeUnit.SECONDS));
            }
        }
        Thread.sleep(200);
        for (BlockingQueue<String> box : got) {
            assertNull(box.poll(), "a stray reply");
        }
    }

    @Test
    void consumingTheReplyQueueWithAcksIs406() throws Exception {
        assertEquals("PRECONDITION_FAILED - reply consumer cannot acknowledge", assertChannelError(406, ch,
                () -> ch.basicConsume(REPLY_TO, false, (t, d) -> { }, t -> { })));
        Channel c2 = conn.createChannel(); // the connection's other channels keep working
        c2.basicConsume(REPLY_TO, true, (t, d) -> { }, t -> { });
    }

    @Test
    void consumingTheReplyQueueTwiceOnAChannelIs406() throws Exception {
        ch.basicConsume(REPLY_TO, true, (t, d) -> { }, t -> { });
        assertEquals("PRECONDITION_FAILED - reply consumer already set", assertChannelError(406, ch,
                () -> ch.basicConsume(REPLY_TO, true, (t, d) -> { }, t -> { })));
    }

    @Test
    void publishingWithReplyToWithoutConsumingIs406() throws Exception {
        String q = declareQueue();
        ch.basicPublish("", q, request("x"), utf8("orphan request"));
        assertEquals("PRECONDITION_FAILED - fast reply consumer does not exist", awaitChannelError(406, ch));
        assertEquals(0, conn.createChannel().messageCount(q), "the request is not enqueued");
    }

    @Test
    void publishingWithReplyToAfterCancellingTheReplyConsumerIs406() throws Exception {
        String q = declareQueue();
        String tag = ch.basicConsume(REPLY_TO, true, (t, d) -> { }, t -> { });
        ch.basicCancel(tag);
        ch.basicPublish("", q, request("x"), utf8("too late"));
        assertEquals("PRECONDITION_FAILED - fast reply consumer does not exist", awaitChannelError(406, ch));
    }

    @Test
    void replyToAnUnknownAddressIsDroppedOrReturnedWhenMandatory() throws Exception {
        BlockingQueue<String> returned = new LinkedBlockingQueue<>();
        ch.addReturnListener(r -> returned.add(r.getReplyCode() + " " + r.getRoutingKey() + " " + str(r.getBody())));
        ch.confirmSelect();
        String forged = REPLY_TO + ".g2dkAAxmb3JnZWRAbm93aGVyZQ==";
        ch.basicPublish("", forged, null, utf8("dropped"));
        ch.basicPublish("", forged, true, null, utf8("returned"));
        ch.basicPublish("", REPLY_TO + ".garbage", true, null, utf8("garbage"));
        ch.basicPublish("", REPLY_TO, true, null, utf8("bare"));
        ch.waitForConfirmsOrDie(5_000);
        assertEquals("312 " + forged + " returned", returned.poll(5, TimeUnit.SECONDS));
        assertEquals("312 " + REPLY_TO + ".garbage garbage", returned.poll(5, TimeUnit.SECONDS));
        assertEquals("312 " + REPLY_TO + " bare", returned.poll(5, TimeUnit.SECONDS));
        assertNull(returned.poll(200, TimeUnit.MILLISECONDS));
        assertTrue(ch.isOpen());
    }

    @Test
    void replyToAChannelThatHasClosedIsReturnedWhenMandatory() throws Exception {
        String q = queueName("svc");
        BlockingQueue<String> seen = echoServer(q);
        Channel requester = conn.createChannel();
        requester.basicConsume(REPLY_TO, true, (t, d) -> { }, t -> { });
        requester.basicPublish("", q, request("x"), utf8("hello"));
        String address = seen.poll(5, TimeUnit.SECONDS);
        assertTrue(address != null);
        requester.close();
        BlockingQueue<String> returned = new LinkedBlockingQueue<>();
        ch.addReturnListener(r -> returned.add(str(r.getBody())));
        ch.confirmSelect();
        ch.basicPublish("", address, true, null, utf8("to a closed channel"));
        ch.waitForConfirmsOrDie(5_000);
        assertEquals("to a closed channel", returned.poll(5, TimeUnit.SECONDS));
    }

    /**
     * RabbitMQ 3.10 hands a reply to the requesting channel as a side effect of routing through the default exchange;
     * the routing result itself names no queue, so a mandatory reply is delivered <em>and</em> returned (312).
     */
    @Test
    void mandatoryReplyIsDeliveredAndAlsoReturned() throws Exception {
        BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        ch.basicConsume(REPLY_TO, true, (t, d) -> replies.add(str(d.getBody())), t -> { });
        String q = queueName("svc");
        Channel server = newConnection().createChannel();
        server.queueDeclare(q, false, false, false, null);
        BlockingQueue<String> returned = new LinkedBlockingQueue<>();
        server.addReturnListener(r -> returned.add(r.getReplyCode() + " " + str(r.getBody())));
        server.confirmSelect();
        CompletableFuture<Void> answered = new CompletableFuture<>();
        server.basicConsume(q, true, (t, d) -> {
            server.basicPublish("", d.getProperties().getReplyTo(), true, null, utf8("answer"));
            answered.complete(null);
        }, t -> { });
        ch.basicPublish("", q, request("m"), utf8("question"));
        assertEquals("answer", replies.poll(5, TimeUnit.SECONDS));
        answered.get(5, TimeUnit.SECONDS);
        server.waitForConfirmsOrDie(5_000);
        assertEquals("312 answer", returned.poll(5, TimeUnit.SECONDS));
        assertNull(replies.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void passiveDeclareOfTheReplyQueueSucceeds() throws Exception {
        AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(REPLY_TO);
        assertEquals(REPLY_TO, ok.getQueue());
        assertEquals(0, ok.getMessageCount());
        assertEquals(1, ok.getConsumerCount());
    }

    @Test
    void getFromTheReplyQueueIs404() throws Exception {
        assertEquals("NOT_FOUND - no queue '" + REPLY_TO + "' in vhost '/'",
                assertChannelError(404, ch, () -> ch.basicGet(REPLY_TO, true)));
    }
}
