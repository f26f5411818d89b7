package dev.seismo.opentelemetry;

import dev.seismo.drift.DriftReport;
import dev.seismo.drift.FeatureDrift;
import dev.seismo.export.Metric;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.Window;
import dev.seismo.profile.FeatureProfile;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The drift and data-quality gauges: at each collection, one pass over the monitors reads each one's latest closed
 * {@link Window}, which is immutable, so collecting never waits for the aggregation thread or a recording thread.
 *
 * <p>Internal: not part of the public API. Thread-safe.
 */
final class ModelGauges {

    private final Map<ModelMonitor, ModelAttributes> models;
    private final ObservableDoubleMeasurement driftScore;
    private final ObservableDoubleMeasurement drifted;
    private final ObservableDoubleMeasurement driftShare;
    private final ObservableDoubleMeasurement missingRatio;
    private final ObservableDoubleMeasurement invalidRatio;

    private ModelGauges(Meter meter, Map<ModelMonitor, ModelAttributes> models) {
        this.models = models;
        this.driftScore = gauge(meter, Metric.FEATURE_DRIFT_SCORE);
        this.drifted = gauge(meter, Metric.FEATURE_DRIFTED);
        this.driftShare = gauge(meter, Metric.DATASET_DRIFT_SHARE);
        this.missingRatio = gauge(meter, Metric.FEATURE_MISSING_RATIO);
        this.invalidRatio = gauge(meter, Metric.FEATURE_INVALID_RATIO);
    }

    /** Registers the gauges; closing the returned callback unregisters them. */
    static BatchCallback register(Meter meter, Map<ModelMonitor, ModelAttributes> models) {
        ModelGauges gauges = new ModelGauges(meter, models);
        return meter.batchCallback(gauges::observe, gauges.driftScore, gauges.drifted, gauges.driftShare,
                gauges.missingRatio, gauges.invalidRatio);
    }

    static ObservableDoubleMeasurement gauge(Meter meter, Metric metric) {
        return meter.gaugeBuilder(metric.otelName()).setDescription(metric.description()).setUnit(metric.unit())
                .buildObserver();
    }

    private void observe() {
        // Values past the cardinality limit share the attribute value _other, so two monitors or features may map
        // to one series; a gauge cannot add them up, so the first one read is shown.
        Set<Attributes> seenModels = new HashSet<>();
        Set<Attributes> seenFeatures = new HashSet<>();
        Set<Attributes> seenMethods = new HashSet<>();
        models.forEach((monitor, attributes) -> monitor.latestWindow().ifPresent(window -> {
            window.drift().ifPresent(report -> observeDrift(report, attributes, seenModels, seenMethods));
            for (FeatureProfile feature : window.profile().features().values()) {
                Attributes a = attributes.feature(feature.name());
                if (seenFeatures.add(a)) {
                    long total = feature.total();
                    missingRatio.record(ratio(feature.missing(), total), a);
                    invalidRatio.record(ratio(feature.invalid(), total), a);
                }
            }
        }));
    }

    private void observeDrift(DriftReport report, ModelAttributes attributes, Set<Attributes> seenModels,
                              Set<Attributes> seenMethods) {
        if (seenModels.add(attributes.model())) {
            driftShare.record(report.driftShare(), attributes.model());
        }
        for (FeatureDrift feature : report.features().values()) {
            Attributes a = attributes.featureMethod(feature.name(), feature.method().key());
            if (seenMethods.add(a)) {
                // A score that could not be computed (no valid value on a side) is NaN: no point rather than NaN.
                if (!Double.isNaN(feature.score())) {
                    driftScore.record(feature.score(), a);
                }
                drifted.record(feature.drifted() ? 1 : 0, a);
            }
        }
    }

    private static double ratio(long part, long total) {
        return total == 0 ? 0 : (double) part / total;
    }
}
