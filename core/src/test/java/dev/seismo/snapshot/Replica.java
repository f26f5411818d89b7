package dev.seismo.snapshot;

import dev.seismo.monitor.Inference;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorRegistry;
import dev.seismo.monitor.Window;
import dev.seismo.time.ManualClock;

import java.time.Duration;
import java.time.Instant;

/** One process of a fleet, for tests: a registry on a manual clock with one monitor, model fraud version 3. */
final class Replica implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String[] COUNTRIES = {"DE", "FR", "US"};

    final ManualClock clock = ManualClock.startingAt(T0);
    final MonitorRegistry registry = MonitorRegistry.builder().clock(clock).build();
    final ModelMonitor monitor = ModelMonitor.builder("fraud").version("3")
            .numericFeature("amount").categoricalFeature("country")
            .register(registry);

    /** Records calls {@code from} to {@code to - 1}: amount i/2, one of three countries, every 7th call failing. */
    Replica record(int from, int to) {
        Inference inference = monitor.newInference();
        for (int i = from; i < to; i++) {
            inference.set("amount", i / 2.0).set("country", COUNTRIES[i % 3]).latency(1_000 + i);
            if (i % 7 == 0) {
                inference.error(new IllegalStateException());
            }
            monitor.record(inference);
        }
        return this;
    }

    /**
     * Aggregates what was recorded, then moves to the next minute and aggregates again, which closes the window (a
     * record still buffered when the minute turns counts in the next window).
     */
    Replica closeWindow() {
        monitor.flush();
        clock.advance(Duration.ofMinutes(1));
        monitor.flush();
        return this;
    }

    Window latestWindow() {
        return monitor.latestWindow().orElseThrow();
    }

    @Override
    public void close() {
        registry.close();
    }
}
