package dev.seismo.export;

import java.util.List;

/**
 * The one metric model that every exporter shows (docs/metrics.md is its table): each metric's OpenTelemetry name,
 * instrument kind, unit, attributes and meaning, and the Prometheus name that the standard translation gives it.
 * Micrometer meters take the OpenTelemetry name; attribute keys are the same everywhere (Prometheus writes their
 * dots as underscores).
 *
 * <p>Thread-safe: an enum.
 */
public enum Metric {

    INFERENCE_DURATION("model.inference.duration", Kind.HISTOGRAM, "s", "model_inference_duration_seconds",
            "Duration of model calls, success or error.", Sets.CALL),
    INFERENCE_CALLS("model.inference.calls", Kind.COUNTER, "{call}", "model_inference_calls_total",
            "Model calls, by outcome and error type.", Sets.CALL),
    INFERENCE_SHED("model.inference.shed", Kind.COUNTER, "{call}", "model_inference_shed_total",
            "Calls whose feature values were not profiled because aggregation fell behind (counts stay exact).",
            Sets.MODEL),
    TOKEN_USAGE("gen_ai.client.token.usage", Kind.HISTOGRAM, "{token}", "gen_ai_client_token_usage",
            "Tokens (or other usage units) per call, by direction.", Sets.TOKENS),
    FEATURE_DRIFT_SCORE("model.feature.drift.score", Kind.GAUGE, "{score}", "model_feature_drift_score",
            "The latest closed window's drift score of a feature or output, by the method that decides it.",
            Sets.FEATURE_METHOD),
    FEATURE_DRIFTED("model.feature.drifted", Kind.GAUGE, "{drifted}", "model_feature_drifted",
            "1 if the feature or output drifted in the latest closed window, else 0.", Sets.FEATURE_METHOD),
    DATASET_DRIFT_SHARE("model.dataset.drift.share", Kind.GAUGE, "1", "model_dataset_drift_share_ratio",
            "Share of features and outputs that drifted in the latest closed window.", Sets.MODEL),
    FEATURE_MISSING_RATIO("model.feature.missing.ratio", Kind.GAUGE, "1", "model_feature_missing_ratio",
            "Share of the latest closed window's values of a feature that were missing.", Sets.FEATURE),
    FEATURE_INVALID_RATIO("model.feature.invalid.ratio", Kind.GAUGE, "1", "model_feature_invalid_ratio",
            "Share of the latest closed window's values of a feature that were invalid.", Sets.FEATURE),
    INFERENCE_COST("model.inference.cost", Kind.COUNTER, "{currency}", "model_inference_cost_total",
            "What the calls cost, in the currency of the attribute, from the monitor's and the registry's cost"
                    + " models.", Sets.COST),
    INFERENCE_EMISSIONS("model.inference.emissions", Kind.COUNTER, "g", "model_inference_emissions_grams_total",
            "Emissions of the calls, grams CO2e, from measured GPU energy and the grid's carbon intensity.",
            Sets.MODEL),
    INFERENCE_CPU_TIME("model.inference.cpu.time", Kind.COUNTER, "s", "model_inference_cpu_time_seconds_total",
            "CPU time of the calls: measured on their threads (a call picked 1 in n counts n times) or their share"
                    + " of the process's.", Sets.MODEL),
    INFERENCE_GPU_TIME("model.inference.gpu.time", Kind.COUNTER, "s", "model_inference_gpu_time_seconds_total",
            "GPU busy time attributed to the calls.", Sets.MODEL),
    INFERENCE_ENERGY("model.inference.energy", Kind.COUNTER, "J", "model_inference_energy_joules_total",
            "GPU energy attributed to the calls.", Sets.MODEL),
    GPU_UTILIZATION("hw.gpu.utilization", Kind.GAUGE, "1", "hw_gpu_utilization_ratio",
            "Share of the last sampling interval the GPU was busy.", Sets.GPU),
    GPU_MEMORY_USAGE("hw.gpu.memory.usage", Kind.GAUGE, "By", "hw_gpu_memory_usage_bytes",
            "GPU memory in use.", Sets.GPU),
    GPU_MEMORY_LIMIT("hw.gpu.memory.limit", Kind.GAUGE, "By", "hw_gpu_memory_limit_bytes",
            "GPU memory in all.", Sets.GPU),
    GPU_POWER("hw.power", Kind.GAUGE, "W", "hw_power_watts", "GPU power draw.", Sets.GPU),
    GPU_ENERGY("hw.energy", Kind.COUNTER, "J", "hw_energy_joules_total",
            "GPU energy consumed since the driver loaded.", Sets.GPU),
    GPU_TEMPERATURE("hw.temperature", Kind.GAUGE, "Cel", "hw_temperature_celsius", "GPU temperature.",
            Sets.GPU);

    /** How a metric is instrumented. */
    public enum Kind {
        /** A distribution, with bucket advice ({@link #bucketBoundaries()}). */
        HISTOGRAM,
        /** A monotonic sum. */
        COUNTER,
        /** A value read when exported. */
        GAUGE
    }

    /** Attribute keys, shared by every exporter. */
    public static final class Attributes {
        public static final String MODEL_NAME = "model.name";
        public static final String MODEL_VERSION = "model.version";
        public static final String OUTCOME = "outcome";
        /** The exception's class name; {@value #NO_ERROR} for a successful call, so every series has the key. */
        public static final String ERROR_TYPE = "error.type";
        public static final String FEATURE = "model.feature";
        public static final String METHOD = "model.drift.method";
        public static final String TOKEN_TYPE = "gen_ai.token.type";
        public static final String CURRENCY = "currency";
        /** {@value #GPU} on every GPU metric, as the hardware semantic conventions ask, so sums over hw.* do not mix. */
        public static final String HW_TYPE = "hw.type";
        public static final String GPU_ID = "hw.id";
        public static final String GPU_NAME = "hw.name";

        /** {@link #ERROR_TYPE} of a successful call. */
        public static final String NO_ERROR = "none";
        /** {@link #OUTCOME} values. */
        public static final String SUCCESS = "success";
        public static final String ERROR = "error";
        /** {@link #HW_TYPE} of a GPU. */
        public static final String GPU = "gpu";
        /** {@link #TOKEN_TYPE} values. */
        public static final String INPUT = "input";
        public static final String OUTPUT = "output";

        private Attributes() {
        }
    }

    /** The attribute keys of each metric. */
    private static final class Sets {
        static final List<String> MODEL = List.of(Attributes.MODEL_NAME, Attributes.MODEL_VERSION);
        static final List<String> CALL = List.of(Attributes.MODEL_NAME, Attributes.MODEL_VERSION, Attributes.OUTCOME,
                Attributes.ERROR_TYPE);
        static final List<String> TOKENS = List.of(Attributes.MODEL_NAME, Attributes.MODEL_VERSION,
                Attributes.TOKEN_TYPE);
        static final List<String> FEATURE = List.of(Attributes.MODEL_NAME, Attributes.MODEL_VERSION,
                Attributes.FEATURE);
        static final List<String> FEATURE_METHOD = List.of(Attributes.MODEL_NAME, Attributes.MODEL_VERSION,
                Attributes.FEATURE, Attributes.METHOD);
        static final List<String> COST = List.of(Attributes.MODEL_NAME, Attributes.MODEL_VERSION,
                Attributes.CURRENCY);
        static final List<String> GPU = List.of(Attributes.HW_TYPE, Attributes.GPU_ID, Attributes.GPU_NAME);
    }

    private static final List<Double> DURATION_BUCKETS = List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0);
    private static final List<Double> TOKEN_BUCKETS = List.of(1.0, 4.0, 16.0, 64.0, 256.0, 1024.0, 4096.0,
            16384.0, 65536.0, 262144.0, 1048576.0);

    private final String otelName;
    private final Kind kind;
    private final String unit;
    private final String prometheusName;
    private final String description;
    private final List<String> attributes;

    Metric(String otelName, Kind kind, String unit, String prometheusName, String description,
           List<String> attributes) {
        this.otelName = otelName;
        this.kind = kind;
        this.unit = unit;
        this.prometheusName = prometheusName;
        this.description = description;
        this.attributes = attributes;
    }

    /** The OpenTelemetry (and Micrometer) name. */
    public String otelName() {
        return otelName;
    }

    /** The instrument kind. */
    public Kind kind() {
        return kind;
    }

    /** The UCUM unit, as OpenTelemetry writes it. */
    public String unit() {
        return unit;
    }

    /** The name in the Prometheus exposition: base unit suffix, and {@code _total} for counters. */
    public String prometheusName() {
        return prometheusName;
    }

    /** What it measures, for HELP lines and descriptions. */
    public String description() {
        return description;
    }

    /** The attribute keys each data point has, in this order. */
    public List<String> attributes() {
        return attributes;
    }

    /** Explicit bucket boundaries for a histogram, in its unit; empty for other kinds. */
    public List<Double> bucketBoundaries() {
        return switch (this) {
            case INFERENCE_DURATION -> DURATION_BUCKETS;
            case TOKEN_USAGE -> TOKEN_BUCKETS;
            default -> List.of();
        };
    }
}
