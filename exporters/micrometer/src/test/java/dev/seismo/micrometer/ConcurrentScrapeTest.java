package dev.seismo.micrometer;

import dev.seismo.monitor.Inference;
import dev.seismo.monitor.ModelMonitor;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentScrapeTest {

    private static final int WRITERS = 4;
    private static final int CALLS_PER_WRITER = 25_000;
    /** Each writer waits for one more scrape every this many calls, so the load spans several windows. */
    private static final int CALLS_PER_SCRAPE = 5_000;

    private final Traffic traffic = new Traffic(Duration.ofMillis(1));
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ExecutorService threads = Executors.newFixedThreadPool(WRITERS);

    @AfterEach
    void close() {
        threads.shutdownNow();
        traffic.registry.close();
        prometheus.close();
    }

    @Test
    void scrapesDuringWindowRotationUnderLoadLoseNoCall() throws Exception {
        SeismoMetrics.of(traffic.registry).bindTo(prometheus);
        ModelMonitor monitor = traffic.fraud().reference(traffic.reference()).register(traffic.registry);
        // A first window warms aggregation and drift up, so that the windows rotate while the load runs.
        traffic.closeWindow(monitor, 0, 0, 0);
        long warmUp = Traffic.CALLS_PER_WINDOW;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger scrapes = new AtomicInteger();
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            writers.add(threads.submit(() -> {
                Inference inference = monitor.newInference();
                start.await();
                for (int i = 0; i < CALLS_PER_WRITER; i++) {
                    inference.numeric(0, i % 7).categorical(0, i % 2 == 0 ? "DE" : "FR").numeric(1, 0.5)
                            .latency(1_000_000);
                    monitor.record(i % 10 == 0 ? inference.error(new IllegalStateException()) : inference);
                    if (i % 100 == 0) {
                        // Bursts with pauses spread the load over many windows rather than one.
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                    // However slow the machine, the load outlasts several scrapes, each moving the clock a window.
                    while (scrapes.get() < i / CALLS_PER_SCRAPE) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                }
                return null;
            }));
        }

        start.countDown();
        List<Double> seen = new ArrayList<>();
        while (!writers.stream().allMatch(Future::isDone)) {
            seen.add(sum(prometheus.scrape(), "model_inference_calls_total{"));
            // The clock moves a window per scrape: windows close, and drift gauges swap, while scrapes read them.
            traffic.clock.advance(Traffic.WINDOW);
            // Let the aggregator close the window the clock just ended before the writers move on.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            scrapes.incrementAndGet();
        }
        for (Future<?> writer : writers) {
            writer.get(10, TimeUnit.SECONDS);
        }
        monitor.flush();
        String last = prometheus.scrape();

        long calls = (long) WRITERS * CALLS_PER_WRITER;
        assertThat(sum(last, "model_inference_calls_total{")).isEqualTo(warmUp + calls);
        assertThat(sum(last, "model_inference_duration_seconds_count{")).isEqualTo(warmUp + calls);
        assertThat(sum(last, "model_inference_calls_total{error_type=\"java.lang.IllegalStateException\""))
                .isEqualTo(calls / 10);
        assertThat(seen).as("scrapes taken while recording").hasSizeGreaterThan(1).isSorted();
        assertThat(monitor.snapshot().closed()).as("windows rotated while scraping").hasSizeGreaterThan(2);
        assertThat(last).contains("model_feature_drift_score{");
    }

    /** The sum of the values of the series whose lines start with {@code prefix}. */
    private static double sum(String scrape, String prefix) {
        return scrape.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
