package io.warren.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.MessageProperties;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.warren.interop.BasicTest.str;
import static io.warren.interop.BasicTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RabbitMQ's six tutorial programs, as flows between separate connections, with amqp-client. */
class TutorialTest extends InteropTestBase {

    @Test
    void helloWorld() throws Exception {
        String q = queueName("hello");
        Channel receiver = newConnection().createChannel();
        receiver.queueDeclare(q, false, false, false, null);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        receiver.basicConsume(q, true, (tag, d) -> got.add(str(d.getBody())), tag -> { });

        Channel sender = newConnection().createChannel();
        sender.queueDeclare(q, false, false, false, null);
        sender.basicPublish("", q, null, utf8("Hello World!"));
        assertEquals("Hello World!", got.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void workQueuesWithFairDispatch() throws Exception {
        String q = queueName("task_queue");
        int tasks = 12;
        Map<String, List<String>> doneBy = Collections.synchronizedMap(new HashMap<>());
        CountDownLatch allDone = new CountDownLatch(tasks);
        for (String worker : List.of("w1", "w2")) {
            Channel c = newConnection().createChannel();
            c.queueDeclare(q, true, false, false, null);
            c.basicQos(1);
            doneBy.put(worker, Collections.synchronizedList(new ArrayList<>()));
            c.basicConsume(q, false, (tag, d) -> {
                String task = str(d.getBody());
                try {
                    Thread.sleep(20L * task.chars().filter(ch -> ch == '.').count());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                doneBy.get(worker).add(task);
                c.basicAck(d.getEnvelope().getDeliveryTag(), false);
                allDone.countDown();
            }, tag -> { });
        }
        Channel producer = newConnection().createChannel();
        producer.queueDeclare(q, true, false, false, null);
        producer.confirmSelect();
        for (int i = 0; i < tasks; i++) {
            // every other task is slow: with prefetch 1 the slow worker must not get stuck with a backlog
            String task = "task" + i + (i % 2 == 0 ? "....." : ".");
            producer.basicPublish("", q, MessageProperties.PERSISTENT_TEXT_PLAIN, utf8(task));
        }
        producer.waitForConfirmsOrDie(5_000);
        assertTrue(allDone.await(20, TimeUnit.SECONDS), "all tasks done: " + doneBy);
        Set<String> all = new TreeSet<>();
        doneBy.values().forEach(all::addAll);
        assertEquals(tasks, all.size(), "each task exactly once: " + doneBy);
        assertEquals(tasks, doneBy.get("w1").size() + doneBy.get("w2").size());
        assertTrue(!doneBy.get("w1").isEmpty() && !doneBy.get("w2").isEmpty(), "both workers got work: " + doneBy);
        assertEquals(0, ch.messageCount(q));
    }

    @Test
    void publishSubscribe() throws Exception {
        String logs = exchangeName("logs");
        List<BlockingQueue<String>> subscribers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Channel c = newConnection().createChannel();
            c.exchangeDeclare(logs, BuiltinExchangeType.FANOUT);
            String q = c.queueDeclare().getQueue(); // server-named, exclusive, auto-delete
            assertTrue(q.startsWith("amq.gen-"));
            c.queueBind(q, logs, "");
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            subscribers.add(got);
            c.basicConsume(q, true, (tag, d) -> got.add(str(d.getBody())), tag -> { });
        }
        Channel emitter = newConnection().createChannel();
        emitter.exchangeDeclare(logs, BuiltinExchangeType.FANOUT);
        for (String m : List.of("info: one", "warning: two", "error: three")) {
            emitter.basicPublish(logs, "", null, utf8(m));
        }
        for (BlockingQueue<String> got : subscribers) {
            assertEquals("info: one", got.poll(5, TimeUnit.SECONDS));
            assertEquals("warning: two", got.poll(5, TimeUnit.SECONDS));
            assertEquals("error: three", got.poll(5, TimeUnit.SECONDS));
        }
    }

    private BlockingQueue<String> subscriber(String exchange, String type, String... keys) throws Exception {
        Channel c = newConnection().createChannel();
        c.exchangeDeclare(exchange, type);
        String q = c.queueDeclare().getQueue();
        for (String k : keys) {
            c.queueBind(q, exchange, k);
        }
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        c.basicConsume(q, true, (tag, d) -> got.add(d.getEnvelope().getRoutingKey() + ":" + str(d.getBody())), tag -> { });
        return got;
    }

    private static List<String> drain(BlockingQueue<String> got, int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String s = got.poll(5, TimeUnit.SECONDS);
            assertNotNull(s, "message " + (i + 1) + " of " + n + " after " + out);
            out.add(s);
        }
        assertNull(got.poll(300, TimeUnit.MILLISECONDS), "nothing more after " + out);
        return out;
    }

    @Test
    void routing() throws Exception {
        String x = exchangeName("direct_logs");
        BlockingQueue<String> errorsOnly = subscriber(x, "direct", "error");
        BlockingQueue<String> everything = subscriber(x, "direct", "info", "warning", "error");
        Channel emitter = newConnection().createChannel();
        emitter.exchangeDeclare(x, "direct");
        for (String severity : List.of("info", "warning", "error", "debug")) {
            emitter.basicPublish(x, severity, null, utf8("a " + severity + " message"));
        }
        assertEquals(List.of("error:a error message"), drain(errorsOnly, 1));
        assertEquals(List.of("info:a info message", "warning:a warning message", "error:a error message"),
                drain(everything, 3));
    }

    @Test
    void topics() throws Exception {
        String x = exchangeName("topic_logs");
        BlockingQueue<String> q1 = subscriber(x, "topic", "*.orange.*");
        BlockingQueue<String> q2 = subscriber(x, "topic", "*.*.rabbit", "lazy.#");
        Channel emitter = newConnection().createChannel();
        emitter.exchangeDeclare(x, "topic");
        for (String key : List.of("quick.orange.rabbit", "lazy.orange.elephant", "quick.orange.fox", "lazy.brown.fox",
                "lazy.pink.rabbit", "quick.brown.fox", "orange", "quick.orange.male.rabbit", "lazy.orange.male.rabbit")) {
            emitter.basicPublish(x, key, null, utf8("m"));
        }
        assertEquals(List.of("quick.orange.rabbit:m", "lazy.orange.elephant:m", "quick.orange.fox:m"), drain(q1, 3));
        assertEquals(List.of("quick.orange.rabbit:m", "lazy.orange.elephant:m", "lazy.brown.fox:m",
                "lazy.pink.rabbit:m", "lazy.orange.male.rabbit:m"), drain(q2, 5));
    }

    static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    private String startRpcServer() throws Exception {
        String rpcQueue = queueName("rpc_queue");
        Channel server = newConnection().createChannel();
        server.queueDeclare(rpcQueue, false, false, false, null);
        server.queuePurge(rpcQueue);
        server.basicQos(1);
        server.basicConsume(rpcQueue, false, (tag, d) -> {
            AMQP.BasicProperties replyProps = new AMQP.BasicProperties.Builder()
                    .correlationId(d.getProperties().getCorrelationId()).build();
            int n = Integer.parseInt(str(d.getBody()));
            server.basicPublish("", d.getProperties().getReplyTo(), replyProps, utf8(Integer.toString(fib(n))));
            server.basicAck(d.getEnvelope().getDeliveryTag(), false);
        }, tag -> { });
        return rpcQueue;
    }

    @Test
    void rpcWithReplyQueueAndCorrelationId() throws Exception {
        String rpcQueue = startRpcServer();
        Channel client = newConnection().createChannel();
        String replyQueue = client.queueDeclare().getQueue();
        Map<String, CompletableFuture<String>> pending = new java.util.concurrent.ConcurrentHashMap<>();
        client.basicConsume(replyQueue, true, (tag, d) -> {
            CompletableFuture<String> f = pending.get(d.getProperties().getCorrelationId());
            if (f != null) {
                f.complete(str(d.getBody()));
            }
        }, tag -> { });
        Map<Integer, CompletableFuture<String>> results = new HashMap<>();
        for (int n : new int[]{0, 1, 10, 20, 25}) {
            String corrId = UUID.randomUUID().toString();
            CompletableFuture<String> f = new CompletableFuture<>();
            pending.put(corrId, f);
            results.put(n, f);
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().correlationId(corrId).replyTo(replyQueue).build();
            client.basicPublish("", rpcQueue, props, utf8(Integer.toString(n)));
        }
        for (Map.Entry<Integer, CompletableFuture<String>> e : results.entrySet()) {
            assertEquals(Integer.toString(fib(e.getKey())), e.getValue().get(10, TimeUnit.SECONDS), "fib(" + e.getKey() + ")");
        }
    }

    @Test
    void rpcWithDirectReplyTo() throws Exception {
        String rpcQueue = startRpcServer();
        Connection clientConn = newConnection();
        Channel client = clientConn.createChannel();
        BlockingQueue<Delivery> replies = new LinkedBlockingQueue<>();
        client.basicConsume("amq.rabbitmq.reply-to", true, (tag, d) -> replies.add(d), tag -> { });
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .correlationId("c-15").replyTo("amq.rabbitmq.reply-to").build();
        client.basicPublish("", rpcQueue, props, utf8("15"));
        Delivery reply = replies.poll(10, TimeUnit.SECONDS);
        assertNotNull(reply);
        assertEquals("610", str(reply.getBody()));
        assertEquals("c-15", reply.getProperties().getCorrelationId());
    }

    @Test
    void directReplyToWithoutConsumingIs406() throws Exception {
        String q = declareQueue();
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().replyTo("amq.rabbitmq.reply-to").build();
        ch.basicPublish("", q, props, utf8("no reply consumer"));
        assertEquals("PRECONDITION_FAILED - fast reply consumer does not exist", awaitChannelError(406, ch));
    }
}
