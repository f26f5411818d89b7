package dev.seismo.opentelemetry;

import dev.seismo.export.Metric;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;

import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Finds metrics and points in what a reader collected. */
final class Points {

    private Points() {
    }

    /** The one collected metric of this model metric. */
    static MetricData metric(Collection<MetricData> collected, Metric metric) {
        List<MetricData> found = collected.stream().filter(m -> m.getName().equals(metric.otelName())).toList();
        assertThat(found).as("collected metrics named %s", metric.otelName()).hasSize(1);
        return found.get(0);
    }

    /** The one point with exactly these attributes. */
    static <P extends PointData> P point(Collection<P> points, Attributes attributes) {
        List<P> found = points.stream().filter(p -> p.getAttributes().equals(attributes)).toList();
        assertThat(found).as("points with %s among %s", attributes, points).hasSize(1);
        return found.get(0);
    }

    /** Attributes from alternating keys and values. */
    static Attributes attributes(String... keysAndValues) {
        var builder = Attributes.builder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            builder.put(AttributeKey.stringKey(keysAndValues[i]), keysAndValues[i + 1]);
        }
        return builder.build();
    }
}
