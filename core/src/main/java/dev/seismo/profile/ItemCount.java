package dev.seismo.profile;

import java.util.Objects;

/**
 * A category and its estimated count. The true count lies in {@code [lowerBound, upperBound]}; all three are equal
 * while {@link CategoricalProfile#countsExact()} is true.
 *
 * @param value the category
 * @param estimate the estimated number of times it was seen
 * @param lowerBound the least it can have been seen
 * @param upperBound the most it can have been seen
 */
public record ItemCount(String value, long estimate, long lowerBound, long upperBound) {

    /** Validates the components. */
    public ItemCount {
        Objects.requireNonNull(value, "value");
        if (lowerBound > estimate || estimate > upperBound) {
            throw new IllegalArgumentException("need lowerBound <= estimate <= upperBound, was " + lowerBound + ", "
                    + estimate + ", " + upperBound);
        }
    }
}
