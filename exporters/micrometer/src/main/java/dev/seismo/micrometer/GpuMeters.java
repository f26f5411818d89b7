package dev.seismo.micrometer;

import dev.seismo.export.CardinalityLimit;
import dev.seismo.export.Metric;
import dev.seismo.resource.GpuSample;
import dev.seismo.resource.GpuSampler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import static dev.seismo.export.Metric.Attributes.GPU_ID;
import static dev.seismo.export.Metric.Attributes.HW_TYPE;
import static dev.seismo.export.Metric.Attributes.GPU_NAME;

/**
 * The {@code hw.*} meters of the GPUs a {@link GpuSampler} reads: gauges and an energy counter that read the
 * sampler's latest readings when the registry is collected. Internal.
 *
 * <p>Thread-safe. The GPUs are known only once the sampler has read them, so the meters are registered at the
 * first {@link #bindIfRead()} after that, once; a reading a GPU does not support in its first sample (power,
 * energy or temperature is NaN on some boards) gets no meter.
 */
final class GpuMeters {

    private final MeterRegistry registry;
    private final CardinalityLimit limit;
    private final Tags commonTags;
    private final GpuSampler sampler;
    /**
     * The energy counters' state. Micrometer holds a function counter's object only weakly; this list, reachable
     * from the monitor registry through its observer, keeps them counting.
     */
    private final List<Energy> energy = new ArrayList<>();
    private volatile boolean bound;

    GpuMeters(MeterRegistry registry, CardinalityLimit limit, Tags commonTags, GpuSampler sampler) {
        this.registry = registry;
        this.limit = limit;
        this.commonTags = commonTags;
        this.sampler = sampler;
    }

    void bindIfRead() {
        if (bound) {
            return;
        }
        synchronized (this) {
            List<GpuSample> first = sampler.latest();
            if (bound || first.isEmpty()) {
                return;
            }
            for (GpuSample sample : first) {
                bind(sample);
            }
            bound = true;
        }
    }

    private void bind(GpuSample first) {
        String id = limit.apply(GPU_ID, first.device().uuid());
        String name = limit.apply(GPU_NAME, first.device().name());
        if (id.equals(CardinalityLimit.OVERFLOW)) {
            // Gauges of different GPUs cannot be added up under one series.
            return;
        }
        Tags tags = commonTags.and(HW_TYPE, Metric.Attributes.GPU, GPU_ID, id, GPU_NAME, name);
        String uuid = first.device().uuid();
        gauge(Metric.GPU_UTILIZATION, tags, uuid, GpuSample::utilization);
        gauge(Metric.GPU_MEMORY_USAGE, tags, uuid, s -> s.memoryUsedBytes());
        gauge(Metric.GPU_MEMORY_LIMIT, tags, uuid, s -> s.memoryTotalBytes());
        if (!Double.isNaN(first.powerWatts())) {
            gauge(Metric.GPU_POWER, tags, uuid, GpuSample::powerWatts);
        }
        if (!Double.isNaN(first.temperatureCelsius())) {
            gauge(Metric.GPU_TEMPERATURE, tags, uuid, GpuSample::temperatureCelsius);
        }
        if (!Double.isNaN(first.energyJoules())) {
            Energy e = new Energy(sampler, uuid);
            energy.add(e);
            FunctionCounter.builder(Metric.GPU_ENERGY.otelName(), e, Energy::joules)
                    .description(Metric.GPU_ENERGY.description())
                    .baseUnit(Units.baseUnit(Metric.GPU_ENERGY))
                    .tags(tags)
                    .register(registry);
        }
    }

    private void gauge(Metric metric, Tags tags, String uuid, ToDoubleFunction<GpuSample> value) {
        Gauge.builder(metric.otelName(), sampler, s -> {
                    GpuSample sample = latest(s, uuid);
                    return sample == null ? Double.NaN : value.applyAsDouble(sample);
                })
                .description(metric.description())
                .baseUnit(Units.baseUnit(metric))
                .tags(tags)
                // Micrometer holds a gauge's object weakly by default; a gauge must read for as long as it is shown.
                .strongReference(true)
                .register(registry);
    }

    /** The latest reading of the GPU, or null once readings stopped; a linear scan over a handful of GPUs. */
    private static GpuSample latest(GpuSampler sampler, String uuid) {
        for (GpuSample sample : sampler.latest()) {
            if (sample.device().uuid().equals(uuid)) {
                return sample;
            }
        }
        return null;
    }

    /** One GPU's energy counter: the last reading seen, so the counter holds its value when readings stop. */
    private static final class Energy {
        private final GpuSampler sampler;
        private final String uuid;
        private volatile double joules;

        Energy(GpuSampler sampler, String uuid) {
            this.sampler = sampler;
            this.uuid = uuid;
        }

        double joules() {
            GpuSample sample = latest(sampler, uuid);
            if (sample != null && !Double.isNaN(sample.energyJoules())) {
                joules = sample.energyJoules();
            }
            return joules;
        }
    }
}
