package dev.seismo.drift;

import dev.seismo.schema.FeatureType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One feature's drift: every statistic, the decision, and what it was taken on. Values that do not apply, or that
 * cannot be computed because a side has no valid value, are NaN.
 *
 * @param name the feature
 * @param type numeric or categorical
 * @param lowCardinality whether a numeric feature had so few distinct values that it was binned by value
 * @param policy the policy that decided
 * @param method the method decided on: Evidently's choice or the override; under the calibrated policy, the
 *     effect-size distance
 * @param score the method's value: a distance, or a test's p-value
 * @param threshold drift when a distance is at least it, or a p-value at most it
 * @param drifted the decision
 * @param count valid values in the current profile
 * @param referenceCount valid values in the reference profile
 * @param missingRatio missing values over all values seen, in the current profile
 * @param invalidRatio invalid values over all values seen, in the current profile
 * @param missingRatioChange {@code missingRatio} minus the reference's
 * @param invalidRatioChange {@code invalidRatio} minus the reference's
 * @param statistics by key ({@code psi}, {@code js_distance}, ...; see {@code package-info}), in report order
 * @param unseen categories (values, for low-cardinality numeric features) seen in current and not in reference
 * @param pValue the p-value behind the decision: the calibrated policy's test (with its null as described in
 *     {@link DriftDetector}), or the test method's under Evidently's rules; NaN for a distance method there
 * @param alpha the significance level the calibrated policy held {@code pValue} to, after correction; NaN otherwise
 * @param effectSize the calibrated policy's effect size, or the distance of a distance method; NaN otherwise
 */
public record FeatureDrift(String name, FeatureType type, boolean lowCardinality, DriftPolicy policy,
        DriftMethod method, double score, double threshold, boolean drifted, long count, long referenceCount,
        double missingRatio, double invalidRatio, double missingRatioChange, double invalidRatioChange,
        Map<String, Double> statistics, List<String> unseen, double pValue, double alpha, double effectSize) {

    /** Copies the collections. */
    public FeatureDrift {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(method, "method");
        statistics = Collections.unmodifiableMap(new LinkedHashMap<>(statistics));
        unseen = List.copyOf(unseen);
    }

    /** One statistic by key; NaN when the feature's type does not have it. */
    public double statistic(String key) {
        return statistics.getOrDefault(key, Double.NaN);
    }
}
