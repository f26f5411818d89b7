package dev.seismo.drift;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One feature's overrides of the detector-wide settings: its policy, its method and its threshold. What is not
 * set falls back to {@link DriftConfig}.
 *
 * <p>Under {@link DriftPolicy#EVIDENTLY} the method replaces the one Evidently's rules pick and the threshold that
 * method's default. Under {@link DriftPolicy#CALIBRATED} the method is the effect-size distance and the threshold its
 * practical minimum; the significance test stays Kolmogorov-Smirnov or chi-square.
 *
 * <p>Thread-safe: immutable. Built through {@link DriftConfig.Builder#feature}.
 */
public final class FeatureDriftConfig {

    private final DriftPolicy policy;
    private final DriftMethod method;
    private final Double threshold;

    private FeatureDriftConfig(DriftPolicy policy, DriftMethod method, Double threshold) {
        this.policy = policy;
        this.method = method;
        this.threshold = threshold;
    }

    static final FeatureDriftConfig NONE = new FeatureDriftConfig(null, null, null);

    /** The policy for this feature, if overridden. */
    public Optional<DriftPolicy> policy() {
        return Optional.ofNullable(policy);
    }

    /** The method for this feature, if overridden. */
    public Optional<DriftMethod> method() {
        return Optional.ofNullable(method);
    }

    /** The threshold for this feature, if overridden. */
    public OptionalDouble threshold() {
        return threshold == null ? OptionalDouble.empty() : OptionalDouble.of(threshold);
    }

    /** These overrides with the method and threshold pinned. */
    FeatureDriftConfig pinned(DriftMethod pinnedMethod, double pinnedThreshold) {
        return new FeatureDriftConfig(policy, pinnedMethod, pinnedThreshold);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureDriftConfig f && f.policy == policy && f.method == method
                && Objects.equals(f.threshold, threshold);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policy, method, threshold);
    }

    @Override
    public String toString() {
        return "FeatureDriftConfig[policy=" + policy + ", method=" + method + ", threshold=" + threshold + "]";
    }

    /** Sets one feature's overrides. Not thread-safe; used inside {@link DriftConfig.Builder#feature}. */
    public static final class Builder {
        private DriftPolicy policy;
        private DriftMethod method;
        private Double threshold;

        Builder() {
        }

        /** The policy that decides this feature. */
        public Builder policy(DriftPolicy value) {
            this.policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        /** The method that decides this feature (the effect-size distance under the calibrated policy). */
        public Builder method(DriftMethod value) {
            this.method = Objects.requireNonNull(value, "method");
            return this;
        }

        /**
         * The threshold: a p-value for test methods (drift when p-value &lt;= threshold), else a distance (drift when
         * distance &gt;= threshold).
         *
         * @throws IllegalArgumentException if not a finite number &gt;= 0
         */
        public Builder threshold(double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("threshold must be a finite number >= 0, was " + value);
            }
            this.threshold = value;
            return this;
        }

        FeatureDriftConfig build() {
            return new FeatureDriftConfig(policy, method, threshold);
        }
    }
}
