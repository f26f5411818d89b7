package dev.seismo.micrometer;

import dev.seismo.export.CardinalityLimit;
import dev.seismo.export.Metric;
import dev.seismo.monitor.MonitorRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.List;
import java.util.Objects;

/**
 * Shows the monitors of a {@link MonitorRegistry} in a Micrometer {@link MeterRegistry}, and through it in
 * Prometheus, OTLP, Datadog or any other backend Micrometer publishes to. Meter names, units and tags are those of
 * {@link Metric} ({@code docs/metrics.md}); monitors registered after binding appear as they register.
 *
 * <pre>{@code
 * SeismoMetrics.of(monitorRegistry).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Timers, counters and distribution summaries are recorded on the monitor registry's aggregation thread, never
 * on a thread calling the model; gauges read the latest closed window (immutable) when the meter registry is
 * collected. Bind once per meter registry: each binding records every call, so two would count it twice.
 *
 * <p>Timers and distribution summaries publish count, sum and maximum only: a library should not switch on
 * client-side percentiles or histograms, which multiply the series. Switch histograms on with a {@code MeterFilter}:
 * {@code percentilesHistogram(true)} gives Micrometer's own buckets (about 70 for a timer), and
 * {@code serviceLevelObjectives} with {@link Metric#bucketBoundaries()} gives exactly the buckets the
 * OpenTelemetry and Prometheus exporters use, so the three views can be compared bucket for bucket:
 *
 * <pre>{@code
 * meterRegistry.config().meterFilter(new MeterFilter() {
 *     public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
 *         if (!id.getName().equals(Metric.INFERENCE_DURATION.otelName())) {
 *             return config;
 *         }
 *         return DistributionStatisticConfig.builder()
 *                 .serviceLevelObjectives(Metric.INFERENCE_DURATION.bucketBoundaries().stream()
 *                         .mapToDouble(seconds -> seconds * 1e9).toArray()) // a timer's are in nanoseconds
 *                 .build().merge(config);                                    // or .percentilesHistogram(true)
 *     }
 * });
 * }</pre>
 *
 * <p>Under Micrometer's Prometheus registry the meters take the Prometheus names of {@code docs/metrics.md}, with
 * two differences that are Micrometer's: a timer or summary without histogram is a Prometheus {@code summary}
 * ({@code _count}, {@code _sum}) rather than a {@code histogram}, and each also has a gauge {@code <name>_max}
 * (the largest value of the last few minutes), such as {@code model_inference_duration_seconds_max}.
 *
 * <p>Thread-safe: immutable; each setting returns a new binder.
 */
public final class SeismoMetrics implements MeterBinder {

    private static final List<String> OWN_KEYS = List.of(Metric.Attributes.MODEL_NAME, Metric.Attributes.MODEL_VERSION,
            Metric.Attributes.OUTCOME, Metric.Attributes.ERROR_TYPE, Metric.Attributes.FEATURE,
            Metric.Attributes.METHOD, Metric.Attributes.TOKEN_TYPE, Metric.Attributes.CURRENCY,
            Metric.Attributes.HW_TYPE, Metric.Attributes.GPU_ID, Metric.Attributes.GPU_NAME);

    private final MonitorRegistry monitors;
    private final int maxTagValues;
    private final Tags commonTags;

    private SeismoMetrics(MonitorRegistry monitors, int maxTagValues, Tags commonTags) {
        this.monitors = monitors;
        this.maxTagValues = maxTagValues;
        this.commonTags = commonTags;
    }

    /** A binder of the monitors of {@code monitors}, {@value CardinalityLimit#DEFAULT_MAX_VALUES} values per tag. */
    public static SeismoMetrics of(MonitorRegistry monitors) {
        return new SeismoMetrics(Objects.requireNonNull(monitors, "monitors"), CardinalityLimit.DEFAULT_MAX_VALUES,
                Tags.empty());
    }

    /**
     * At most {@code maxValuesPerTag} distinct values per tag key (default
     * {@value CardinalityLimit#DEFAULT_MAX_VALUES}); later values are shown as {@value CardinalityLimit#OVERFLOW}.
     * Timers, counters and summaries of those values add up under it; gauges, whose values cannot be added, are
     * not shown for them.
     */
    public SeismoMetrics cardinalityLimit(int maxValuesPerTag) {
        if (maxValuesPerTag < 1) {
            throw new IllegalArgumentException("cardinalityLimit must be >= 1 value per tag, was " + maxValuesPerTag);
        }
        return new SeismoMetrics(monitors, maxValuesPerTag, commonTags);
    }

    /**
     * Adds these tags to every Seismo meter (a {@code MeterFilter.commonTags} does the same for every meter of a
     * registry).
     *
     * @throws IllegalArgumentException if a key is one of Seismo's own tag keys
     */
    public SeismoMetrics commonTags(Iterable<Tag> tags) {
        Objects.requireNonNull(tags, "tags");
        for (Tag tag : tags) {
            if (OWN_KEYS.contains(tag.getKey())) {
                throw new IllegalArgumentException("common tag '" + tag.getKey() + "' is a tag Seismo sets itself; "
                        + "Seismo's tag keys are " + OWN_KEYS);
            }
        }
        return new SeismoMetrics(monitors, maxTagValues, commonTags.and(tags));
    }

    /** Adds tags given as key, value, key, value, ... to every Seismo meter; see {@link #commonTags(Iterable)}. */
    public SeismoMetrics commonTags(String... keyValues) {
        return commonTags(Tags.of(keyValues));
    }

    /** Registers the meters of every monitor, present and future, and of the registry's GPUs, in {@code registry}. */
    @Override
    public void bindTo(MeterRegistry registry) {
        MeterBinding binding = binding(registry);
        monitors.addObserver(binding);
        binding.bindGpusIfRead();
    }

    /** The observer that records into {@code registry}; {@link #bindTo} adds it, tests call it directly. */
    MeterBinding binding(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return new MeterBinding(registry, CardinalityLimit.perAttribute(maxTagValues), commonTags,
                monitors.gpu().orElse(null));
    }
}
