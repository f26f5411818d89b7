package dev.seismo.drift;

/**
 * How a feature's drift is decided.
 *
 * <p>Thread-safe: an enum.
 */
public enum DriftPolicy {
    /**
     * Significant and large enough (the default). A feature drifts when its significance test rejects "no drift"
     * at the configured per-window false-alarm rate, corrected across features, and its effect size (the method's
     * distance) reaches the threshold, a practical minimum that keeps very large windows from flagging trivial
     * shifts. Numeric features are tested with Kolmogorov-Smirnov, categorical and low-cardinality numeric ones with
     * chi-square; the null distributions account for the reference being a sample and for sketch error (see
     * {@link DriftDetector}).
     */
    CALIBRATED("calibrated"),
    /**
     * Evidently's default rules, by reference size n (valid values) and the number u of distinct values in
     * reference and current together. Numeric with u &gt; 5: Kolmogorov-Smirnov p-value &lt;= 0.05 when n &lt;= 1000,
     * else normed Wasserstein &gt;= 0.1. Categorical, or numeric with u &lt;= 5: when n &lt;= 1000, chi-square p-value
     * &lt;= 0.05 (u &gt; 2) or two-proportion z-test p-value &lt;= 0.05 (u &lt;= 2); else Jensen-Shannon distance &gt;= 0.1.
     */
    EVIDENTLY("evidently");

    private final String key;

    DriftPolicy(String key) {
        this.key = key;
    }

    /** The name used in reports and JSON. */
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return key;
    }
}
