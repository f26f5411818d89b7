package dev.seismo.schema;

import java.util.Objects;

/**
 * One profiled signal of a model: its name, how its values are profiled, and whether it is an input or an output.
 *
 * @param name the signal's name, unique within a {@link Schema}
 * @param type numeric or categorical
 * @param role input or output
 */
public record Feature(String name, FeatureType type, Role role) {

    /** Validates the components. */
    public Feature {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(role, "role");
        if (name.isBlank()) {
            throw new IllegalArgumentException("feature name must not be blank");
        }
    }
}
