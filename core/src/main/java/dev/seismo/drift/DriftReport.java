package dev.seismo.drift;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The drift of a current profile against a reference: per feature and for the dataset. Serialize with
 * {@link DriftReportJson}.
 *
 * <p>Thread-safe: immutable.
 *
 * @param policy the detector-wide policy (features may have their own)
 * @param datasetDrift whether the share of drifted features reached {@code driftShareThreshold}
 * @param driftShare drifted features over compared features; 0 when none was compared
 * @param driftShareThreshold the share at and above which the dataset drifts
 * @param reference the reference profile
 * @param current the current profile
 * @param features each feature of both profiles, in the reference's schema order
 * @param unmatchedFeatures features in one profile only, which were not compared
 */
public record DriftReport(DriftPolicy policy, boolean datasetDrift, double driftShare, double driftShareThreshold,
        ProfileSummary reference, ProfileSummary current, Map<String, FeatureDrift> features,
        List<String> unmatchedFeatures) {

    /** Copies the collections. */
    public DriftReport {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
        unmatchedFeatures = List.copyOf(unmatchedFeatures);
    }

    /** The names of the drifted features, in report order. */
    public List<String> driftedFeatures() {
        return features.values().stream().filter(FeatureDrift::drifted).map(FeatureDrift::name).toList();
    }

    /**
     * One feature's drift.
     *
     * @throws IllegalArgumentException naming the compared features if there is no such feature
     */
    public FeatureDrift feature(String name) {
        FeatureDrift f = features.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no feature '" + name + "' in this report; compared: "
                    + features.keySet());
        }
        return f;
    }
}
