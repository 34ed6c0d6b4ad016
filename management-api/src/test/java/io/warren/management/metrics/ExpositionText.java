package io.warren.management.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Prometheus text format (0.0.4) back into families and samples, for tests: each family's type
 * and the label names its samples carry, and sample values by their full series text.
 */
public final class ExpositionText {
    /** A family's type and the label names seen on its samples (null: it had no samples). */
    public record Family(String type, Set<String> labels) {
    }

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Map<String, Family> families = new LinkedHashMap<>();
    private final Map<String, Double> samples = new LinkedHashMap<>();

    public ExpositionText(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                families.put(parts[2], new Family(parts[3], null));
            } else if (!line.startsWith("#") && !line.isBlank()) {
                Matcher m = SAMPLE.matcher(line);
                if (!m.matches()) {
                    throw new IllegalArgumentException("not a sample: " + line);
                }
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.valueOf(m.group(4)));
                String family = familyOf(m.group(1));
                Set<String> labels = new TreeSet<>();
                Matcher l = LABEL.matcher(m.group(3) == null ? "" : m.group(3));
                while (l.find()) {
                    if (!l.group(1).equals("quantile") && !l.group(1).equals("le")) {
                        labels.add(l.group(1));
                    }
                }
                Family f = families.get(family);
                if (f.labels() != null) {
                    labels.addAll(f.labels());
                }
                families.put(family, new Family(f.type(), labels));
            }
        }
    }

    private String familyOf(String sampleName) {
        if (families.containsKey(sampleName)) {
            return sampleName;
        }
        for (String suffix : new String[]{"_count", "_sum", "_bucket"}) {
            String base = sampleName.endsWith(suffix) ? sampleName.substring(0, sampleName.length() - suffix.length())
                    : null;
            if (base != null && families.containsKey(base)) {
                return base;
            }
        }
        throw new IllegalArgumentException("sample without a # TYPE line: " + sampleName);
    }

    public Map<String, Family> families() {
        return families;
    }

    /** A sample's value by its series as written, e.g. {@code rabbitmq_queues} or {@code x{a="b"}}; null if absent. */
    public Double value(String series) {
        return samples.get(series);
    }
}
