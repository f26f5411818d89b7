package dev.seismo.micrometer;

import dev.seismo.cost.Cost;
import dev.seismo.cost.ResourceUsage;
import dev.seismo.drift.DriftReport;
import dev.seismo.drift.FeatureDrift;
import dev.seismo.export.CardinalityLimit;
import dev.seismo.export.Metric;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.Window;
import dev.seismo.profile.FeatureProfile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import static dev.seismo.export.Metric.Attributes.CURRENCY;
import static dev.seismo.export.Metric.Attributes.ERROR;
import static dev.seismo.export.Metric.Attributes.ERROR_TYPE;
import static dev.seismo.export.Metric.Attributes.FEATURE;
import static dev.seismo.export.Metric.Attributes.INPUT;
import static dev.seismo.export.Metric.Attributes.METHOD;
import static dev.seismo.export.Metric.Attributes.MODEL_NAME;
import static dev.seismo.export.Metric.Attributes.MODEL_VERSION;
import static dev.seismo.export.Metric.Attributes.NO_ERROR;
import static dev.seismo.export.Metric.Attributes.OUTCOME;
import static dev.seismo.export.Metric.Attributes.OUTPUT;
import static dev.seismo.export.Metric.Attributes.SUCCESS;
import static dev.seismo.export.Metric.Attributes.TOKEN_TYPE;

/**
 * The meters of one monitor in one meter registry. Internal.
 *
 * <p>Thread-safe. Timers, counters and summaries are registered when first needed, so a model without usage or a
 * cost model shows no empty series of them; registering is idempotent in Micrometer (the same id gives the same
 * meter), so two threads that race to register one get the same meter and lose nothing. Gauges are registered as
 * closed windows reveal features and drift methods, under this object's lock.
 */
final class ModelMeters {

    private final MeterRegistry registry;
    private final CardinalityLimit limit;
    private final ModelMonitor monitor;
    private final Tags tags;
    /** The model's name or version was past the cardinality limit: its gauges would claim another model's series. */
    private final boolean folded;
    private final CallMeters success;
    private final Counter shed;
    private final ConcurrentHashMap<String, CallMeters> errors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> costs = new ConcurrentHashMap<>();
    private volatile TokenMeters tokens;
    private volatile ResourceMeters resources;

    // Guarded by this.
    private boolean datasetDriftShown;
    private final Set<String> ratioFeatures = new HashSet<>();
    private final Map<String, DriftGauges> driftGauges = new HashMap<>();

    ModelMeters(MeterRegistry registry, CardinalityLimit limit, Tags commonTags, ModelMonitor monitor) {
        this.registry = registry;
        this.limit = limit;
        this.monitor = monitor;
        String name = limit.apply(MODEL_NAME, monitor.name());
        String version = limit.apply(MODEL_VERSION, monitor.version());
        this.tags = commonTags.and(MODEL_NAME, name, MODEL_VERSION, version);
        this.folded = name.equals(CardinalityLimit.OVERFLOW) || version.equals(CardinalityLimit.OVERFLOW);
        // Registered now, so a model's success and shed series read 0 from the start rather than appearing later.
        this.success = callMeters(SUCCESS, NO_ERROR);
        this.shed = counter(Metric.INFERENCE_SHED, tags);
    }

    void calls(long latencyNanos, String errorType, long count) {
        CallMeters meters = errorType == null ? success : errorMeters(errorType);
        // Micrometer has no weighted record: calls grouped by latency are recorded one by one, so the timer's
        // count, sum and maximum stay exact.
        for (long i = 0; i < count; i++) {
            meters.duration.record(latencyNanos, TimeUnit.NANOSECONDS);
        }
        meters.calls.increment(count);
    }

    private CallMeters errorMeters(String errorType) {
        CallMeters meters = errors.get(errorType);
        return meters != null ? meters : errors.computeIfAbsent(errorType,
                type -> callMeters(ERROR, limit.apply(ERROR_TYPE, type)));
    }

    private CallMeters callMeters(String outcome, String errorType) {
        Tags callTags = tags.and(OUTCOME, outcome, ERROR_TYPE, errorType);
        Timer duration = Timer.builder(Metric.INFERENCE_DURATION.otelName())
                .description(Metric.INFERENCE_DURATION.description())
                .tags(callTags)
                .register(registry);
        return new CallMeters(duration, counter(Metric.INFERENCE_CALLS, callTags));
    }

    void usage(long inputUnits, long outputUnits, long calls) {
        TokenMeters t = tokens;
        if (t == null) {
            t = new TokenMeters(summary(tags.and(TOKEN_TYPE, INPUT)), summary(tags.and(TOKEN_TYPE, OUTPUT)));
            tokens = t;
        }
        for (long i = 0; i < calls; i++) { // overflowed calls arrive summed: their mean, once per call
            t.input.record((double) inputUnits / calls);
            t.output.record((double) outputUnits / calls);
        }
    }

    private DistributionSummary summary(Tags summaryTags) {
        return DistributionSummary.builder(Metric.TOKEN_USAGE.otelName())
                .description(Metric.TOKEN_USAGE.description())
                .baseUnit(Units.baseUnit(Metric.TOKEN_USAGE))
                .tags(summaryTags)
                .register(registry);
    }

    void shed(long records) {
        shed.increment(records);
    }

    void cost(ResourceUsage used, Cost cost, double emissionsGrams) {
        ResourceMeters r = resources;
        if (r == null) {
            r = new ResourceMeters(counter(Metric.INFERENCE_EMISSIONS, tags), counter(Metric.INFERENCE_CPU_TIME, tags),
                    counter(Metric.INFERENCE_GPU_TIME, tags), counter(Metric.INFERENCE_ENERGY, tags));
            resources = r;
        }
        add(r.emissions, emissionsGrams);
        add(r.cpuTime, used.cpuSeconds());
        add(r.gpuTime, used.gpuSeconds());
        add(r.energy, used.gpuEnergyJoules());
        if (!Double.isFinite(cost.total())) {
            return; // a monitor without prices: no cost series
        }
        Counter money = costs.get(cost.currency());
        if (money == null) {
            money = costs.computeIfAbsent(cost.currency(),
                    c -> counter(Metric.INFERENCE_COST, tags.and(CURRENCY, limit.apply(CURRENCY, c))));
        }
        add(money, cost.total());
    }

    /**
     * Adds a positive, finite amount: a NaN (a reading the hardware lacks), an infinity or a negative amount would
     * break a counter's sum for good.
     */
    private static void add(Counter counter, double amount) {
        if (amount > 0 && Double.isFinite(amount)) {
            counter.increment(amount);
        }
    }

    private Counter counter(Metric metric, Tags counterTags) {
        return Counter.builder(metric.otelName())
                .description(metric.description())
                .baseUnit(Units.baseUnit(metric))
                .tags(counterTags)
                .register(registry);
    }

    /** Registers the gauges of what {@code window} shows that no gauge shows yet; the gauges read the latest window. */
    synchronized void showWindow(Window window) {
        if (folded) {
            return;
        }
        for (String feature : window.profile().features().keySet()) {
            if (ratioFeatures.add(feature)) {
                String featureTag = limit.apply(FEATURE, feature);
                if (!featureTag.equals(CardinalityLimit.OVERFLOW)) {
                    Tags featureTags = tags.and(FEATURE, featureTag);
                    gauge(Metric.FEATURE_MISSING_RATIO, featureTags, m -> ratio(m, feature, FeatureProfile::missing));
                    gauge(Metric.FEATURE_INVALID_RATIO, featureTags, m -> ratio(m, feature, FeatureProfile::invalid));
                }
            }
        }
        window.drift().ifPresent(this::showDrift);
    }

    private void showDrift(DriftReport report) {
        if (!datasetDriftShown) {
            gauge(Metric.DATASET_DRIFT_SHARE, tags, m -> drift(m).map(DriftReport::driftShare).orElse(Double.NaN));
            datasetDriftShown = true;
        }
        for (FeatureDrift feature : report.features().values()) {
            String name = feature.name();
            String method = feature.method().key();
            DriftGauges shown = driftGauges.get(name);
            if (shown != null && shown.method.equals(method)) {
                continue;
            }
            // The method can change between windows (Evidently's choice depends on the sample size): a series
            // per method that is no longer used would go on reading NaN, so it is removed.
            if (shown != null) {
                registry.remove(shown.score);
                registry.remove(shown.drifted);
                driftGauges.remove(name);
            }
            String featureTag = limit.apply(FEATURE, name);
            String methodTag = limit.apply(METHOD, method);
            if (featureTag.equals(CardinalityLimit.OVERFLOW) || methodTag.equals(CardinalityLimit.OVERFLOW)) {
                continue;
            }
            Tags driftTags = tags.and(FEATURE, featureTag, METHOD, methodTag);
            Gauge score = gauge(Metric.FEATURE_DRIFT_SCORE, driftTags,
                    m -> featureDrift(m, name, method).map(FeatureDrift::score).orElse(Double.NaN));
            Gauge drifted = gauge(Metric.FEATURE_DRIFTED, driftTags,
                    m -> featureDrift(m, name, method).map(f -> f.drifted() ? 1.0 : 0.0).orElse(Double.NaN));
            driftGauges.put(name, new DriftGauges(method, score, drifted));
        }
    }

    private Gauge gauge(Metric metric, Tags gaugeTags, ToDoubleFunction<ModelMonitor> value) {
        return Gauge.builder(metric.otelName(), monitor, value)
                .description(metric.description())
                .baseUnit(Units.baseUnit(metric))
                .tags(gaugeTags)
                // Micrometer holds a gauge's object weakly by default; a gauge must read for as long as it is shown.
                .strongReference(true)
                .register(registry);
    }

    private static Optional<DriftReport> drift(ModelMonitor monitor) {
        return monitor.latestWindow().flatMap(Window::drift);
    }

    /** The feature's drift in the latest window, if it was decided by {@code method}. */
    private static Optional<FeatureDrift> featureDrift(ModelMonitor monitor, String feature, String method) {
        return drift(monitor).map(r -> r.features().get(feature)).filter(f -> f.method().key().equals(method));
    }

    private static double ratio(ModelMonitor monitor, String feature, ToLongFunction<FeatureProfile> part) {
        FeatureProfile profile = monitor.latestWindow().map(w -> w.profile().features().get(feature)).orElse(null);
        if (profile == null) {
            return Double.NaN;
        }
        long total = profile.total();
        return total == 0 ? 0 : (double) part.applyAsLong(profile) / total;
    }

    private record CallMeters(Timer duration, Counter calls) {
    }

    private record TokenMeters(DistributionSummary input, DistributionSummary output) {
    }

    private record ResourceMeters(Counter emissions, Counter cpuTime, Counter gpuTime, Counter energy) {
    }

    private record DriftGauges(String method, Gauge score, Gauge drifted) {
    }
}
