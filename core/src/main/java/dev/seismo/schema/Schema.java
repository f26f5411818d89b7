package dev.seismo.schema;

import dev.seismo.privacy.Protection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ordered, immutable list of signals a model's profiles hold.
 *
 * <p>Each signal has an index among the signals of its {@link FeatureType}, in declaration order, whatever its
 * {@link Role}: after {@code numericInput("a").numericOutput("score").numericInput("b")} the numeric indices are
 * a=0, score=1, b=2. Those indices are what the allocation-free recording path takes.
 *
 * <p>Thread-safe: immutable.
 */
public final class Schema {

    private static final Schema EMPTY = new Schema(List.of());

    private final List<Feature> features;
    private final List<Feature> numeric;
    private final List<Feature> categorical;
    private final Map<String, Integer> indexByName;

    private Schema(List<Feature> features) {
        List<Feature> num = new ArrayList<>();
        List<Feature> cat = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (Feature f : features) {
            List<Feature> sameType = f.type() == FeatureType.NUMERIC ? num : cat;
            if (index.putIfAbsent(f.name(), sameType.size()) != null) {
                throw new IllegalArgumentException("feature '" + f.name() + "' is declared twice; names must be unique"
                        + " across inputs and outputs");
            }
            sameType.add(f);
        }
        this.features = List.copyOf(features);
        this.numeric = Collections.unmodifiableList(num);
        this.categorical = Collections.unmodifiableList(cat);
        this.indexByName = Map.copyOf(index);
    }

    /** A schema with no signals. */
    public static Schema empty() {
        return EMPTY;
    }

    /** A schema of the given signals, in this order. */
    public static Schema of(List<Feature> features) {
        return features.isEmpty() ? EMPTY : new Schema(features);
    }

    /** A builder that declares signals in order. */
    public static Builder builder() {
        return new Builder();
    }

    /** All signals in declaration order. */
    public List<Feature> features() {
        return features;
    }

    /** Numeric signals, in numeric-index order. */
    public List<Feature> numeric() {
        return numeric;
    }

    /** Categorical signals, in categorical-index order. */
    public List<Feature> categorical() {
        return categorical;
    }

    /** The signal with this name, if declared. */
    public Optional<Feature> find(String name) {
        Integer i = indexByName.get(name);
        if (i == null) {
            return Optional.empty();
        }
        Feature n = i < numeric.size() ? numeric.get(i) : null;
        return Optional.of(n != null && n.name().equals(name) ? n : categorical.get(i));
    }

    /** The index of a numeric signal among the numeric signals, or -1 if there is no numeric signal of that name. */
    public int numericIndex(String name) {
        Integer i = indexByName.get(name);
        return i != null && i < numeric.size() && numeric.get(i).name().equals(name) ? i : -1;
    }

    /** The index of a categorical signal among the categorical signals, or -1 if there is none of that name. */
    public int categoricalIndex(String name) {
        Integer i = indexByName.get(name);
        return i != null && i < categorical.size() && categorical.get(i).name().equals(name) ? i : -1;
    }

    /** Whether a signal is {@link Protection#HASHED} or {@link Protection#COUNTS_ONLY}: profiles then need a hash key. */
    public boolean hasProtectedFeatures() {
        return categorical.stream().anyMatch(f -> f.protection().needsKey());
    }

    /** The number of signals. */
    public int size() {
        return features.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schema s && s.features.equals(features);
    }

    @Override
    public int hashCode() {
        return features.hashCode();
    }

    @Override
    public String toString() {
        return "Schema" + features;
    }

    /** Declares signals in order. Not thread-safe. */
    public static final class Builder {
        private final List<Feature> features = new ArrayList<>();

        private Builder() {
        }

        /** Adds a numeric input feature. */
        public Builder numericInput(String name) {
            return add(new Feature(name, FeatureType.NUMERIC, Role.INPUT));
        }

        /** Adds a categorical input feature. */
        public Builder categoricalInput(String name) {
            return add(new Feature(name, FeatureType.CATEGORICAL, Role.INPUT));
        }

        /** Adds a categorical input feature whose values are protected: hashed, or reduced to counts. */
        public Builder categoricalInput(String name, Protection protection) {
            return add(new Feature(name, FeatureType.CATEGORICAL, Role.INPUT, protection));
        }

        /** Adds a numeric output, such as a score. */
        public Builder numericOutput(String name) {
            return add(new Feature(name, FeatureType.NUMERIC, Role.OUTPUT));
        }

        /** Adds a categorical output, such as a class label. */
        public Builder categoricalOutput(String name) {
            return add(new Feature(name, FeatureType.CATEGORICAL, Role.OUTPUT));
        }

        /** Adds a categorical output whose values are protected: hashed, or reduced to counts. */
        public Builder categoricalOutput(String name, Protection protection) {
            return add(new Feature(name, FeatureType.CATEGORICAL, Role.OUTPUT, protection));
        }

        /** Adds a resource signal, measured by Seismo rather than given by the caller. */
        public Builder numericResource(String name) {
            return add(new Feature(name, FeatureType.NUMERIC, Role.RESOURCE));
        }

        /** Adds a signal. */
        public Builder add(Feature feature) {
            features.add(feature);
            return this;
        }

        /** The schema; fails if a name is declared twice. */
        public Schema build() {
            return Schema.of(features);
        }
    }
}
