package dev.seismo.opentelemetry;

import dev.seismo.cost.Cost;
import dev.seismo.cost.ResourceUsage;
import dev.seismo.monitor.Inference;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorRegistry;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileBuilder;
import dev.seismo.resource.GpuDevice;
import dev.seismo.resource.GpuSample;
import dev.seismo.resource.GpuSampler;
import dev.seismo.resource.InMemoryGpuReader;
import dev.seismo.schema.Schema;
import dev.seismo.time.ManualClock;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A real registry on a manual clock, with an in-memory GPU and one monitor with a reference profile, and the
 * traffic the exporter tests check: known latencies, errors, usage, missing and invalid values, one closed window.
 */
final class Traffic implements AutoCloseable {

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final GpuSample GPU = new GpuSample(new GpuDevice(0, "NVIDIA H200", "GPU-in-memory-0"), 0.75,
            12L << 30, 141L << 30, 310.5, 98_765.0, 54.0, List.of());
    static final ResourceUsage RESOURCES = new ResourceUsage(2.0, 0.25, 0.5, 40.0);
    static final Cost COST = new Cost("USD", 0.01, 0.002, 0.0, 0.003, 0.0);
    static final double EMISSIONS_GRAMS = 2.5;

    final ManualClock clock = ManualClock.create();
    final MonitorRegistry registry;

    Traffic() {
        InMemoryGpuReader gpus = InMemoryGpuReader.withDevices("NVIDIA H200");
        gpus.set(GPU);
        GpuSampler sampler = GpuSampler.builder().reader(gpus).clock(clock).build();
        sampler.sample();
        registry = MonitorRegistry.builder().clock(clock).gpu(sampler).build();
    }

    /** A monitor of model {@code fraud} version 3 with an amount, a country and a score, and a reference. */
    ModelMonitor fraudMonitor() {
        return ModelMonitor.builder("fraud").version("3").numericFeature("amount").categoricalFeature("country")
                .numericOutput("score").windowDuration(WINDOW).reference(reference()).register(registry);
    }

    private static Profile reference() {
        SplittableRandom random = new SplittableRandom(7);
        ProfileBuilder builder = ProfileBuilder.forSchema(Schema.builder().numericInput("amount")
                .categoricalInput("country").numericOutput("score").build());
        for (int i = 0; i < 2_000; i++) {
            builder.add(Map.of("amount", random.nextGaussian(), "country", i % 2 == 0 ? "DE" : "FR",
                    "score", random.nextDouble()));
        }
        return builder.build();
    }

    /**
     * Ten calls in one window that then closes: eight successes of 2 ms with 100 input and 20 output tokens (the
     * amount shifted far from the reference, one of them missing and one invalid), and two
     * {@link IllegalStateException}s of 40 ms.
     */
    void recordWindow(ModelMonitor monitor) {
        Inference inference = monitor.newInference();
        for (int i = 0; i < 8; i++) {
            double amount = i == 0 ? Double.NaN : i == 1 ? Double.POSITIVE_INFINITY : 10 + i;
            monitor.record(inference.numeric(0, amount).categorical(0, "DE").numeric(1, 0.5)
                    .usage(100, 20).latency(Duration.ofMillis(2)));
        }
        for (int i = 0; i < 2; i++) {
            monitor.record(inference.numeric(0, 12.0).categorical(0, "FR").numeric(1, 0.5)
                    .latency(Duration.ofMillis(40)).error(new IllegalStateException("boom")));
        }
        closeWindow(monitor);
    }

    /** Aggregates what was recorded, then moves past the window's end so the next aggregation closes it. */
    void closeWindow(ModelMonitor monitor) {
        monitor.flush();
        clock.advance(WINDOW);
        monitor.flush();
    }

    /** Exact amounts handed to the exporter's observer: a cost settlement, and shed records. */
    static void settle(SeismoOpenTelemetry exporter, ModelMonitor monitor) {
        exporter.observer().onCost(monitor, RESOURCES, COST, EMISSIONS_GRAMS);
        exporter.observer().onShed(monitor, 3, 9);
    }

    @Override
    public void close() {
        registry.close();
    }
}
