package io.warren.broker.model;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Message TTL under a steady stream: each publish dead-letters what is due before it, and the timer, moved
 * along each time, is left for the messages nothing comes after (scenario e of bench/README.md: one
 * wake-up of the event loop per message instead of two).
 */
class MessageTtlTimerTest {
    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
    private final VirtualHost vhost = new VirtualHost("/", loops);

    @AfterEach
    void stop() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Queue "ttl" (TTL 20 ms) dead-letters into queue "dead", whose consumer counts {@code deaths} down. */
    private Queue ttlQueueDeadLetteringTo(CountDownLatch deaths) {
        Queue source = (Queue) vhost.declareQueue("ttl", false, false, false, Map.of("x-message-ttl", 20,
                "x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dead"), null).queue();
        Queue dead = (Queue) vhost.declareQueue("dead", false, false, false, Map.of(), null).queue();
        dead.addConsumer(new NoAckTestConsumer("counter", (queue, e) -> deaths.countDown()));
        return source;
    }

    @Test
    void aSteadyStreamExpiresOnItsPublishesAndTheTimerOnlyTakesTheLastOnes() throws Exception {
        int messages = 300;
        CountDownLatch allDead = new CountDownLatch(messages);
        Queue source = ttlQueueDeadLetteringTo(allDead);
        AtomicInteger published = new AtomicInteger();
        CountDownLatch publishedAll = new CountDownLatch(1);
        ScheduledFuture<?>[] stream = new ScheduledFuture<?>[1];
        // one publish a millisecond on the queue's own event loop, as a channel's publishes are
        stream[0] = loops.next().scheduleAtFixedRate(() -> {
            source.enqueue(new Message("", "ttl", new byte[] {0, 0}, ("m" + published.get()).getBytes()));
            if (published.incrementAndGet() == messages) {
                stream[0].cancel(false);
                publishedAll.countDown();
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        assertTrue(publishedAll.await(30, TimeUnit.SECONDS), "published");
        // the last 20 ms of messages have no publish after them: only the timer dead-letters those
        assertTrue(allDead.await(30, TimeUnit.SECONDS), "every message dead-lettered; missing " + allDead.getCount());
        long firings = source.messageTimerFirings();
        // with the timer at each deadline it ran 129 times here; a late publish (a busy machine) lets
        // it run now and then
        assertTrue(firings < messages / 10, "the timer ran " + firings + " times for " + messages + " messages");
        assertTrue(firings >= 1, "the messages at the end of the stream went by the timer");
        assertEquals(0, source.readyCount());
    }

    @Test
    void publishesFromOutsideTheQueuesLoopLeaveTheTimerEarlyAndEveryMessageStillExpires() throws Exception {
        int messages = 100;
        CountDownLatch allDead = new CountDownLatch(messages);
        Queue source = ttlQueueDeadLetteringTo(allDead);
        for (int i = 0; i < messages; i++) { // this thread is not the queue's loop: the timer is never moved later
            source.enqueue(new Message("", "ttl", new byte[] {0, 0}, ("m" + i).getBytes()));
        }
        assertTrue(allDead.await(30, TimeUnit.SECONDS), "every message dead-lettered; missing " + allDead.getCount());
        assertEquals(0, source.readyCount());
    }
}
