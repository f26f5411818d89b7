package dev.seismo.prometheus;

import dev.seismo.monitor.Inference;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorRegistry;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileBuilder;
import dev.seismo.resource.GpuSample;
import dev.seismo.resource.GpuSampler;
import dev.seismo.resource.InMemoryGpuReader;
import dev.seismo.schema.Schema;
import dev.seismo.time.ManualClock;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A real monitor registry on a manual clock with one GPU read in memory, and a "fraud" model with a reference
 * profile, so that every Seismo metric has data: calls, errors, usage, a closed window with drift and missing
 * values, and GPU readings.
 */
final class Scenario implements AutoCloseable {

    static final int WINDOW = 400;

    final ManualClock clock = ManualClock.create();
    final InMemoryGpuReader gpus = InMemoryGpuReader.withDevices("NVIDIA H100");
    final GpuSampler sampler = GpuSampler.builder().reader(gpus).clock(clock).build();
    final MonitorRegistry registry;
    private final SplittableRandom random = new SplittableRandom(7);

    Scenario() {
        gpus.set(new GpuSample(gpus.devices().get(0), 0.75, 40L << 30, 80L << 30, 350.5, 1.5e6, 61,
                List.of()));
        sampler.sample();
        registry = MonitorRegistry.builder().clock(clock).gpu(sampler).build();
    }

    /** The fraud model, comparing each window of {@value #WINDOW} calls with a reference. */
    ModelMonitor fraud() {
        ProfileBuilder reference = ProfileBuilder.forSchema(Schema.builder().numericInput("amount")
                .categoricalInput("country").build());
        for (int i = 0; i < 2_000; i++) {
            reference.add(Map.of("amount", random.nextGaussian(), "country", i % 2 == 0 ? "DE" : "FR"));
        }
        Profile profile = reference.build();
        return ModelMonitor.builder("fraud").version("3").numericFeature("amount").categoricalFeature("country")
                .noWindowDuration().windowMaxRecords(WINDOW).reference(profile).register(registry);
    }

    /**
     * Records one full window and the call that closes it: {@code errors} of them fail, each has usage, and every
     * tenth lacks its amount (never the closing one, which opens the next window). The amount is shifted by
     * {@code shift} standard deviations.
     */
    void window(ModelMonitor monitor, int errors, double shift) {
        Inference inference = monitor.newInference();
        for (int i = 0; i <= WINDOW; i++) {
            inference.numeric(0, i % 10 == 5 ? Double.NaN : random.nextGaussian() + shift)
                    .categorical(0, i % 2 == 0 ? "DE" : "FR").latency(3_000_000).usage(120, 8);
            if (i < errors) {
                inference.error(new IllegalStateException("model failed"));
            }
            monitor.record(inference);
        }
        monitor.flush();
    }

    @Override
    public void close() {
        registry.close();
    }
}
