package dev.seismo.export;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the number of distinct values each attribute key takes in exported metrics: the first {@code max} values
 * seen pass, every later one becomes {@value #OVERFLOW}, so a model that throws ever-new exception types, or a
 * registry with ever-new model versions, cannot grow a metrics backend's series without bound.
 *
 * <p>Thread-safe: exporters call it from the aggregation thread and from scrapes.
 */
public final class CardinalityLimit {

    /** The value that stands for every value past the limit. */
    public static final String OVERFLOW = "_other";
    /** The default number of distinct values per attribute key. */
    public static final int DEFAULT_MAX_VALUES = 100;

    private final int maxValues;
    private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();

    private CardinalityLimit(int maxValues) {
        this.maxValues = maxValues;
    }

    /** At most {@code maxValues} distinct values per attribute key. */
    public static CardinalityLimit perAttribute(int maxValues) {
        if (maxValues < 1) {
            throw new IllegalArgumentException("maxValues must be >= 1, was " + maxValues);
        }
        return new CardinalityLimit(maxValues);
    }

    /** {@value #DEFAULT_MAX_VALUES} distinct values per attribute key. */
    public static CardinalityLimit defaults() {
        return new CardinalityLimit(DEFAULT_MAX_VALUES);
    }

    /** {@code value} if it is among the first values of {@code key}, else {@value #OVERFLOW}. */
    public String apply(String key, String value) {
        Set<String> values = seen.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
        if (values.contains(value)) {
            return value;
        }
        synchronized (values) {
            if (values.size() < maxValues) {
                values.add(value);
                return value;
            }
        }
        return values.contains(value) ? value : OVERFLOW;
    }
}
