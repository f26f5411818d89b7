package dev.seismo.prometheus;

import dev.seismo.export.CardinalityLimit;
import dev.seismo.export.Metric;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data points of one callback metric during one scrape, with capped label values. Capping can fold several
 * series into one {@link CardinalityLimit#OVERFLOW} series, and client_java rejects a scrape with duplicate label
 * sets, so folded points are merged: counters add up, gauges keep the largest value (the worst drift, the highest
 * ratio), which is what an alert on the folded series should see.
 *
 * <p>Not thread-safe: one per scrape of one metric.
 */
final class Points {

    /** Where the merged points go: client_java's gauge or counter callback. */
    interface Sink {
        void call(double value, String... labelValues);
    }

    private final Metric metric;
    private final CardinalityLimit limit;
    private final Map<List<String>, Double> values = new LinkedHashMap<>();

    Points(Metric metric, CardinalityLimit limit) {
        this.metric = metric;
        this.limit = limit;
    }

    /** Adds a point; NaN means "no reading" (an unsupported GPU sensor, a statistic that could not be computed). */
    void add(double value, String... labelValues) {
        if (Double.isNaN(value)) {
            return;
        }
        List<String> keys = metric.attributes();
        String[] capped = new String[labelValues.length];
        for (int i = 0; i < capped.length; i++) {
            capped[i] = limit.apply(keys.get(i), labelValues[i]);
        }
        values.merge(List.of(capped), value, metric.kind() == Metric.Kind.COUNTER ? Double::sum : Math::max);
    }

    void emitTo(Sink sink) {
        values.forEach((labels, value) -> sink.call(value, labels.toArray(String[]::new)));
    }
}
