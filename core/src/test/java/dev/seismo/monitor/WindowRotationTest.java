package dev.seismo.monitor;

import dev.seismo.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowRotationTest {

    private final ManualClock clock = ManualClock.startingAt(Instant.parse("2026-03-01T10:00:20Z"));
    /** Aggregated only when a test asks (snapshot, flush): the registry's thread would race the clock's moves. */
    private final MonitorRegistry registry = MonitorRegistry.builder().clock(clock)
            .aggregationInterval(Duration.ofMinutes(1)).build();

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    private static void calls(ModelMonitor monitor, int n) {
        Inference inference = monitor.newInference();
        for (int i = 0; i < n; i++) {
            monitor.record(inference.numeric(0, i).latency(1_000));
        }
    }

    @Test
    void windowsCloseOnDurationAlignedToItsMultiples() {
        ModelMonitor monitor = ModelMonitor.builder("m").numericFeature("x").windowDuration(Duration.ofMinutes(1))
                .register(registry);
        calls(monitor, 3);
        monitor.snapshot(); // what the aggregation thread does every 100 ms
        clock.advance(Duration.ofSeconds(45));
        calls(monitor, 4);
        MonitorSnapshot snapshot = monitor.snapshot();

        assertThat(snapshot.closed()).hasSize(1);
        Window first = snapshot.closed().get(0);
        assertThat(first.start()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(first.end()).isEqualTo(Instant.parse("2026-03-01T10:01:00Z"));
        assertThat(first.closeReason()).contains(Window.CloseReason.DURATION);
        assertThat(first.calls().calls()).isEqualTo(3);
        assertThat(first.profile().numeric("x").count()).isEqualTo(3);
        assertThat(snapshot.current().isOpen()).isTrue();
        assertThat(snapshot.current().start()).isEqualTo(Instant.parse("2026-03-01T10:01:00Z"));
        assertThat(snapshot.current().calls().calls()).isEqualTo(4);
    }

    @Test
    void idleIntervalsProduceNoEmptyWindows() {
        ModelMonitor monitor = ModelMonitor.builder("m").numericFeature("x").register(registry);
        calls(monitor, 1);
        monitor.snapshot();
        clock.advance(Duration.ofMinutes(10));
        calls(monitor, 2);

        MonitorSnapshot snapshot = monitor.snapshot();
        assertThat(snapshot.closed()).hasSize(1);
        assertThat(snapshot.current().start()).isEqualTo(Instant.parse("2026-03-01T10:10:00Z"));
        assertThat(snapshot.current().calls().calls()).isEqualTo(2);
    }

    @Test
    void windowsCloseExactlyAtTheirRecordCount() {
        ModelMonitor monitor = ModelMonitor.builder("m").numericFeature("x").noWindowDuration()
                .windowMaxRecords(100).register(registry);
        calls(monitor, 250);

        MonitorSnapshot snapshot = monitor.snapshot();
        assertThat(snapshot.closed()).extracting(w -> w.calls().calls()).containsExactly(100L, 100L);
        assertThat(snapshot.closed()).extracting(w -> w.profile().numeric("x").count()).containsExactly(100L, 100L);
        assertThat(snapshot.closed()).extracting(Window::closeReason)
                .allSatisfy(r -> assertThat(r).contains(Window.CloseReason.RECORD_COUNT));
        assertThat(snapshot.current().calls().calls()).isEqualTo(50);
    }

    @Test
    void historyIsBoundedAndEvictionsCounted() {
        ModelMonitor monitor = ModelMonitor.builder("m").numericFeature("x").noWindowDuration()
                .windowMaxRecords(10).windowHistory(3).register(registry);
        calls(monitor, 101);

        MonitorSnapshot snapshot = monitor.snapshot();
        assertThat(snapshot.closed()).extracting(Window::sequence).containsExactly(7L, 8L, 9L);
        assertThat(snapshot.evictedWindows()).isEqualTo(7);
        assertThat(snapshot.lifetimeCalls()).isEqualTo(101);
    }

    @Test
    void listenersAreToldOfEachClosedWindowAndOneThatThrowsDoesNotStopOthers() {
        List<Long> seen = new ArrayList<>();
        ModelMonitor monitor = ModelMonitor.builder("m").numericFeature("x").noWindowDuration().windowMaxRecords(5)
                .listener((m, w) -> {
                    throw new IllegalStateException("broken listener");
                })
                .listener((m, w) -> seen.add(w.calls().calls()))
                .register(registry);
        calls(monitor, 12);

        MonitorSnapshot snapshot = monitor.snapshot();
        assertThat(seen).containsExactly(5L, 5L);
        assertThat(snapshot.listenerFailures()).isEqualTo(2);
    }

    @Test
    void closingTheRegistryClosesTheOpenWindowSoNothingIsLost() {
        List<Window> closed = new ArrayList<>();
        ModelMonitor monitor = ModelMonitor.builder("m").numericFeature("x").listener((m, w) -> closed.add(w))
                .register(registry);
        calls(monitor, 7);

        registry.close();

        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).closeReason()).contains(Window.CloseReason.SHUTDOWN);
        assertThat(closed.get(0).calls().calls()).isEqualTo(7);
    }

    @Test
    void builderRejectsWindowsThatWouldNeverClose() {
        assertThatThrownBy(() -> ModelMonitor.builder("m").noWindowDuration().register(registry))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("windows would never close");
    }
}
