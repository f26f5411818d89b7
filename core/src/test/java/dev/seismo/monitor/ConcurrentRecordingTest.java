package dev.seismo.monitor;

import dev.seismo.profile.CallStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentRecordingTest {

    private static final int THREADS = 4;
    private static final int CALLS_PER_THREAD = 200_000;

    @Test
    void noRecordIsLostWhileWindowsRotateAndSnapshotsAreTaken() throws Exception {
        try (MonitorRegistry registry = MonitorRegistry.create()) {
            ModelMonitor monitor = ModelMonitor.builder("hammered").numericFeature("x").categoricalFeature("c")
                    .noWindowDuration().windowMaxRecords(25_000).windowHistory(10_000).register(registry);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                Thread writer = new Thread(() -> {
                    Inference inference = monitor.newInference();
                    awaitQuietly(start);
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        inference.numeric(0, i).categorical(0, id == 0 ? "a" : "b").latency(i);
                        if (i % 100 == 0) {
                            inference.error(new IllegalStateException());
                        }
                        monitor.record(inference);
                    }
                });
                writer.start();
                writers.add(writer);
            }
            AtomicBoolean done = new AtomicBoolean();
            List<Long> observedTotals = new ArrayList<>();
            Thread reader = new Thread(() -> {
                while (!done.get()) {
                    observedTotals.add(monitor.snapshot().lifetimeCalls());
                }
            });
            reader.start();
            start.countDown();
            for (Thread writer : writers) {
                writer.join();
            }
            done.set(true);
            reader.join();

            MonitorSnapshot snapshot = monitor.snapshot();
            long total = (long) THREADS * CALLS_PER_THREAD;
            assertThat(snapshot.lifetimeCalls()).isEqualTo(total);
            assertThat(snapshot.evictedWindows()).isZero();
            long windowed = 0;
            long errors = 0;
            long profiledOrShed = 0;
            for (Window window : snapshot.windows()) {
                CallStats calls = window.calls();
                windowed += calls.calls();
                errors += calls.errors();
                profiledOrShed += window.profile().numeric("x").total() + calls.shedRecords();
                assertThat(calls.successLatency().getTotalCount() + calls.errorLatency().getTotalCount())
                        .isEqualTo(calls.calls());
            }
            assertThat(windowed).isEqualTo(total);
            assertThat(errors).isEqualTo(total / 100);
            assertThat(profiledOrShed).isEqualTo(total);
            assertThat(observedTotals).isSortedAccordingTo(Long::compare);
        }
    }

    @Test
    void whenAggregationFallsBehindFeatureValuesAreShedAndCountedButCallsStayExact() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (MonitorRegistry registry = MonitorRegistry.create()) {
            ModelMonitor monitor = ModelMonitor.builder("stalled").numericFeature("x").noWindowDuration()
                    .windowMaxRecords(1_000).windowHistory(10_000)
                    .listener((m, w) -> awaitQuietly(release)) // holds the aggregation thread
                    .register(registry);
            Inference inference = monitor.newInference();
            int total = 100_000;
            for (int i = 0; i < total; i++) {
                monitor.record(inference.numeric(0, i).latency(1_000));
            }
            release.countDown();

            MonitorSnapshot snapshot = monitor.snapshot();
            long calls = 0;
            long shed = 0;
            long shedValues = 0;
            long profiled = 0;
            for (Window window : snapshot.windows()) {
                calls += window.calls().calls();
                shed += window.calls().shedRecords();
                shedValues += window.calls().shedValues();
                profiled += window.profile().numeric("x").count();
            }
            assertThat(snapshot.lifetimeCalls()).isEqualTo(total);
            assertThat(calls).isEqualTo(total);
            assertThat(shed).isGreaterThan(total / 2);
            assertThat(shedValues).isEqualTo(shed);
            assertThat(profiled + shed).isEqualTo(total);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
