package dev.seismo.prometheus;

import dev.seismo.cost.Cost;
import dev.seismo.cost.ResourceUsage;
import dev.seismo.export.CardinalityLimit;
import dev.seismo.export.Metric;
import dev.seismo.export.Metric.Attributes;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorObserver;
import dev.seismo.monitor.MonitorRegistry;
import dev.seismo.monitor.Window;
import dev.seismo.resource.GpuSample;
import dev.seismo.resource.GpuSampler;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.MetricWithFixedMetadata;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Every metric of {@link Metric} for the monitors of a {@link MonitorRegistry}, in a client_java
 * {@link PrometheusRegistry}, under exactly the names of {@link Metric#prometheusName()}.
 *
 * <pre>{@code
 * SeismoCollector.builder(monitorRegistry).cardinalityLimit(50).register(prometheusRegistry);
 * }</pre>
 *
 * <p>Counters and classic histograms are client_java {@link Counter}s and {@link Histogram}s, updated on the
 * monitor registry's aggregation thread through a {@link MonitorObserver}, so a model call never touches them and
 * a scrape never waits for a model call. Drift, data-quality and GPU gauges are read at scrape time from each
 * monitor's latest closed (immutable) window and the GPU sampler's latest readings. Monitors registered later
 * appear as they register. Every open-ended attribute value (model names and versions, error types, features,
 * drift methods, currencies, GPU ids and names) passes a {@link CardinalityLimit}; the fixed values
 * ({@code outcome}, {@code error.type=none}, {@code gen_ai.token.type}) take none of its room.
 *
 * <p>Thread-safe.
 */
public final class SeismoCollector {

    private final MonitorRegistry monitors;
    private final CardinalityLimit limit;
    private final ConcurrentHashMap<ModelMonitor, Series> series = new ConcurrentHashMap<>();
    private final List<Collector> collectors = new ArrayList<>();

    private final Counter calls;
    private final Histogram duration;
    private final Counter shed;
    private final Histogram tokens;
    private final Counter cost;
    private final Counter emissions;
    private final Counter cpuTime;
    private final Counter gpuTime;
    private final Counter energy;

    /** Feeds the counters and histograms, on the aggregation thread. */
    private final MonitorObserver observer = new MonitorObserver() {
        @Override
        public void onRegistered(ModelMonitor monitor) {
            seriesOf(monitor);
        }

        @Override
        public void onCalls(ModelMonitor monitor, long latencyNanos, String errorType, long count) {
            CallSeries s = seriesOf(monitor).calls(errorType);
            s.calls.inc(count);
            double seconds = latencyNanos / 1e9;
            // Overflowed calls arrive grouped by latency; client_java has no weighted observe.
            for (long i = 0; i < count; i++) {
                s.duration.observe(seconds);
            }
        }

        @Override
        public void onUsage(ModelMonitor monitor, long inputUnits, long outputUnits, long calls) {
            Series s = seriesOf(monitor);
            for (long i = 0; i < calls; i++) { // overflowed calls arrive summed: their mean, once per call
                s.inputTokens().observe((double) inputUnits / calls);
                s.outputTokens().observe((double) outputUnits / calls);
            }
        }

        @Override
        public void onShed(ModelMonitor monitor, long records, long values) {
            seriesOf(monitor).shed.inc(records);
        }

        @Override
        public void onCost(ModelMonitor monitor, ResourceUsage resources, Cost callCost, double emissionsGrams) {
            Series series = seriesOf(monitor);
            if (Double.isFinite(callCost.total())) { // NaN: a monitor without prices, which has no cost series
                add(series.cost(callCost.currency()), callCost.total());
            }
            ResourceSeries s = series.resources();
            add(s.emissions, emissionsGrams);
            add(s.cpuTime, resources.cpuSeconds());
            add(s.gpuTime, resources.gpuSeconds());
            add(s.energy, resources.gpuEnergyJoules());
        }
    };

    private SeismoCollector(MonitorRegistry monitors, CardinalityLimit limit) {
        this.monitors = monitors;
        this.limit = limit;
        calls = counter(Metric.INFERENCE_CALLS);
        duration = histogram(Metric.INFERENCE_DURATION);
        shed = counter(Metric.INFERENCE_SHED);
        tokens = histogram(Metric.TOKEN_USAGE);
        cost = counter(Metric.INFERENCE_COST);
        emissions = counter(Metric.INFERENCE_EMISSIONS);
        cpuTime = counter(Metric.INFERENCE_CPU_TIME);
        gpuTime = counter(Metric.INFERENCE_GPU_TIME);
        energy = counter(Metric.INFERENCE_ENERGY);

        windowGauge(Metric.FEATURE_DRIFT_SCORE, (m, w, points) -> w.drift().ifPresent(report ->
                report.features().values().forEach(f ->
                        points.add(f.score(), m.name(), m.version(), f.name(), f.method().key()))));
        windowGauge(Metric.FEATURE_DRIFTED, (m, w, points) -> w.drift().ifPresent(report ->
                report.features().values().forEach(f ->
                        points.add(f.drifted() ? 1 : 0, m.name(), m.version(), f.name(), f.method().key()))));
        windowGauge(Metric.DATASET_DRIFT_SHARE, (m, w, points) -> w.drift().ifPresent(report ->
                points.add(report.driftShare(), m.name(), m.version())));
        windowGauge(Metric.FEATURE_MISSING_RATIO, (m, w, points) -> w.profile().features().values().forEach(f ->
                points.add(ratio(f.missing(), f.total()), m.name(), m.version(), f.name())));
        windowGauge(Metric.FEATURE_INVALID_RATIO, (m, w, points) -> w.profile().features().values().forEach(f ->
                points.add(ratio(f.invalid(), f.total()), m.name(), m.version(), f.name())));

        gpuGauge(Metric.GPU_UTILIZATION, GpuSample::utilization);
        gpuGauge(Metric.GPU_MEMORY_USAGE, GpuSample::memoryUsedBytes);
        gpuGauge(Metric.GPU_MEMORY_LIMIT, GpuSample::memoryTotalBytes);
        gpuGauge(Metric.GPU_POWER, GpuSample::powerWatts);
        gpuGauge(Metric.GPU_TEMPERATURE, GpuSample::temperatureCelsius);
        collectors.add(describe(CounterWithCallback.builder(), Metric.GPU_ENERGY)
                .callback(cb -> gpuPoints(Metric.GPU_ENERGY, GpuSample::energyJoules).emitTo(cb::call))
                .build());
    }

    /** A builder that binds the monitors of {@code monitors}. */
    public static Builder builder(MonitorRegistry monitors) {
        return new Builder(Objects.requireNonNull(monitors, "monitors"));
    }

    /** The observer that feeds the counters and histograms; tests drive its hooks directly for exact amounts. */
    MonitorObserver observer() {
        return observer;
    }

    /** Counters only go up and client_java throws otherwise: an unmeasured (NaN) or negative share adds nothing. */
    private static void add(CounterDataPoint counter, double amount) {
        if (amount > 0 && amount != Double.POSITIVE_INFINITY) {
            counter.inc(amount);
        }
    }

    private Series seriesOf(ModelMonitor monitor) {
        Series s = series.get(monitor);
        // A monitor can be aggregated before this observer hears of it (an observer added to a running registry
        // is live before the registry replays its monitors), so its series are made on first use too.
        return s != null ? s : series.computeIfAbsent(monitor, Series::new);
    }

    private void register(PrometheusRegistry registry) {
        List<Collector> done = new ArrayList<>();
        try {
            for (Collector c : collectors) {
                registry.register(c);
                done.add(c);
            }
        } catch (RuntimeException e) {
            done.forEach(registry::unregister);
            throw e;
        }
        monitors.addObserver(observer);
    }

    private Counter counter(Metric metric) {
        Counter c = describe(Counter.builder(), metric).withoutExemplars().build();
        collectors.add(c);
        return c;
    }

    private Histogram histogram(Metric metric) {
        double[] bounds = metric.bucketBoundaries().stream().mapToDouble(Double::doubleValue).toArray();
        // Classic only: Prometheus scrapes the text format, where native histograms do not exist. No exemplars:
        // observations are made on the aggregation thread, outside the trace of the call.
        Histogram h = describe(Histogram.builder(), metric).classicOnly().classicUpperBounds(bounds)
                .withoutExemplars().build();
        collectors.add(h);
        return h;
    }

    private void windowGauge(Metric metric, WindowReader reader) {
        collectors.add(describe(GaugeWithCallback.builder(), metric).callback(cb -> {
            Points points = new Points(metric, limit);
            for (ModelMonitor m : monitors.monitors()) {
                m.latestWindow().ifPresent(w -> reader.read(m, w, points));
            }
            points.emitTo(cb::call);
        }).build());
    }

    private void gpuGauge(Metric metric, ToDoubleFunction<GpuSample> reading) {
        collectors.add(describe(GaugeWithCallback.builder(), metric)
                .callback(cb -> gpuPoints(metric, reading).emitTo(cb::call))
                .build());
    }

    private Points gpuPoints(Metric metric, ToDoubleFunction<GpuSample> reading) {
        Points points = new Points(metric, limit);
        for (GpuSample s : monitors.gpu().map(GpuSampler::latest).orElse(List.of())) {
            points.add(reading.applyAsDouble(s), Metric.Attributes.GPU, s.device().uuid(), s.device().name());
        }
        return points;
    }

    private static <B extends MetricWithFixedMetadata.Builder<B, ?>> B describe(B builder, Metric metric) {
        builder.name(metric.prometheusName()).help(metric.description())
                .labelNames(metric.attributes().stream().map(SeismoCollector::labelName).toArray(String[]::new));
        Unit unit = unit(metric);
        return unit == null ? builder : builder.unit(unit);
    }

    /** Prometheus label names have no dots; the attribute keys are otherwise the same in every exporter. */
    private static String labelName(String attributeKey) {
        return attributeKey.replace('.', '_');
    }

    /**
     * The Prometheus unit of a metric: the base unit its name ends with, or none for counts ({@code {call}}),
     * currencies and dimensionless scores. client_java shows it as OpenMetrics' {@code # UNIT}.
     */
    private static Unit unit(Metric metric) {
        return switch (metric.unit()) {
            case "s" -> Unit.SECONDS;
            case "By" -> Unit.BYTES;
            case "J" -> Unit.JOULES;
            case "W" -> new Unit("watts");
            case "Cel" -> Unit.CELSIUS;
            case "g" -> Unit.GRAMS;
            case "1" -> metric.prometheusName().endsWith("_ratio") ? Unit.RATIO : null;
            default -> null;
        };
    }

    private static double ratio(long part, long total) {
        return total == 0 ? 0 : (double) part / total;
    }

    /** Reads one monitor's latest closed window into the points of a gauge. */
    @FunctionalInterface
    private interface WindowReader {
        void read(ModelMonitor monitor, Window window, Points points);
    }

    /** A call counter and its duration histogram, of one outcome and error type. */
    private record CallSeries(CounterDataPoint calls, DistributionDataPoint duration) {
    }

    /** The resources attributed to one model's calls. */
    private record ResourceSeries(CounterDataPoint emissions, CounterDataPoint cpuTime, CounterDataPoint gpuTime,
                                  CounterDataPoint energy) {
    }

    /**
     * One monitor's data points, resolved once so that recording a call is a map lookup and an increment. Series
     * that every model has (calls, shed) exist from registration, at zero; tokens and cost appear with the first
     * usage or cost, so models without them show no empty series.
     */
    private final class Series {
        private final String name;
        private final String version;
        private final CallSeries success;
        private final ConcurrentHashMap<String, CallSeries> errors = new ConcurrentHashMap<>();
        private final CounterDataPoint shed;
        private final ConcurrentHashMap<String, CounterDataPoint> costs = new ConcurrentHashMap<>();
        private volatile ResourceSeries resources;
        // Set lazily without a lock: client_java returns the same data point for the same labels, so a race
        // between two threads settles on one point.
        private volatile DistributionDataPoint inputTokens;
        private volatile DistributionDataPoint outputTokens;

        Series(ModelMonitor monitor) {
            name = limit.apply(Attributes.MODEL_NAME, monitor.name());
            version = limit.apply(Attributes.MODEL_VERSION, monitor.version());
            success = callSeries(Attributes.SUCCESS, Attributes.NO_ERROR);
            shed = SeismoCollector.this.shed.labelValues(name, version);
        }

        CallSeries calls(String errorType) {
            if (errorType == null) {
                return success;
            }
            CallSeries s = errors.get(errorType);
            return s != null ? s : errors.computeIfAbsent(errorType,
                    t -> callSeries(Attributes.ERROR, limit.apply(Attributes.ERROR_TYPE, t)));
        }

        private CallSeries callSeries(String outcome, String errorType) {
            return new CallSeries(calls.labelValues(name, version, outcome, errorType),
                    duration.labelValues(name, version, outcome, errorType));
        }

        DistributionDataPoint inputTokens() {
            DistributionDataPoint p = inputTokens;
            if (p == null) {
                inputTokens = p = tokens.labelValues(name, version, Attributes.INPUT);
            }
            return p;
        }

        DistributionDataPoint outputTokens() {
            DistributionDataPoint p = outputTokens;
            if (p == null) {
                outputTokens = p = tokens.labelValues(name, version, Attributes.OUTPUT);
            }
            return p;
        }

        CounterDataPoint cost(String currency) {
            CounterDataPoint p = costs.get(currency);
            return p != null ? p : costs.computeIfAbsent(currency,
                    c -> cost.labelValues(name, version, limit.apply(Attributes.CURRENCY, c)));
        }

        ResourceSeries resources() {
            ResourceSeries r = resources;
            if (r == null) {
                resources = r = new ResourceSeries(emissions.labelValues(name, version),
                        cpuTime.labelValues(name, version), gpuTime.labelValues(name, version),
                        energy.labelValues(name, version));
            }
            return r;
        }
    }

    /** Builds and registers a {@link SeismoCollector}. Not thread-safe. */
    public static final class Builder {
        private final MonitorRegistry monitors;
        private CardinalityLimit limit = CardinalityLimit.defaults();

        private Builder(MonitorRegistry monitors) {
            this.monitors = monitors;
        }

        /**
         * At most {@code maxValuesPerAttribute} distinct values per attribute key (default
         * {@value CardinalityLimit#DEFAULT_MAX_VALUES}); later values are exported as
         * {@value CardinalityLimit#OVERFLOW}.
         */
        public Builder cardinalityLimit(int maxValuesPerAttribute) {
            this.limit = CardinalityLimit.perAttribute(maxValuesPerAttribute);
            return this;
        }

        /**
         * Registers the metrics in {@code registry} and starts feeding them.
         *
         * @throws IllegalStateException if {@code registry} already has a metric of one of these names (then none
         *                               is registered)
         */
        public void register(PrometheusRegistry registry) {
            bind(registry);
        }

        /** Registers the metrics in client_java's {@link PrometheusRegistry#defaultRegistry}. */
        public void register() {
            register(PrometheusRegistry.defaultRegistry);
        }

        /** Registers and returns the collector, whose {@link #observer()} tests drive directly. */
        SeismoCollector bind(PrometheusRegistry registry) {
            Objects.requireNonNull(registry, "registry");
            SeismoCollector collector = new SeismoCollector(monitors, limit);
            collector.register(registry);
            return collector;
        }
    }
}
