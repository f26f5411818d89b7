package dev.seismo.micrometer;

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

/** Real Seismo parts driven by hand for the tests: a registry on a manual clock, a fraud model with a reference. */
final class Traffic {

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int CALLS_PER_WINDOW = 1_000;

    final ManualClock clock = ManualClock.create();
    final InMemoryGpuReader gpuReader = InMemoryGpuReader.withDevices("NVIDIA H200");
    final GpuSampler gpus = GpuSampler.builder().reader(gpuReader).clock(clock).build();
    final MonitorRegistry registry;
    private final SplittableRandom random = new SplittableRandom(7);

    Traffic() {
        this(Duration.ofMillis(100));
    }

    /** A registry whose thread aggregates every {@code aggregationInterval}. */
    Traffic(Duration aggregationInterval) {
        registry = MonitorRegistry.builder().clock(clock).gpu(gpus).aggregationInterval(aggregationInterval).build();
    }

    /** The reference the fraud model's windows are compared with: amount ~ N(0, 1), country DE or FR, score U(0, 1). */
    Profile reference() {
        ProfileBuilder builder = ProfileBuilder.forSchema(Schema.builder().numericInput("amount")
                .categoricalInput("country").numericOutput("score").build());
        for (int i = 0; i < 5_000; i++) {
            builder.add(Map.of("amount", random.nextGaussian(), "country", i % 2 == 0 ? "DE" : "FR",
                    "score", random.nextDouble()));
        }
        return builder.build();
    }

    ModelMonitor.Builder fraud() {
        return ModelMonitor.builder("fraud").version("3").numericFeature("amount").categoricalFeature("country")
                .numericOutput("score").windowDuration(WINDOW);
    }

    /**
     * Records one window of {@value #CALLS_PER_WINDOW} successful calls of 2 ms, the amount shifted by {@code shift}
     * standard deviations, its first {@code missing} values missing and the next {@code invalid} infinite; then
     * closes the window. Flushes as it goes, as the registry's thread would under steady traffic, so no feature
     * value is shed and the ratios are exact.
     */
    void closeWindow(ModelMonitor monitor, double shift, int missing, int invalid) {
        Inference inference = monitor.newInference();
        for (int i = 0; i < CALLS_PER_WINDOW; i++) {
            double amount = i < missing ? Double.NaN
                    : i < missing + invalid ? Double.POSITIVE_INFINITY : random.nextGaussian() + shift;
            monitor.record(inference.numeric(0, amount).categorical(0, i % 2 == 0 ? "DE" : "FR")
                    .numeric(1, random.nextDouble()).latency(Duration.ofMillis(2)));
            if (i % 100 == 99) {
                monitor.flush();
            }
        }
        monitor.flush();
        clock.advance(WINDOW);
        monitor.flush();
    }

    /** Sets the one GPU's reading and samples it, as the sampler's thread would. */
    GpuSample readGpu(double utilization, long memoryUsed, double watts, double joules, double celsius) {
        GpuDevice device = gpuReader.devices().get(0);
        GpuSample sample = new GpuSample(device, utilization, memoryUsed, 80L << 30, watts, joules, celsius, List.of());
        gpuReader.set(sample);
        gpus.sample();
        return sample;
    }
}
