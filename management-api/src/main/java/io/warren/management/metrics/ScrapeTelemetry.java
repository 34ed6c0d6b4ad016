package io.warren.management.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * rabbitmq_prometheus' {@code telemetry_scrape_*} summaries: how long the scrapes of each endpoint
 * ({@code registry}) took and how big their answers were. A scrape reports the scrapes before it.
 * Compression (when the scraper asks) happens later in the HTTP pipeline, unseen here: the encoded size
 * is the plain size, with encoding "identity".
 */
final class ScrapeTelemetry {
    private record Totals(long count, double seconds, long bytes) {
    }

    private final String contentType;
    private final Map<String, Totals> byRegistry = new TreeMap<>();

    ScrapeTelemetry(String contentType) {
        this.contentType = contentType;
    }

    synchronized void record(String registry, long nanos, long bytes) {
        Totals t = byRegistry.getOrDefault(registry, new Totals(0, 0, 0));
        byRegistry.put(registry, new Totals(t.count() + 1, t.seconds() + nanos / 1e9, t.bytes() + bytes));
    }

    synchronized List<MetricSnapshot> snapshots() {
        SummarySnapshot.Builder encoded = SummarySnapshot.builder().name("telemetry_scrape_encoded_size_bytes")
                .help("Scrape size, encoded");
        SummarySnapshot.Builder duration = SummarySnapshot.builder().name("telemetry_scrape_duration_seconds")
                .help("Scrape duration");
        SummarySnapshot.Builder size = SummarySnapshot.builder().name("telemetry_scrape_size_bytes")
                .help("Scrape size, not encoded");
        for (Map.Entry<String, Totals> e : byRegistry.entrySet()) {
            Labels labels = Labels.of("registry", e.getKey(), "content_type", contentType);
            Totals t = e.getValue();
            encoded.dataPoint(point(labels.add("encoding", "identity"), t.count(), t.bytes()));
            duration.dataPoint(point(labels, t.count(), t.seconds()));
            size.dataPoint(point(labels, t.count(), t.bytes()));
        }
        List<MetricSnapshot> out = new ArrayList<>(3);
        out.add(encoded.build());
        out.add(duration.build());
        out.add(size.build());
        return out;
    }

    private static SummaryDataPointSnapshot point(Labels labels, long count, double sum) {
        return SummaryDataPointSnapshot.builder().labels(labels).count(count).sum(sum).build();
    }
}
