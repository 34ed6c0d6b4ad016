package io.warren.bench.load;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load driver for bench/run.sh scenario {@code backlog}: a deep durable queue, which is not a steady-state run,
 * so PerfTest's per-second rates do not fit it. Runs from source with amqp-client on the class path, e.g.
 * {@code java -cp 'bench/perftest/target/lib/*' bench/src/main/java/io/warren/bench/load/BacklogDriver.java
 * publish -h amqp://guest:guest@127.0.0.1:5672 -u bench.backlog -n 1000000 -s 1024 -c 100}.
 *
 * <ul>
 * <li>{@code publish}: declares the queue durable (not exclusive, not auto-delete, no arguments) and publishes
 *     {@code -n} persistent (delivery_mode 2) messages of {@code -s} bytes to it through the default exchange, with
 *     publisher confirms and at most {@code -c} unconfirmed. The time runs from the first publish to the last
 *     confirm. Gives up (exit status 1) if no confirm arrives for two minutes, e.g. while the broker blocks
 *     publishers ({@code connection.blocked}) for good.</li>
 * <li>{@code drain}: one consumer, manual ack (one {@code basic.ack} per message), prefetch {@code -q}, until
 *     {@code -n} messages arrived; the time runs from {@code basic.consume} to the {@code queue.declare-ok} of a
 *     passive declare sent on the same channel after the last ack (so the broker has taken every ack).</li>
 * <li>{@code probe}: for timing a restart. Prints {@code ready}, then polls the AMQP port every 5 ms and, once it
 *     accepts, connects and passively declares the queue until its message count reaches {@code -n}; prints the
 *     wall-clock times (epoch microseconds) of {@code port} (first TCP accept), {@code declare} (first declare-ok)
 *     and {@code full} (count reached). Exit status 1 after {@code --timeout} seconds.</li>
 * <li>{@code count}: prints the queue's message count (passive declare); {@code delete}: deletes the queue if it
 *     exists.</li>
 * </ul>
 * With {@code -t stream} the queue is declared as a stream and {@code drain} replays it from the first offset
 * (messages stay in the stream).
 * Results go to stdout as {@code key value} lines; progress and problems (such as {@code connection.blocked}) to
 * stderr.
 */
public final class BacklogDriver {


    /** publish gives up when no confirm arrived for this long. */
    private static final int STALL_SECONDS = 120;

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: BacklogDriver publish|drain|probe|count|delete -h URI -u QUEUE [-n N] [-s SIZE] "
                    + "[-c MAX_UNCONFIRMED] [-q PREFETCH] [--timeout S]");
            System.exit(2);
        }
        String cmd = argv[0];
        Map<String, String> a = new HashMap<>();
        for (int i = 1; i + 1 < argv.length; i += 2) {
            a.put(argv[i], argv[i + 1]);
        }
        String uri = a.getOrDefault("-h", "amqp://guest:guest@127.0.0.1:5672");
        String queue = a.getOrDefault("-u", "bench.backlog");
        long n = Long.parseLong(a.getOrDefault("-n", "1000000"));
        int size = Math.max(8, Integer.parseInt(a.getOrDefault("-s", "1024")));
        int maxUnconfirmed = Integer.parseInt(a.getOrDefault("-c", "100"));
        int prefetch = Integer.parseInt(a.getOrDefault("-q", "100"));
        int timeout = Integer.parseInt(a.getOrDefault("--timeout", "600"));
        // -t stream: the queue is a stream; drain then reads it from the first offset (a replay)
        boolean stream = "stream".equals(a.get("-t"));

        ConnectionFactory f = new ConnectionFactory();
        f.setUri(uri);
        f.setAutomaticRecoveryEnabled(false);
        f.setRequestedHeartbeat(0);
        switch (cmd) {
            case "publish" -> publish(f, queue, stream, n, size, maxUnconfirmed, timeout);
            case "drain" -> drain(f, queue, stream, n, prefetch, timeout);
            case "probe" -> probe(f, URI.create(uri), queue, n, timeout);
            case "count" -> {
                try (Connection c = f.newConnection("backlog-count")) {
                    System.out.println("count " + c.createChannel().queueDeclarePassive(queue).getMessageCount());
                }
            }
            case "delete" -> {
                try (Connection c = f.newConnection("backlog-delete")) {
                    Channel ch = c.createChannel();
                    try {
                        ch.queueDeclarePassive(queue);
                        ch.queueDelete(queue);
                        System.out.println("deleted " + queue);
                    } catch (IOException notFound) { // 404 closes the channel: nothing to delete
                        System.out.println("absent " + queue);
                    }
                }
            }
            default -> {
                System.err.println("unknown command " + cmd);
                System.exit(2);
            }
        }
    }

    private static void publish(ConnectionFactory f, String queue, boolean stream, long n, int size, int maxUnconfirmed, int timeout)
            throws Exception {
        try (Connection conn = f.newConnection("backlog-producer")) {
            AtomicLong blockedSince = new AtomicLong();
            AtomicLong blockedNanos = new AtomicLong();
            conn.addBlockedListener(reason -> {
                blockedSince.set(System.nanoTime());
                System.err.println("backlog: connection.blocked (" + reason + ")");
            }, () -> {
                blockedNanos.addAndGet(System.nanoTime() - blockedSince.getAndSet(0));
                System.err.println("backlog: connection.unblocked");
            });
            Channel ch = conn.createChannel();
            ch.queueDeclare(queue, true, false, false, stream ? Map.of("x-queue-type", "stream") : null);
            ch.confirmSelect();
            NavigableSet<Long> outstanding = new ConcurrentSkipListSet<>();
            Semaphore window = new Semaphore(maxUnconfirmed);
            AtomicLong confirmed = new AtomicLong();
            AtomicLong nacked = new AtomicLong();
            AtomicLong lastConfirmNanos = new AtomicLong(System.nanoTime());
            CountDownLatch done = new CountDownLatch(1);
            ch.addConfirmListener((seq, multiple) -> {
                lastConfirmNanos.set(System.nanoTime());
                settle(outstanding, seq, multiple, window, confirmed, n, done);
            }, (seq, multiple) -> {
                lastConfirmNanos.set(System.nanoTime());
                nacked.addAndGet(settle(outstanding, seq, multiple, window, confirmed, n, done));
            });
            byte[] body = new byte[size];
            AMQP.BasicProperties props = MessageProperties.PERSISTENT_BASIC; // delivery_mode 2
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(timeout);
            long nextReport = start + TimeUnit.SECONDS.toNanos(10);
            for (long i = 0; i < n; i++) {
                while (!window.tryAcquire(1, TimeUnit.SECONDS)) {
                    long now = System.nanoTime();
                    // a broker that blocks publishers for good (memory alarm without paging) must not hang the run
                    if (now > deadline || now - lastConfirmNanos.get() > TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
                        throw new IllegalStateException("stalled: " + confirmed.get() + " of " + n + " confirmed after "
                                + Math.round((now - start) / 1e9) + " s, none in the last "
                                + Math.round((now - lastConfirmNanos.get()) / 1e9) + " s"
                                + (blockedSince.get() != 0 ? " (connection blocked)" : ""));
                    }
                }
                ByteBuffer.wrap(body).putLong(i);
                outstanding.add(ch.getNextPublishSeqNo());
                ch.basicPublish("", queue, props, body);
                long now = System.nanoTime();
                if (now > nextReport) {
                    System.err.printf("backlog: published %d, confirmed %d (%.0f s)%n", i + 1, confirmed.get(),
                            (now - start) / 1e9);
                    nextReport += TimeUnit.SECONDS.toNanos(10);
                }
            }
            while (!done.await(1, TimeUnit.SECONDS)) {
                long now = System.nanoTime();
                if (now > deadline || now - lastConfirmNanos.get() > TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
                    throw new IllegalStateException("stalled: " + confirmed.get() + " of " + n + " confirmed"
                            + (blockedSince.get() != 0 ? " (connection blocked)" : ""));
                }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("seconds %.3f%nrate %.0f%nconfirmed %d%nnacked %d%nblocked_seconds %.3f%n", secs,
                    n / secs, confirmed.get(), nacked.get(), blockedNanos.get() / 1e9);
        }
    }

    /** Settles one confirm (or all up to seq); returns how many it settled. */
    private static long settle(NavigableSet<Long> outstanding, long seq, boolean multiple, Semaphore window,
            AtomicLong confirmed, long n, CountDownLatch done) {
        long k = 0;
        if (multiple) {
            NavigableSet<Long> head = outstanding.headSet(seq, true);
            while (head.pollFirst() != null) {
                k++;
            }
        } else if (outstanding.remove(seq)) {
            k = 1;
        }
        window.release((int) k);
        if (confirmed.addAndGet(k) >= n) {
            done.countDown();
        }
        return k;
    }

    private static void drain(ConnectionFactory f, String queue, boolean stream, long n, int prefetch, int timeout) throws Exception {
        try (Connection conn = f.newConnection("backlog-consumer")) {
            Channel ch = conn.createChannel();
            int before = ch.queueDeclarePassive(queue).getMessageCount();
            ch.basicQos(prefetch);
            AtomicLong received = new AtomicLong();
            AtomicLong redelivered = new AtomicLong();
            CountDownLatch done = new CountDownLatch(1);
            long start = System.nanoTime();
            Map<String, Object> consumeArgs = stream ? Map.of("x-stream-offset", "first") : Map.of();
            ch.basicConsume(queue, false, "backlog-drain", false, false, consumeArgs, new DefaultConsumer(ch) {
                @Override
                public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] body)
                        throws IOException {
                    ch.basicAck(env.getDeliveryTag(), false);
                    if (env.isRedeliver()) {
                        redelivered.incrementAndGet();
                    }
                    if (received.incrementAndGet() == n) {
                        done.countDown();
                    }
                }
            });
            long deadline = start + TimeUnit.SECONDS.toNanos(timeout);
            while (!done.await(10, TimeUnit.SECONDS)) {
                System.err.printf("backlog: drained %d (%.0f s)%n", received.get(), (System.nanoTime() - start) / 1e9);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timeout: drained " + received.get() + " of " + n);
                }
            }
            int left = ch.queueDeclarePassive(queue).getMessageCount(); // after the last ack, on the same channel
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("seconds %.3f%nrate %.0f%nreceived %d%nredelivered %d%ncount_before %d%ncount_after %d%n",
                    secs, n / secs, received.get(), redelivered.get(), before, left);
        }
    }

    private static void probe(ConnectionFactory f, URI uri, String queue, long n, int timeout) throws Exception {
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : 5672;
        f.setConnectionTimeout(2000);
        f.setHandshakeTimeout(5000);
        System.out.println("ready");
        System.out.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
        while (true) { // the port
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                System.out.println("port " + epochMicros());
                break;
            } catch (IOException refused) {
                check(deadline, "port " + port + " did not open");
                Thread.sleep(5);
            }
        }
        boolean declared = false;
        long count = -1;
        while (true) { // the queue and its messages
            try (Connection c = f.newConnection("backlog-probe")) {
                Channel ch = c.createChannel();
                while (true) {
                    count = ch.queueDeclarePassive(queue).getMessageCount();
                    if (!declared) {
                        declared = true;
                        System.out.println("declare " + epochMicros() + " " + count);
                    }
                    if (count >= n) {
                        System.out.println("full " + epochMicros() + " " + count);
                        return;
                    }
                    check(deadline, "queue " + queue + " has " + count + " of " + n + " messages");
                    Thread.sleep(5);
                }
            } catch (IOException | java.util.concurrent.TimeoutException e) { // not up yet, or 404 (not recovered)
                check(deadline, "no declare-ok for " + queue + " (" + e + ")");
                Thread.sleep(5);
            }
        }
    }

    private static void check(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            System.err.println("backlog probe: timeout: " + what);
            System.exit(1);
        }
    }

    private static long epochMicros() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }
}
