package dev.seismo.prometheus;

import dev.seismo.monitor.Inference;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorRegistry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
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

class ScrapeDuringRotationTest {

    private static final int THREADS = 4;
    /** Each writer records at least this many calls, and goes on until the reader has scraped enough. */
    private static final int MIN_CALLS = 20_000;
    private static final int MIN_SCRAPES = 12;
    private static final long MAX_WRITING_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int MAX_SCRAPES = 200;

    @Test
    void scrapesWhileWindowsRotateUnderLoadPassPromtoolOnlyGrowAndTheLastSeesEveryCall() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(THREADS);
        try (MonitorRegistry registry = MonitorRegistry.builder().aggregationInterval(Duration.ofMillis(1)).build();
             HTTPServer server = SeismoPrometheus.serve(registry, 0)) {
            // Windows of 500 calls: hundreds of rotations while the scrapes run.
            ModelMonitor monitor = ModelMonitor.builder("load").numericFeature("x").noWindowDuration()
                    .windowMaxRecords(500).register(registry);
            AtomicInteger scrapes = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> writing = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                writing.add(writers.submit(() -> {
                    Inference inference = monitor.newInference();
                    start.await();
                    long deadline = System.nanoTime() + MAX_WRITING_NANOS;
                    int i = 0;
                    for (; i < MIN_CALLS || (scrapes.get() < MIN_SCRAPES && System.nanoTime() < deadline); i++) {
                        if (i % 1_000 == 0) {
                            // Paced, so that on a small machine the scraper and promtool get the CPU too.
                            LockSupport.parkNanos(1_000_000);
                        }
                        inference.numeric(0, i).latency(1_000 + i);
                        if (i % 7 == 0) {
                            inference.error(new IllegalArgumentException());
                        }
                        monitor.record(inference);
                    }
                    return i;
                }));
            }

            start.countDown();
            double previous = 0;
            while (scrapes.get() < MAX_SCRAPES && !writing.stream().allMatch(Future::isDone)) {
                double seen = calls(Exposition.parse(Exposition.checked(Http.metrics(server.getPort()))));
                assertThat(seen).as("scrape %d", scrapes.get()).isGreaterThanOrEqualTo(previous);
                previous = seen;
                scrapes.incrementAndGet();
            }
            long made = 0;
            long errors = 0;
            for (Future<Integer> f : writing) {
                int calls = f.get(30, TimeUnit.SECONDS);
                made += calls;
                errors += (calls + 6) / 7;
            }
            monitor.flush();

            Exposition last = Exposition.parse(Exposition.checked(Http.metrics(server.getPort())));
            assertThat(scrapes.get()).isGreaterThanOrEqualTo(MIN_SCRAPES);
            assertThat(previous).isLessThanOrEqualTo(made);
            assertThat(calls(last)).isEqualTo(made);
            assertThat(last.value("model_inference_calls_total", "outcome", "error")).isEqualTo(errors);
            assertThat(last.find("model_inference_duration_seconds_count").stream()
                    .mapToDouble(Exposition.Sample::value).sum()).isEqualTo(made);
            assertThat(monitor.snapshot().closed().get(0).sequence()).isGreaterThan(100);
        } finally {
            writers.shutdownNow();
        }
    }

    private static double calls(Exposition e) {
        return e.find("model_inference_calls_total").stream().mapToDouble(Exposition.Sample::value).sum();
    }
}
