package dev.seismo.profile;

import dev.seismo.schema.Feature;
import dev.seismo.schema.FeatureType;

/**
 * The sketch of one feature's values over a period: how many were valid, missing and invalid, and their
 * distribution. See the value conventions in {@code docs/DESIGN.md}.
 *
 * <p>Thread-safe: implementations are immutable.
 */
public sealed interface FeatureProfile permits NumericProfile, CategoricalProfile {

    /** The feature this profile describes. */
    Feature feature();

    /** The feature's name. */
    default String name() {
        return feature().name();
    }

    /** The feature's type. */
    default FeatureType type() {
        return feature().type();
    }

    /** The number of valid values, the ones the sketches hold. */
    long count();

    /** The number of missing values (null, or NaN for numbers). */
    long missing();

    /** The number of invalid values (infinities, values of the wrong type). */
    long invalid();

    /** The number of values seen: {@code count() + missing() + invalid()}. */
    default long total() {
        return count() + missing() + invalid();
    }

    /**
     * The profile of this feature's values and the other's together; neither is changed.
     *
     * @throws IllegalArgumentException if the other profile is of another feature (name, type or role)
     */
    FeatureProfile merge(FeatureProfile other);
}
