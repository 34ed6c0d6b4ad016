package io.warren.management.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the metric families of one scrape as Prometheus snapshots. {@code prefix} is what
 * rabbitmq_prometheus puts before a core metric's name ({@code rabbitmq_} or {@code rabbitmq_detailed_}).
 *
 * <p>Object metrics (one series per queue, channel or connection) are written as RabbitMQ writes
 * them: one labelled series per object when {@code perObject}, else one unlabelled series holding
 * their sum (rabbitmq_prometheus' default aggregation on {@code /metrics}).
 */
final class Families {
    /** One labelled value of an object metric. */
    record Sample(Labels labels, double value) {
    }

    private final String prefix;
    private final boolean perObject;
    private final List<MetricSnapshot> out = new ArrayList<>();

    Families(String prefix, boolean perObject) {
        this.prefix = prefix;
        this.perObject = perObject;
    }

    boolean perObject() {
        return perObject;
    }

    List<MetricSnapshot> snapshots() {
        return out;
    }

    /** A gauge with one unlabelled value, named with the prefix. */
    void gauge(String name, String help, double value) {
        gaugeSamples(prefix + name, help, List.of(new Sample(Labels.EMPTY, value)));
    }

    /** A counter with one unlabelled value, named with the prefix. */
    void counter(String name, String help, double value) {
        counterSamples(prefix + name, help, List.of(new Sample(Labels.EMPTY, value)));
    }

    /** A counter, named with the prefix, whose labels (e.g. {@code protocol}) are kept in every mode. */
    void labelledCounter(String name, String help, Labels labels, double value) {
        counterSamples(prefix + name, help, List.of(new Sample(labels, value)));
    }

    /** A gauge per object (or their sum), named with the prefix. */
    void objectGauge(String name, String help, List<Sample> samples) {
        gaugeSamples(prefix + name, help, perObject ? samples : sum(samples));
    }

    /** A counter per object (or their sum), named with the prefix. */
    void objectCounter(String name, String help, List<Sample> samples) {
        counterSamples(prefix + name, help, perObject ? samples : sum(samples));
    }

    /**
     * A counter RabbitMQ keeps per object that Warren keeps only for the whole broker: per object it is
     * one series with the object labels empty, so sums and rates over the family are still right.
     */
    void brokerWideCounter(String name, String help, double total, String... objectLabels) {
        Labels labels = Labels.EMPTY;
        if (perObject) {
            for (String l : objectLabels) {
                labels = labels.add(l, "");
            }
        }
        counterSamples(prefix + name, help, List.of(new Sample(labels, total)));
    }

    /** A gauge with the exact name given (no prefix), labelled as given. */
    void gaugeSamples(String fullName, String help, List<Sample> samples) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(fullName).help(help);
        for (Sample s : samples) {
            b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(s.labels()).value(s.value()).build());
        }
        out.add(b.build());
    }

    /** A counter with the exact name given (no prefix); negative values (a racy difference) count as 0. */
    void counterSamples(String fullName, String help, List<Sample> samples) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(fullName).help(help);
        for (Sample s : samples) {
            b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(s.labels())
                    .value(Math.max(0, s.value())).build());
        }
        out.add(b.build());
    }

    /** An untyped metric, as rabbitmq_prometheus writes its {@code _info} metrics. */
    void untyped(String fullName, String help, Labels labels, double value) {
        out.add(UnknownSnapshot.builder().name(fullName).help(help)
                .dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder().labels(labels).value(value).build())
                .build());
    }

    void add(MetricSnapshot snapshot) {
        out.add(snapshot);
    }

    private static List<Sample> sum(List<Sample> samples) {
        double total = 0;
        for (Sample s : samples) {
            if (!Double.isNaN(s.value())) {
                total += s.value();
            }
        }
        return List.of(new Sample(Labels.EMPTY, total));
    }
}
