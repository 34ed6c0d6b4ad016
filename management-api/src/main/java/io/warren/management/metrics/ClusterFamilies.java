package io.warren.management.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.warren.management.model.BindingInfo;
import io.warren.management.model.ExchangeInfo;
import io.warren.management.model.VhostInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * rabbitmq_prometheus' cluster-wide groups of {@code /metrics/detailed} (prefix {@code rabbitmq_cluster_}):
 * vhost_status, exchange_bindings and exchange_names. As RabbitMQ, the default exchange and internal
 * exchanges are left out.
 */
final class ClusterFamilies {
    private ClusterFamilies() {
    }

    static void vhostStatus(ScrapeData d, Families f) {
        List<Families.Sample> samples = new ArrayList<>();
        for (VhostInfo v : d.vhosts()) {
            samples.add(new Families.Sample(Labels.of("vhost", v.name()), 1));
        }
        f.gaugeSamples("rabbitmq_cluster_vhost_status", "Whether a given vhost is running", samples);
    }

    static void exchangeBindings(ScrapeData d, Families f) {
        Map<String, Integer> counts = new HashMap<>();
        for (BindingInfo b : d.bindings()) {
            counts.merge(b.vhost() + '\0' + b.source(), 1, Integer::sum);
        }
        List<Families.Sample> samples = new ArrayList<>();
        for (ExchangeInfo e : listed(d)) {
            samples.add(new Families.Sample(labels(e), counts.getOrDefault(e.vhost() + '\0' + e.name(), 0)));
        }
        f.gaugeSamples("rabbitmq_cluster_exchange_bindings",
                "Number of bindings for an exchange. This value is cluster-wide.", samples);
    }

    static void exchangeNames(ScrapeData d, Families f) {
        List<Families.Sample> samples = new ArrayList<>();
        for (ExchangeInfo e : listed(d)) {
            samples.add(new Families.Sample(labels(e), 1));
        }
        f.gaugeSamples("rabbitmq_cluster_exchange_name",
                "Enumerates exchanges without any additional info. This value is cluster-wide. A cheaper alternative to `exchange_bindings`",
                samples);
    }

    private static List<ExchangeInfo> listed(ScrapeData d) {
        return d.exchanges().stream().filter(e -> !e.name().isEmpty() && !e.internal()).toList();
    }

    private static Labels labels(ExchangeInfo e) {
        return Labels.of("vhost", e.vhost(), "exchange", e.name(), "type", e.type());
    }
}
