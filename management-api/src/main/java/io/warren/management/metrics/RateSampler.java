package io.warren.management.metrics;

import io.warren.management.BrokerAdmin;
import io.warren.management.model.ExchangeInfo;
import io.warren.management.model.MessageCounters;
import io.warren.management.model.QueueInfo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Turns the broker's counters into rates, as RabbitMQ's management agent does: every
 * {@link #INTERVAL_MS} it samples the global counters, the queue totals, each queue's
 * publish/deliver counters and each exchange's publish_in/publish_out counters, keeping ten minutes of history for the dashboard's charts. A rate is
 * the difference between the last two samples per second.
 */
public final class RateSampler {
    /** RabbitMQ's default collect_statistics_interval. */
    public static final long INTERVAL_MS = 5_000;
    private static final int CAPACITY = 121; // 10 minutes of 5 s samples, plus one for the first difference

    /** One sample: cumulative counters and the queue depths at {@code timestamp}. */
    public record Sample(long timestamp, MessageCounters counters, long messages, long ready, long unacked) {
    }

    private record QueueSample(long timestamp, long published, long delivered) {
    }

    private final BrokerAdmin admin;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private Map<String, QueueSample> lastQueues = Map.of();
    private volatile Map<String, double[]> queueRates = Map.of();
    private Map<String, QueueSample> lastExchanges = Map.of();
    private volatile Map<String, double[]> exchangeRates = Map.of();

    public RateSampler(BrokerAdmin admin) {
        this.admin = admin;
    }

    /** Takes one sample now. */
    public void sample() {
        long now = System.currentTimeMillis();
        MessageCounters c = admin.counters();
        List<QueueInfo> queues = admin.queues();
        long ready = 0;
        long unacked = 0;
        Map<String, QueueSample> current = new HashMap<>(queues.size() * 2);
        Map<String, double[]> rates = new HashMap<>(queues.size() * 2);
        Map<String, QueueSample> previous;
        synchronized (this) {
            previous = lastQueues;
        }
        for (QueueInfo q : queues) {
            ready += q.messagesReady();
            unacked += q.messagesUnacknowledged();
            String key = key(q.vhost(), q.name());
            QueueSample s = new QueueSample(now, q.published(), q.delivered());
            current.put(key, s);
            QueueSample p = previous.get(key);
            if (p != null && now > p.timestamp()) {
                double secs = (now - p.timestamp()) / 1000.0;
                rates.put(key, new double[]{Math.max(0, s.published() - p.published()) / secs,
                        Math.max(0, s.delivered() - p.delivered()) / secs});
            }
        }
        synchronized (this) {
            samples.addLast(new Sample(now, c, ready + unacked, ready, unacked));
            while (samples.size() > CAPACITY) {
                samples.removeFirst();
            }
            lastQueues = current;
        }
        queueRates = rates;
        sampleExchanges(now);
    }

    /** Exchanges as queues: {publish_in, publish_out} per second since the last sample. */
    private void sampleExchanges(long now) {
        List<ExchangeInfo> exchanges = admin.exchanges();
        Map<String, QueueSample> current = new HashMap<>(exchanges.size() * 2);
        Map<String, double[]> rates = new HashMap<>(exchanges.size() * 2);
        Map<String, QueueSample> previous;
        synchronized (this) {
            previous = lastExchanges;
        }
        for (ExchangeInfo x : exchanges) {
            String key = key(x.vhost(), x.name());
            QueueSample s = new QueueSample(now, x.publishIn(), x.publishOut());
            current.put(key, s);
            QueueSample p = previous.get(key);
            if (p != null && now > p.timestamp()) {
                double secs = (now - p.timestamp()) / 1000.0;
                rates.put(key, new double[]{Math.max(0, s.published() - p.published()) / secs,
                        Math.max(0, s.delivered() - p.delivered()) / secs});
            }
        }
        synchronized (this) {
            lastExchanges = current;
        }
        exchangeRates = rates;
    }

    private static String key(String vhost, String name) {
        return vhost + '\u0000' + name;
    }

    /** Samples, oldest first. */
    public synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    /** A counter's increase per second over the last sampling interval; 0 before there are two samples. */
    public double rate(ToLongFunction<Sample> f) {
        return Math.max(0.0, change(f));
    }

    /** A value's change per second over the last interval (negative when a queue shrinks). */
    public synchronized double change(ToLongFunction<Sample> f) {
        if (samples.size() < 2) {
            return 0.0;
        }
        Iterator<Sample> it = samples.descendingIterator();
        Sample last = it.next();
        Sample prev = it.next();
        double secs = (last.timestamp() - prev.timestamp()) / 1000.0;
        return secs <= 0 ? 0.0 : (f.applyAsLong(last) - f.applyAsLong(prev)) / secs;
    }

    /** {publish rate, deliver_get rate} of a queue over the last interval, or zeros. */
    /** {publish_in rate, publish_out rate} of an exchange over the last interval, or zeros. */
    public double[] exchangeRates(String vhost, String name) {
        double[] r = exchangeRates.get(key(vhost, name));
        return r == null ? new double[2] : r;
    }

    public double[] queueRates(String vhost, String name) {
        double[] r = queueRates.get(key(vhost, name));
        return r == null ? new double[2] : r;
    }
}
