package dev.seismo.profile;

import dev.seismo.privacy.HashKey;
import dev.seismo.privacy.Protection;
import dev.seismo.schema.Feature;
import dev.seismo.schema.FeatureType;
import dev.seismo.schema.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The profile of a model's features, and optionally of its calls, over a period: what drift is computed from,
 * and what {@link ProfileJson} stores. Profiles of the same model merge, across periods and replicas alike.
 *
 * <p>Thread-safe: immutable.
 */
public final class Profile {

    private final ProfileMetadata metadata;
    private final ProfileOptions options;
    private final Schema schema;
    private final Map<String, FeatureProfile> features;
    private final CallStats callStats;
    private final String hashKeyFingerprint;

    /** The features must be those of the schema, in its order; none may be protected. */
    Profile(ProfileMetadata metadata, ProfileOptions options, Schema schema, List<FeatureProfile> features,
            CallStats callStats) {
        this(metadata, options, schema, features, callStats, null);
    }

    /**
     * The features must be those of the schema, in its order; {@code hashKeyFingerprint} is that of the key its
     * protected features were hashed with, and null if and only if it has none.
     */
    Profile(ProfileMetadata metadata, ProfileOptions options, Schema schema, List<FeatureProfile> features,
            CallStats callStats, String hashKeyFingerprint) {
        if (schema.hasProtectedFeatures() != (hashKeyFingerprint != null)) {
            throw new IllegalArgumentException(hashKeyFingerprint == null
                    ? "a profile with protected features needs the fingerprint of the key they were hashed with"
                    : "a profile without protected features has no hash key fingerprint");
        }
        this.hashKeyFingerprint = hashKeyFingerprint;
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.options = Objects.requireNonNull(options, "options");
        this.schema = Objects.requireNonNull(schema, "schema");
        Map<String, FeatureProfile> byName = new LinkedHashMap<>();
        for (FeatureProfile f : features) {
            byName.put(f.name(), f);
        }
        this.features = Collections.unmodifiableMap(byName);
        this.callStats = callStats;
    }

    /** The profile's model, version and period. */
    public ProfileMetadata metadata() {
        return metadata;
    }

    /** The model's name, or null. */
    public String model() {
        return metadata.model();
    }

    /** The model's version, or null. */
    public String version() {
        return metadata.version();
    }

    /** The start of the period. */
    public Instant start() {
        return metadata.start();
    }

    /** The end of the period. */
    public Instant end() {
        return metadata.end();
    }

    /** The options the sketches were built with; after a merge, the smaller of each. */
    public ProfileOptions options() {
        return options;
    }

    /** The features profiled. */
    public Schema schema() {
        return schema;
    }

    /** The feature profiles by name, in schema order. */
    public Map<String, FeatureProfile> features() {
        return features;
    }

    /** The profile of the named feature, if there is one. */
    public Optional<FeatureProfile> feature(String name) {
        return Optional.ofNullable(features.get(name));
    }

    /**
     * The profile of the named numeric feature.
     *
     * @throws IllegalArgumentException if there is no such feature or it is categorical
     */
    public NumericProfile numeric(String name) {
        return (NumericProfile) typed(name, FeatureType.NUMERIC);
    }

    /**
     * The profile of the named categorical feature.
     *
     * @throws IllegalArgumentException if there is no such feature or it is numeric
     */
    public CategoricalProfile categorical(String name) {
        return (CategoricalProfile) typed(name, FeatureType.CATEGORICAL);
    }

    private FeatureProfile typed(String name, FeatureType type) {
        FeatureProfile f = features.get(name);
        if (f == null) {
            throw new IllegalArgumentException("the profile has no feature '" + name + "'; it has "
                    + features.keySet());
        }
        if (f.type() != type) {
            throw new IllegalArgumentException("feature '" + name + "' is " + f.type() + ", not " + type);
        }
        return f;
    }

    /**
     * The {@link HashKey#fingerprint()} of the key this profile's protected features were hashed with; empty when
     * it has none. The key itself is never in a profile.
     */
    public Optional<String> hashKeyFingerprint() {
        return Optional.ofNullable(hashKeyFingerprint);
    }

    /**
     * Checks that this profile's values and the other's can be compared or merged: every feature the two share has
     * the same {@link Protection} in both, and if one of them is protected both were hashed under the same key.
     * Hashes under different keys never match, so comparing them would report every value as new: fake drift.
     *
     * @throws IllegalArgumentException naming the feature and what differs, if they cannot
     */
    public void requireSameProtection(Profile other) {
        boolean sharedProtected = false;
        for (FeatureProfile f : features.values()) {
            FeatureProfile o = other.features.get(f.name());
            if (o == null) {
                continue;
            }
            Protection mine = f.feature().protection();
            Protection theirs = o.feature().protection();
            if (mine != theirs) {
                throw new IllegalArgumentException("feature '" + f.name() + "' is " + mine + " in one profile but "
                        + theirs + " in the other; values compare only under one protection: profile both with the"
                        + " same protection (and hash key)");
            }
            sharedProtected |= mine.needsKey();
        }
        if (sharedProtected && !hashKeyFingerprint.equals(other.hashKeyFingerprint)) {
            throw new IllegalArgumentException("the profiles' protected features were hashed under different keys ("
                    + hashKeyFingerprint + " and " + other.hashKeyFingerprint + "); hashes compare only under one"
                    + " key: profile both with the same " + HashKey.ENVIRONMENT_VARIABLE);
        }
    }

    /** The period's call stats, if they were recorded. */
    public Optional<CallStats> callStats() {
        return Optional.ofNullable(callStats);
    }

    /**
     * The number of rows profiled: the most values any one feature saw ({@link FeatureProfile#total()}); 0 without
     * features.
     */
    public long rows() {
        long rows = 0;
        for (FeatureProfile f : features.values()) {
            rows = Math.max(rows, f.total());
        }
        return rows;
    }

    /** The same profile restricted to the features that {@code keep} accepts, in the same order. */
    public Profile select(Predicate<Feature> keep) {
        List<FeatureProfile> kept = new ArrayList<>();
        Schema.Builder schema = Schema.builder();
        for (FeatureProfile f : features.values()) {
            if (keep.test(f.feature())) {
                kept.add(f);
                schema.add(f.feature());
            }
        }
        if (kept.size() == features.size()) {
            return this;
        }
        Schema selected = schema.build();
        return new Profile(metadata, options, selected, kept, callStats,
                selected.hasProtectedFeatures() ? hashKeyFingerprint : null);
    }

    /**
     * The profile of both profiles' data; neither is changed. Features are matched by name: those of this profile
     * come first in its order, then those only the other has. The period spans both; model and version must agree
     * where both are set. The result is the same whichever profile merges into which, up to the sketches' error
     * and the order of features.
     *
     * @throws IllegalArgumentException if a feature has another type, role or protection in the other profile, the
     *     profiles were hashed under different keys ({@link #requireSameProtection}), or the models or versions differ
     */
    public Profile merge(Profile other) {
        return mergeAll(List.of(this, other));
    }

    /**
     * The profile of all the given profiles' data, as if merged one by one but with each sketch copied once.
     *
     * @throws IllegalArgumentException if the list is empty, or as {@link #merge(Profile)}
     */
    public static Profile mergeAll(List<Profile> profiles) {
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("cannot merge an empty list of profiles");
        }
        Profile first = profiles.get(0);
        if (profiles.size() == 1) {
            return first;
        }
        ProfileMetadata metadata = first.metadata;
        ProfileOptions options = first.options;
        CallStats calls = first.callStats;
        String fingerprint = first.hashKeyFingerprint;
        Map<String, List<FeatureProfile>> byName = new LinkedHashMap<>();
        for (int i = 0; i < profiles.size(); i++) {
            Profile p = profiles.get(i);
            if (i > 0) {
                if (fingerprint != null && p.hashKeyFingerprint != null && !fingerprint.equals(p.hashKeyFingerprint)) {
                    throw new IllegalArgumentException("cannot merge profiles hashed under different keys ("
                            + fingerprint + " and " + p.hashKeyFingerprint + "); profile them all with the same "
                            + HashKey.ENVIRONMENT_VARIABLE);
                }
                fingerprint = fingerprint != null ? fingerprint : p.hashKeyFingerprint;
                metadata = metadata.merge(p.metadata);
                options = options.min(p.options);
                calls = calls == null ? p.callStats : p.callStats == null ? calls : calls.merge(p.callStats);
            }
            for (FeatureProfile f : p.features.values()) {
                List<FeatureProfile> same = byName.computeIfAbsent(f.name(), n -> new ArrayList<>());
                if (!same.isEmpty()) {
                    Protection before = same.get(0).feature().protection();
                    if (before != f.feature().protection()) {
                        throw new IllegalArgumentException("cannot merge profiles in which feature '" + f.name()
                                + "' is " + before + " and " + f.feature().protection() + "; profile them all with"
                                + " the same protection");
                    }
                    Sketches.checkSameFeature(same.get(0), f);
                }
                same.add(f);
            }
        }
        List<Feature> schema = new ArrayList<>(byName.size());
        List<FeatureProfile> merged = new ArrayList<>(byName.size());
        for (List<FeatureProfile> same : byName.values()) {
            FeatureProfile f = same.size() == 1 ? same.get(0) : mergeFeature(same);
            schema.add(f.feature());
            merged.add(f);
        }
        return new Profile(metadata, options, Schema.of(schema), merged, calls, fingerprint);
    }

    @SuppressWarnings("unchecked")
    private static FeatureProfile mergeFeature(List<FeatureProfile> same) {
        return same.get(0) instanceof NumericProfile
                ? NumericProfile.mergeAll((List<NumericProfile>) (List<?>) same)
                : CategoricalProfile.mergeAll((List<CategoricalProfile>) (List<?>) same);
    }

    @Override
    public String toString() {
        return "Profile[model=" + model() + ", version=" + version() + ", " + start() + ".." + end() + ", rows="
                + rows() + ", features=" + features.keySet() + "]";
    }
}
