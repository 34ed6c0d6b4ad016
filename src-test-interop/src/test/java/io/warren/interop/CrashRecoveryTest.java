package io.warren.interop;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * kill -9 while a producer publishes persistent messages with confirms and a consumer acks, at a
 * different moment each cycle (20 cycles, one data directory). After every restart: each confirmed
 * message is in the queue unless its ack had been sent; nothing is in the queue twice; the
 * queue's order is publish order; the count the broker reports matches what can be drained.
 */
@Timeout(600)
class CrashRecoveryTest {
    private static final String QUEUE = "crash.q";
    private static final int CYCLES = 20;

    @RegisterExtension
    static final WarrenBroker broker = WarrenBroker.isolated();

    @BeforeEach
    void onlyWarren() {
        assumeFalse(WarrenBroker.external(), "kills the broker process");
    }

    @Test
    void confirmedMessagesSurviveKillMinus9AtRandomMoments() throws Exception {
        Random random = new Random(20261121L);
        AtomicLong nextId = new AtomicLong();
        Set<Long> confirmed = ConcurrentHashMap.newKeySet();
        Set<Long> ackSent = ConcurrentHashMap.newKeySet();
        ConnectionFactory f = broker.connectionFactory();
        f.setAutomaticRecoveryEnabled(false);
        try (Connection c = f.newConnection()) {
            c.createChannel().queueDeclare(QUEUE, true, false, false, null);
        }
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            runUntilKilled(f, random, nextId, confirmed, ackSent, 150 + random.nextInt(900));
            broker.start();
            check(f, cycle, confirmed, ackSent);
        }
    }

    /** Publishes and consumes until the broker is killed after {@code killAfterMs}. */
    private void runUntilKilled(ConnectionFactory f, Random random, AtomicLong nextId, Set<Long> confirmed,
                                Set<Long> ackSent, int killAfterMs) throws Exception {
        Connection pubConn = f.newConnection();
        Connection conConn = f.newConnection();
        AtomicBoolean stop = new AtomicBoolean();
        SortedMap<Long, Long> outstanding = new ConcurrentSkipListMap<>(); // publish seq -> message id
        Channel pub = pubConn.createChannel();
        pub.confirmSelect();
        pub.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long seq, boolean multiple) {
                settle(seq, multiple, true);
            }

            @Override
            public void handleNack(long seq, boolean multiple) {
                settle(seq, multiple, false);
            }

            private void settle(long seq, boolean multiple, boolean ok) {
                SortedMap<Long, Long> done = multiple ? outstanding.headMap(seq + 1) : outstanding.subMap(seq, seq + 1);
                if (ok) {
                    confirmed.addAll(done.values());
                }
                done.clear();
            }
        });
        Channel con = conConn.createChannel();
        con.basicQos(50);
        con.basicConsume(QUEUE, false, (tag, d) -> {
            if (random.nextInt(3) > 0) { // ack two thirds; the rest stay unacked until the crash
                ackSent.add(ByteBuffer.wrap(d.getBody()).getLong());
                con.basicAck(d.getEnvelope().getDeliveryTag(), false);
            }
        }, tag -> { });
        Thread producer = new Thread(() -> {
            try {
                while (!stop.get()) {
                    long id = nextId.incrementAndGet();
                    outstanding.put(pub.getNextPublishSeqNo(), id);
                    pub.basicPublish("", QUEUE, MessageProperties.PERSISTENT_BASIC,
                            ByteBuffer.allocate(8).putLong(id).array());
                    if (outstanding.size() > 200) {
                        Thread.sleep(1);
                    }
                }
            } catch (Exception expectedAtTheKill) {
                // the connection dies with the broker
            }
        }, "crash-test-producer");
        producer.start();
        Thread.sleep(killAfterMs);
        broker.kill();
        stop.set(true);
        producer.join(10_000);
        pubConn.abort(1000);
        conConn.abort(1000);
    }

    private void check(ConnectionFactory f, int cycle, Set<Long> confirmed, Set<Long> ackSent) throws Exception {
        TreeSet<Long> present = new TreeSet<>();
        long last = 0;
        try (Connection c = f.newConnection()) {
            Channel ch = c.createChannel();
            int count = ch.queueDeclarePassive(QUEUE).getMessageCount();
            // look at everything (unacked gets come back on close, so the queue stays as it was)
            for (int i = 0; i < count; i++) {
                GetResponse r = ch.basicGet(QUEUE, false);
                if (r == null) {
                    fail("cycle " + cycle + ": the queue said " + count + " messages but gave " + i);
                }
                long id = ByteBuffer.wrap(r.getBody()).getLong();
                assertTrue(present.add(id), "cycle " + cycle + ": message " + id + " is in the queue twice");
                assertTrue(id > last, "cycle " + cycle + ": " + id + " after " + last + " breaks publish order");
                last = id;
            }
        }
        for (long id : confirmed) {
            if (!present.contains(id) && !ackSent.contains(id)) {
                fail("cycle " + cycle + ": confirmed message " + id + " was lost (never acked)");
            }
        }
        // what a consumer acked may come back only if the ack had not reached the disk: never twice
        confirmed.removeIf(id -> !present.contains(id));
    }
}
