package dev.seismo.schema;

import dev.seismo.privacy.Protection;
import java.util.Objects;

/**
 * One profiled signal of a model: its name, how its values are profiled, whether it is an input or an output, and
 * what of its values a profile may keep.
 *
 * @param name the signal's name, unique within a {@link Schema}
 * @param type numeric or categorical
 * @param role input or output
 * @param protection {@link Protection#NONE}, or for a categorical signal that may hold personal data
 *     {@link Protection#HASHED} or {@link Protection#COUNTS_ONLY}
 */
public record Feature(String name, FeatureType type, Role role, Protection protection) {

    /** Validates the components. */
    public Feature {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(protection, "protection");
        if (name.isBlank()) {
            throw new IllegalArgumentException("feature name must not be blank");
        }
        if (protection != Protection.NONE && type != FeatureType.CATEGORICAL) {
            throw new IllegalArgumentException("feature '" + name + "' is " + type + "; protection " + protection
                    + " applies to categorical features only: declare it categorical (an id or a code is a category)");
        }
    }

    /** A signal whose values are kept as given. */
    public Feature(String name, FeatureType type, Role role) {
        this(name, type, role, Protection.NONE);
    }

    /** This signal with another protection. */
    public Feature withProtection(Protection protection) {
        return new Feature(name, type, role, protection);
    }
}
