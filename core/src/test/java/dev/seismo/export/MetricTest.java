package dev.seismo.export;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MetricTest {

    @Test
    void docsListEveryMetricWithItsNamesKindAndUnit() throws IOException {
        String doc = Files.readString(Path.of("../docs/metrics.md"));

        for (Metric metric : Metric.values()) {
            assertThat(doc).as(metric.name()).contains("| `" + metric.otelName() + "` | `" + metric.prometheusName()
                    + "` | " + metric.kind().name().toLowerCase() + " | `" + metric.unit() + "` |");
        }
    }

    @Test
    void prometheusNamesFollowTheStandardTranslation() {
        for (Metric metric : Metric.values()) {
            String name = metric.prometheusName();
            assertThat(name).as(metric.name()).matches("[a-z_]+");
            assertThat(name.endsWith("_total")).as(metric.name()).isEqualTo(metric.kind() == Metric.Kind.COUNTER);
            String base = metric.otelName().replace('.', '_');
            assertThat(name).as(metric.name()).startsWith(base);
            switch (metric.unit()) {
                case "s" -> assertThat(name).contains("_seconds");
                case "By" -> assertThat(name).contains("_bytes");
                case "J" -> assertThat(name).contains("_joules");
                case "W" -> assertThat(name).contains("_watts");
                case "g" -> assertThat(name).contains("_grams");
                case "Cel" -> assertThat(name).contains("_celsius");
                // The translation adds _ratio to gauges of unit 1, and drops units in braces.
                case "1" -> assertThat(name).endsWith("_ratio");
                default -> assertThat(metric.unit()).as(metric.name()).matches("\\{[a-z]+}");
            }
        }
    }

    @Test
    void onlyHistogramsHaveBucketBoundariesAndTheyIncrease() {
        for (Metric metric : Metric.values()) {
            assertThat(metric.bucketBoundaries().isEmpty()).isEqualTo(metric.kind() != Metric.Kind.HISTOGRAM);
            assertThat(metric.bucketBoundaries()).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void cardinalityLimitFoldsValuesPastTheLimitIntoOverflow() {
        CardinalityLimit limit = CardinalityLimit.perAttribute(2);

        assertThat(limit.apply("error.type", "a")).isEqualTo("a");
        assertThat(limit.apply("error.type", "b")).isEqualTo("b");
        assertThat(limit.apply("error.type", "c")).isEqualTo(CardinalityLimit.OVERFLOW);
        assertThat(limit.apply("error.type", "a")).isEqualTo("a");
        assertThat(limit.apply("model.name", "c")).isEqualTo("c");
    }
}
