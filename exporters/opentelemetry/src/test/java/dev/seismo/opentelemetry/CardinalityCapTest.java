package dev.seismo.opentelemetry;

import dev.seismo.export.CardinalityLimit;
import dev.seismo.export.Metric;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorRegistry;
import dev.seismo.time.ManualClock;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.seismo.opentelemetry.Points.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class CardinalityCapTest {

    private final MonitorRegistry registry = MonitorRegistry.builder().clock(ManualClock.create()).build();
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final SdkMeterProvider meterProvider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    private final SeismoOpenTelemetry exporter = SeismoOpenTelemetry.builder(registry)
            .openTelemetry(OpenTelemetrySdk.builder().setMeterProvider(meterProvider).build())
            .cardinalityLimit(2).build();

    @AfterEach
    void close() {
        exporter.close();
        meterProvider.close();
        registry.close();
    }

    @Test
    void modelNamesPastTheCapAreCountedTogetherAsOther() {
        for (String name : new String[] {"a", "b", "c", "d"}) {
            ModelMonitor monitor = ModelMonitor.builder(name).register(registry);
            monitor.record(monitor.newInference().latency(1_000));
            monitor.flush();
        }

        Map<String, Long> callsByModel = callsBy(reader.collectAllMetrics(), ModelAttributes.MODEL_NAME);

        assertThat(callsByModel).containsOnly(entry("a", 1L), entry("b", 1L), entry(CardinalityLimit.OVERFLOW, 2L));
    }

    @Test
    void errorTypesPastTheCapAreCountedTogetherAsOther() {
        ModelMonitor monitor = ModelMonitor.builder("fraud").register(registry);
        monitor.record(monitor.newInference().latency(1_000));
        for (RuntimeException error : new RuntimeException[] {new IllegalStateException(),
                new IllegalArgumentException(), new UnsupportedOperationException(), new IllegalArgumentException()}) {
            monitor.record(monitor.newInference().latency(1_000).error(error));
        }
        monitor.flush();

        Map<String, Long> callsByErrorType = callsBy(reader.collectAllMetrics(), ModelAttributes.ERROR_TYPE);

        // "none", the error type of successes, is a fixed value: it takes none of the two places.
        assertThat(callsByErrorType).containsOnly(entry(Metric.Attributes.NO_ERROR, 1L),
                entry("java.lang.IllegalStateException", 1L), entry("java.lang.IllegalArgumentException", 2L),
                entry(CardinalityLimit.OVERFLOW, 1L));
    }

    private static Map<String, Long> callsBy(Collection<MetricData> collected, AttributeKey<String> key) {
        return metric(collected, Metric.INFERENCE_CALLS).getLongSumData().getPoints().stream()
                .collect(Collectors.groupingBy(p -> p.getAttributes().get(key),
                        Collectors.summingLong(LongPointData::getValue)));
    }
}
