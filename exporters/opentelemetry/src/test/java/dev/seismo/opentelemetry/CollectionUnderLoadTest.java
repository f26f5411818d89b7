package dev.seismo.opentelemetry;

import dev.seismo.export.Metric;
import dev.seismo.monitor.Inference;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.seismo.opentelemetry.Points.metric;
import static org.assertj.core.api.Assertions.assertThat;

class CollectionUnderLoadTest {

    private static final int THREADS = 4;
    private static final int CALLS_PER_THREAD = 25_000;
    /** Every tenth call fails. */
    private static final int ERRORS_PER_THREAD = CALLS_PER_THREAD / 10;

    private final MonitorRegistry registry = MonitorRegistry.builder().aggregationInterval(Duration.ofMillis(1))
            .build();
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final SdkMeterProvider meterProvider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    private final SeismoOpenTelemetry exporter = SeismoOpenTelemetry.builder(registry)
            .openTelemetry(OpenTelemetrySdk.builder().setMeterProvider(meterProvider).build()).build();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        exporter.close();
        meterProvider.close();
        registry.close();
    }

    @Test
    void collectingWhileThreadsRecordAndWindowsRotateLosesNoCall() throws Exception {
        ModelMonitor monitor = ModelMonitor.builder("load").numericFeature("x").noWindowDuration()
                .windowMaxRecords(1_000).register(registry);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            writers.add(pool.submit(() -> {
                Inference inference = monitor.newInference();
                start.await();
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    monitor.record(inference.numeric(0, i).latency(1_000_000L + i)
                            .error(i % 10 == 0 ? new IllegalArgumentException() : null));
                }
                return null;
            }));
        }

        start.countDown();
        int collections = 0;
        long previous = 0;
        while (!writers.stream().allMatch(Future::isDone)) {
            long calls = totalCalls(reader.collectAllMetrics());
            assertThat(calls).as("cumulative calls never go back").isGreaterThanOrEqualTo(previous);
            previous = calls;
            collections++;
        }
        for (Future<?> writer : writers) {
            writer.get();
        }
        monitor.flush();
        Collection<MetricData> collected = reader.collectAllMetrics();

        long expected = (long) THREADS * CALLS_PER_THREAD;
        assertThat(collections).as("collections during the load").isGreaterThan(1);
        // Calls that overflow the recording buffer skip the per-record path that closes full windows, so fewer
        // windows than calls / 1000 close; what matters here is that several did while collections ran.
        assertThat(monitor.latestWindow().orElseThrow().sequence()).as("windows rotated under load")
                .isGreaterThanOrEqualTo(2);
        assertThat(totalCalls(collected)).isEqualTo(expected);
        assertThat(errorCalls(collected)).isEqualTo((long) THREADS * ERRORS_PER_THREAD);
        assertThat(metric(collected, Metric.INFERENCE_DURATION).getHistogramData().getPoints().stream()
                .mapToLong(HistogramPointData::getCount).sum()).isEqualTo(expected);
    }

    private static long totalCalls(Collection<MetricData> collected) {
        return collected.stream().filter(m -> m.getName().equals(Metric.INFERENCE_CALLS.otelName()))
                .flatMap(m -> m.getLongSumData().getPoints().stream()).mapToLong(LongPointData::getValue).sum();
    }

    private static long errorCalls(Collection<MetricData> collected) {
        return metric(collected, Metric.INFERENCE_CALLS).getLongSumData().getPoints().stream()
                .filter(p -> "error".equals(p.getAttributes().get(ModelAttributes.OUTCOME)))
                .mapToLong(LongPointData::getValue).sum();
    }
}
