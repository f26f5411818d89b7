package dev.seismo.monitor;

import dev.seismo.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class MonitorObserverTest {

    private final MonitorRegistry registry = MonitorRegistry.builder().clock(ManualClock.create()).build();
    /** Written by the aggregation thread and by flushing callers alike. */
    private final List<String> heard = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    private final MonitorObserver recorder = new MonitorObserver() {
        @Override
        public void onRegistered(ModelMonitor monitor) {
            heard.add("registered " + monitor.name());
        }

        @Override
        public void onCalls(ModelMonitor monitor, long latencyNanos, String errorType, long count) {
            heard.add("calls " + monitor.name() + " " + latencyNanos + " " + errorType + " x" + count);
        }

        @Override
        public void onUsage(ModelMonitor monitor, long inputUnits, long outputUnits, long calls) {
            heard.add("usage " + inputUnits + "/" + outputUnits);
        }

        @Override
        public void onWindowClosed(ModelMonitor monitor, Window window) {
            heard.add("window " + window.calls().calls());
        }
    };

    @Test
    void observersHearOfMonitorsBeforeAndAfterThemAndOfEveryCall() {
        ModelMonitor first = ModelMonitor.builder("first").register(registry);
        registry.addObserver(recorder);
        ModelMonitor second = ModelMonitor.builder("second").noWindowDuration().windowMaxRecords(2)
                .register(registry);

        first.record(first.newInference().latency(1_000));
        second.record(second.newInference().latency(2_000).usage(30, 4));
        second.record(second.newInference().latency(3_000).error(new IllegalStateException()));
        second.record(second.newInference().latency(4_000));
        first.flush();
        second.flush();

        // Monitors are aggregated independently (the registry's thread may get to either first): order per monitor.
        assertThat(heard.subList(0, 2)).containsExactly("registered first", "registered second");
        assertThat(heard).filteredOn(line -> line.contains("first")).containsExactly(
                "registered first",
                "calls first 1000 null x1");
        assertThat(heard).filteredOn(line -> !line.contains("first")).containsExactly(
                "registered second",
                "calls second 2000 null x1",
                "usage 30/4",
                "calls second 3000 java.lang.IllegalStateException x1",
                "window 2",
                "calls second 4000 null x1");
        assertThat(second.latestWindow()).hasValueSatisfying(w -> assertThat(w.calls().calls()).isEqualTo(2));
        assertThat(first.latestWindow()).isEmpty();
    }

    @Test
    void overflowedCallsReachObserversGroupedByLatencyAndNoneIsLost() {
        long[] calls = new long[1];
        CountDownLatch release = new CountDownLatch(1);
        registry.addObserver(new MonitorObserver() {
            @Override
            public void onCalls(ModelMonitor m, long latencyNanos, String errorType, long count) {
                calls[0] += count;
            }
        });
        ModelMonitor monitor = ModelMonitor.builder("stalled").numericFeature("x").noWindowDuration()
                .windowMaxRecords(100).windowHistory(10_000)
                .listener((m, w) -> awaitQuietly(release)) // holds the aggregation thread: the buffer overflows
                .register(registry);
        Inference inference = monitor.newInference();
        for (int i = 0; i < 50_000; i++) {
            monitor.record(inference.numeric(0, i).latency(1_000));
        }
        release.countDown();
        monitor.flush();

        assertThat(calls[0]).isEqualTo(50_000);
        assertThat(monitor.snapshot().windows().stream().mapToLong(w -> w.calls().shedRecords()).sum())
                .isPositive();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anObserverThatThrowsIsCountedAndOthersStillHear() {
        registry.addObserver(new MonitorObserver() {
            @Override
            public void onCalls(ModelMonitor monitor, long latencyNanos, String errorType, long count) {
                throw new IllegalStateException("broken exporter");
            }
        });
        registry.addObserver(recorder);
        ModelMonitor monitor = ModelMonitor.builder("m").register(registry);

        monitor.record(monitor.newInference().latency(5));
        monitor.record(monitor.newInference().latency(6));

        MonitorSnapshot snapshot = monitor.snapshot();
        assertThat(snapshot.listenerFailures()).isEqualTo(2);
        assertThat(heard).containsExactly("registered m", "calls m 5 null x1", "calls m 6 null x1");
    }
}
