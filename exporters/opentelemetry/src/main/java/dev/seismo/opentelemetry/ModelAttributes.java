package dev.seismo.opentelemetry;

import dev.seismo.export.CardinalityLimit;
import dev.seismo.export.Metric;
import dev.seismo.monitor.ModelMonitor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attribute sets of one monitor's series, built once each and reused, so recording a call on the aggregation
 * thread allocates nothing in steady state. Every value passes the exporter's {@link CardinalityLimit}.
 *
 * <p>Internal: not part of the public API. Thread-safe: the aggregation thread and collecting threads share it.
 */
final class ModelAttributes {

    static final AttributeKey<String> MODEL_NAME = AttributeKey.stringKey(Metric.Attributes.MODEL_NAME);
    static final AttributeKey<String> MODEL_VERSION = AttributeKey.stringKey(Metric.Attributes.MODEL_VERSION);
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey(Metric.Attributes.OUTCOME);
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey(Metric.Attributes.ERROR_TYPE);
    static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey(Metric.Attributes.TOKEN_TYPE);
    static final AttributeKey<String> CURRENCY = AttributeKey.stringKey(Metric.Attributes.CURRENCY);
    static final AttributeKey<String> FEATURE = AttributeKey.stringKey(Metric.Attributes.FEATURE);
    static final AttributeKey<String> METHOD = AttributeKey.stringKey(Metric.Attributes.METHOD);

    private final CardinalityLimit limit;
    private final Attributes model;
    private final Attributes success;
    private final Attributes inputTokens;
    private final Attributes outputTokens;
    private final Map<String, Attributes> errors = new ConcurrentHashMap<>();
    private final Map<String, Attributes> currencies = new ConcurrentHashMap<>();
    private final Map<String, Attributes> features = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Attributes>> featureMethods = new ConcurrentHashMap<>();

    ModelAttributes(ModelMonitor monitor, CardinalityLimit limit) {
        this.limit = limit;
        this.model = Attributes.of(MODEL_NAME, limit.apply(MODEL_NAME.getKey(), monitor.name()),
                MODEL_VERSION, limit.apply(MODEL_VERSION.getKey(), monitor.version()));
        // Fixed values take no room under the cap, as in the other views: only open-ended values are limited.
        this.success = model.toBuilder().put(OUTCOME, Metric.Attributes.SUCCESS)
                .put(ERROR_TYPE, Metric.Attributes.NO_ERROR).build();
        this.inputTokens = model.toBuilder().put(TOKEN_TYPE, Metric.Attributes.INPUT).build();
        this.outputTokens = model.toBuilder().put(TOKEN_TYPE, Metric.Attributes.OUTPUT).build();
    }

    /** model.name and model.version. */
    Attributes model() {
        return model;
    }

    /** The call attributes of a success ({@code errorType} null) or of an error of this type. */
    Attributes call(String errorType) {
        if (errorType == null) {
            return success;
        }
        return errors.computeIfAbsent(errorType,
                type -> with(model.toBuilder().put(OUTCOME, Metric.Attributes.ERROR).build(), ERROR_TYPE, type));
    }

    Attributes inputTokens() {
        return inputTokens;
    }

    Attributes outputTokens() {
        return outputTokens;
    }

    Attributes currency(String currency) {
        return currencies.computeIfAbsent(currency, c -> with(model, CURRENCY, c));
    }

    Attributes feature(String feature) {
        return features.computeIfAbsent(feature, f -> with(model, FEATURE, f));
    }

    Attributes featureMethod(String feature, String method) {
        return featureMethods.computeIfAbsent(feature, f -> new ConcurrentHashMap<>())
                .computeIfAbsent(method, m -> with(feature(feature), METHOD, m));
    }

    private Attributes with(Attributes base, AttributeKey<String> key, String value) {
        return base.toBuilder().put(key, limit.apply(key.getKey(), value)).build();
    }
}
