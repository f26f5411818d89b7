package dev.seismo.drift;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The statistic a drift decision is taken on.
 *
 * <p>Distance methods ({@link #PSI}, {@link #JS_DISTANCE}, {@link #HELLINGER}, {@link #WASSERSTEIN_NORMED}) flag
 * drift when the distance is at least the threshold. Test methods ({@link #KS}, {@link #CHI2}, {@link #Z}) score a
 * feature by their p-value, as Evidently does, and flag drift when the p-value is at most the threshold.
 *
 * <p>Thread-safe: an enum.
 */
public enum DriftMethod {
    /** Population stability index over the bins. */
    PSI("psi", false, true, true, 0.1, 0.005),
    /** Jensen-Shannon distance, base 2, over the bins. */
    JS_DISTANCE("js_distance", false, true, true, 0.1, 0.03),
    /** Hellinger distance over the bins. */
    HELLINGER("hellinger", false, true, true, 0.1, 0.025),
    /** First Wasserstein distance divided by the reference standard deviation; numeric features only. */
    WASSERSTEIN_NORMED("wasserstein_normed", false, true, false, 0.1, 0.05),
    /** Two-sample Kolmogorov-Smirnov test, scored by its p-value; numeric features only. */
    KS("ks", true, true, false, 0.05, Double.NaN),
    /** Chi-square goodness of fit against the reference proportions, scored by its p-value. */
    CHI2("chi2", true, true, true, 0.05, Double.NaN),
    /** Two-proportion z-test (Evidently's test for two categories), scored by its p-value. */
    Z("z", true, true, true, 0.05, Double.NaN);

    private final String key;
    private final boolean test;
    private final boolean numeric;
    private final boolean categorical;
    private final double evidentlyThreshold;
    private final double minimumEffect;

    DriftMethod(String key, boolean test, boolean numeric, boolean categorical, double evidentlyThreshold,
            double minimumEffect) {
        this.key = key;
        this.test = test;
        this.numeric = numeric;
        this.categorical = categorical;
        this.evidentlyThreshold = evidentlyThreshold;
        this.minimumEffect = minimumEffect;
    }

    /** The name used in reports and JSON, such as {@code js_distance}. */
    public String key() {
        return key;
    }

    /** Whether the method is a significance test scored by its p-value (drift when p-value &lt;= threshold). */
    public boolean isTest() {
        return test;
    }

    /** Whether the method applies to numeric features. */
    public boolean appliesToNumeric() {
        return numeric;
    }

    /**
     * Whether the method applies to categorical features. {@link #KS} and {@link #WASSERSTEIN_NORMED} need an
     * order and a scale, which categories do not have.
     */
    public boolean appliesToCategorical() {
        return categorical;
    }

    /** Evidently's threshold for this method: 0.05 for a p-value, 0.1 for a distance. */
    public double evidentlyThreshold() {
        return evidentlyThreshold;
    }

    /**
     * The default practical minimum of this distance under {@link DriftPolicy#CALIBRATED}; NaN for tests. The
     * values are one effect expressed in each distance: a Jensen-Shannon distance of 0.03 (about 2.5% of the mass
     * moved between two halves), and 5% of a standard deviation for the normed Wasserstein distance.
     */
    public double defaultMinimumEffect() {
        return minimumEffect;
    }

    /** Whether the statistic's value of a feature drifting is at or past the threshold. */
    boolean crosses(double score, double threshold) {
        return test ? score <= threshold : score >= threshold;
    }

    /**
     * The method of this key ({@code psi}, {@code js_distance}, ...), case-insensitive.
     *
     * @throws IllegalArgumentException naming the allowed keys if there is none
     */
    public static DriftMethod fromKey(String key) {
        for (DriftMethod m : values()) {
            if (m.key.equalsIgnoreCase(key) || m.name().equalsIgnoreCase(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown drift method '" + key + "'; allowed: "
                + Arrays.stream(values()).map(DriftMethod::key).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return key;
    }
}
