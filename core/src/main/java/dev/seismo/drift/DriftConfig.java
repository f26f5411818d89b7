package dev.seismo.drift;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a {@link DriftDetector} decides with: the policy, the false-alarm rate and its correction across features,
 * the practical minimum effects, the binning, the share of drifted features that makes dataset drift, and
 * per-feature overrides.
 *
 * <pre>{@code
 * DriftConfig config = DriftConfig.builder()
 *         .policy(DriftPolicy.CALIBRATED)
 *         .falseAlarmRate(0.01)
 *         .correction(Correction.BONFERRONI)
 *         .feature("age", f -> f.method(DriftMethod.PSI).threshold(0.02))
 *         .feature("country", f -> f.policy(DriftPolicy.EVIDENTLY))
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe: immutable.
 */
public final class DriftConfig {

    private static final DriftConfig DEFAULTS = builder().build();

    private final DriftPolicy policy;
    private final double falseAlarmRate;
    private final Correction correction;
    private final DriftMethod numericEffect;
    private final double numericMinimumEffect;
    private final DriftMethod categoricalEffect;
    private final double categoricalMinimumEffect;
    private final double datasetDriftShare;
    private final int bins;
    private final int lowCardinality;
    private final double chunkSigmas;
    private final Map<String, FeatureDriftConfig> features;

    private DriftConfig(Builder b, Map<String, FeatureDriftConfig> features) {
        this.policy = b.policy;
        this.falseAlarmRate = b.falseAlarmRate;
        this.correction = b.correction;
        this.numericEffect = b.numericEffect;
        this.numericMinimumEffect = b.numericMinimumEffect;
        this.categoricalEffect = b.categoricalEffect;
        this.categoricalMinimumEffect = b.categoricalMinimumEffect;
        this.datasetDriftShare = b.datasetDriftShare;
        this.bins = b.bins;
        this.lowCardinality = b.lowCardinality;
        this.chunkSigmas = b.chunkSigmas;
        this.features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    /** The defaults: calibrated, 1% false alarms per window, Benjamini-Hochberg, 10 bins, dataset drift at 0.5. */
    public static DriftConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.policy = policy;
        b.falseAlarmRate = falseAlarmRate;
        b.correction = correction;
        b.numericEffect = numericEffect;
        b.numericMinimumEffect = numericMinimumEffect;
        b.categoricalEffect = categoricalEffect;
        b.categoricalMinimumEffect = categoricalMinimumEffect;
        b.datasetDriftShare = datasetDriftShare;
        b.bins = bins;
        b.lowCardinality = lowCardinality;
        b.chunkSigmas = chunkSigmas;
        b.features.putAll(features);
        return b;
    }

    /** The policy of features without their own. */
    public DriftPolicy policy() {
        return policy;
    }

    /** The chance that a window without drift raises any alarm under the calibrated policy (per window, after correction). */
    public double falseAlarmRate() {
        return falseAlarmRate;
    }

    /** How the false-alarm rate is spread over the features. */
    public Correction correction() {
        return correction;
    }

    /** The calibrated policy's effect-size distance for numeric features. */
    public DriftMethod numericEffect() {
        return numericEffect;
    }

    /** The practical minimum of {@link #numericEffect()}. */
    public double numericMinimumEffect() {
        return numericMinimumEffect;
    }

    /** The calibrated policy's effect-size distance for categorical and low-cardinality numeric features. */
    public DriftMethod categoricalEffect() {
        return categoricalEffect;
    }

    /** The practical minimum of {@link #categoricalEffect()}. */
    public double categoricalMinimumEffect() {
        return categoricalMinimumEffect;
    }

    /** The share of drifted features at and above which the dataset drifts. */
    public double datasetDriftShare() {
        return datasetDriftShare;
    }

    /** The number of quantile bins of numeric features (before duplicate edges are removed). */
    public int bins() {
        return bins;
    }

    /** Numeric features with at most this many distinct values are binned by value, like categories. */
    public int lowCardinality() {
        return lowCardinality;
    }

    /** k in the data-driven threshold mean + k * sd of {@link DriftDetector#withChunkThresholds}. */
    public double chunkSigmas() {
        return chunkSigmas;
    }

    /** The per-feature overrides, by feature name. */
    public Map<String, FeatureDriftConfig> features() {
        return features;
    }

    /** The overrides of one feature; none when it has no entry. */
    FeatureDriftConfig feature(String name) {
        return features.getOrDefault(name, FeatureDriftConfig.NONE);
    }

    /** This configuration with some features' overrides replaced. */
    DriftConfig withFeatures(Map<String, FeatureDriftConfig> replaced) {
        Builder b = toBuilder();
        b.features.putAll(replaced);
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DriftConfig c && c.policy == policy && c.falseAlarmRate == falseAlarmRate
                && c.correction == correction && c.numericEffect == numericEffect
                && c.numericMinimumEffect == numericMinimumEffect && c.categoricalEffect == categoricalEffect
                && c.categoricalMinimumEffect == categoricalMinimumEffect && c.datasetDriftShare == datasetDriftShare
                && c.bins == bins && c.lowCardinality == lowCardinality && c.chunkSigmas == chunkSigmas
                && c.features.equals(features);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policy, falseAlarmRate, correction, numericEffect, numericMinimumEffect,
                categoricalEffect, categoricalMinimumEffect, datasetDriftShare, bins, lowCardinality, chunkSigmas,
                features);
    }

    @Override
    public String toString() {
        return "DriftConfig[policy=" + policy + ", falseAlarmRate=" + falseAlarmRate + ", correction=" + correction
                + ", numericEffect=" + numericEffect + ">=" + numericMinimumEffect + ", categoricalEffect="
                + categoricalEffect + ">=" + categoricalMinimumEffect + ", datasetDriftShare=" + datasetDriftShare
                + ", bins=" + bins + ", lowCardinality=" + lowCardinality + ", chunkSigmas=" + chunkSigmas
                + ", features=" + features + "]";
    }

    /** Builds a {@link DriftConfig}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private DriftPolicy policy = DriftPolicy.CALIBRATED;
        private double falseAlarmRate = 0.01;
        private Correction correction = Correction.BENJAMINI_HOCHBERG;
        private DriftMethod numericEffect = DriftMethod.WASSERSTEIN_NORMED;
        private double numericMinimumEffect = DriftMethod.WASSERSTEIN_NORMED.defaultMinimumEffect();
        private DriftMethod categoricalEffect = DriftMethod.JS_DISTANCE;
        private double categoricalMinimumEffect = DriftMethod.JS_DISTANCE.defaultMinimumEffect();
        private double datasetDriftShare = 0.5;
        private int bins = 10;
        private int lowCardinality = 5;
        private double chunkSigmas = 3;
        private final Map<String, FeatureDriftConfig> features = new LinkedHashMap<>();

        private Builder() {
        }

        /** The policy of features without their own (default {@link DriftPolicy#CALIBRATED}). */
        public Builder policy(DriftPolicy value) {
            this.policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        /**
         * The calibrated policy's chance of any alarm in a window without drift (default 0.01).
         *
         * @throws IllegalArgumentException unless 0 &lt; value &lt;= 0.5
         */
        public Builder falseAlarmRate(double value) {
            if (!(value > 0 && value <= 0.5)) {
                throw new IllegalArgumentException("falseAlarmRate must be in (0, 0.5], was " + value);
            }
            this.falseAlarmRate = value;
            return this;
        }

        /** How the false-alarm rate is spread over features (default {@link Correction#BENJAMINI_HOCHBERG}). */
        public Builder correction(Correction value) {
            this.correction = Objects.requireNonNull(value, "correction");
            return this;
        }

        /**
         * The calibrated policy's effect size for numeric features and its practical minimum (default
         * {@code wasserstein_normed} 0.05).
         *
         * @throws IllegalArgumentException unless the method is one of psi, js_distance, hellinger,
         *     wasserstein_normed and the minimum a finite number &gt;= 0
         */
        public Builder numericEffect(DriftMethod method, double minimum) {
            checkEffect("numericEffect", method, minimum, true);
            this.numericEffect = method;
            this.numericMinimumEffect = minimum;
            return this;
        }

        /**
         * The calibrated policy's effect size for categorical and low-cardinality numeric features and its
         * practical minimum (default {@code js_distance} 0.03).
         *
         * @throws IllegalArgumentException unless the method is one of psi, js_distance, hellinger and the minimum
         *     a finite number &gt;= 0
         */
        public Builder categoricalEffect(DriftMethod method, double minimum) {
            checkEffect("categoricalEffect", method, minimum, false);
            this.categoricalEffect = method;
            this.categoricalMinimumEffect = minimum;
            return this;
        }

        private static void checkEffect(String setting, DriftMethod method, double minimum, boolean numeric) {
            Objects.requireNonNull(method, "method");
            if (method.isTest() || (!numeric && !method.appliesToCategorical())) {
                throw new IllegalArgumentException(setting + " must be a distance: one of psi, js_distance, hellinger"
                        + (numeric ? ", wasserstein_normed" : "") + "; was " + method.key());
            }
            if (!(minimum >= 0) || Double.isInfinite(minimum)) {
                throw new IllegalArgumentException(setting + " minimum must be a finite number >= 0, was " + minimum);
            }
        }

        /**
         * The share of drifted features at and above which the dataset drifts (default 0.5).
         *
         * @throws IllegalArgumentException unless 0 &lt; value &lt;= 1
         */
        public Builder datasetDriftShare(double value) {
            if (!(value > 0 && value <= 1)) {
                throw new IllegalArgumentException("datasetDriftShare must be in (0, 1], was " + value);
            }
            this.datasetDriftShare = value;
            return this;
        }

        /**
         * The number of quantile bins of numeric features (default 10).
         *
         * @throws IllegalArgumentException unless 2 &lt;= value &lt;= 1000
         */
        public Builder bins(int value) {
            if (value < 2 || value > 1000) {
                throw new IllegalArgumentException("bins must be between 2 and 1000, was " + value);
            }
            this.bins = value;
            return this;
        }

        /**
         * Numeric features with at most this many distinct values are binned by value (default 5, as Evidently; 0
         * turns it off).
         *
         * @throws IllegalArgumentException unless 0 &lt;= value &lt;= 1000
         */
        public Builder lowCardinality(int value) {
            if (value < 0 || value > 1000) {
                throw new IllegalArgumentException("lowCardinality must be between 0 and 1000, was " + value);
            }
            this.lowCardinality = value;
            return this;
        }

        /**
         * k in the data-driven threshold mean + k * sd (default 3).
         *
         * @throws IllegalArgumentException unless a finite number &gt; 0
         */
        public Builder chunkSigmas(double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("chunkSigmas must be a finite number > 0, was " + value);
            }
            this.chunkSigmas = value;
            return this;
        }

        /**
         * Overrides for one feature, set on the builder handed to {@code overrides}.
         *
         * @throws IllegalArgumentException if the feature was configured already, or a test method is given to a
         *     feature under the calibrated policy (its effect size must be a distance)
         */
        public Builder feature(String name, Consumer<FeatureDriftConfig.Builder> overrides) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(overrides, "overrides");
            if (features.containsKey(name)) {
                throw new IllegalArgumentException("feature '" + name + "' is configured twice; set all its"
                        + " overrides in one call");
            }
            FeatureDriftConfig.Builder b = new FeatureDriftConfig.Builder();
            overrides.accept(b);
            features.put(name, b.build());
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException if a feature under the calibrated policy has a test method, or a test
         *     method a threshold outside (0, 1)
         */
        public DriftConfig build() {
            for (Map.Entry<String, FeatureDriftConfig> e : features.entrySet()) {
                FeatureDriftConfig f = e.getValue();
                DriftPolicy p = f.policy().orElse(policy);
                if (f.method().isEmpty()) {
                    continue;
                }
                DriftMethod m = f.method().get();
                if (p == DriftPolicy.CALIBRATED && m.isTest()) {
                    throw new IllegalArgumentException("feature '" + e.getKey() + "' is under the calibrated policy,"
                            + " whose method is its effect size: one of psi, js_distance, hellinger,"
                            + " wasserstein_normed; was " + m.key() + " (its test is always ks or chi2)");
                }
                if (m.isTest() && f.threshold().isPresent()
                        && !(f.threshold().getAsDouble() > 0 && f.threshold().getAsDouble() < 1)) {
                    throw new IllegalArgumentException("feature '" + e.getKey() + "': the threshold of " + m.key()
                            + " is a p-value and must be in (0, 1), was " + f.threshold().getAsDouble());
                }
            }
            return new DriftConfig(this, features);
        }
    }
}
