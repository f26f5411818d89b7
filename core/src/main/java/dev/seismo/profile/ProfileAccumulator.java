package dev.seismo.profile;

import dev.seismo.privacy.HashKey;
import dev.seismo.privacy.Protection;
import dev.seismo.privacy.ValueHasher;
import dev.seismo.schema.Feature;
import dev.seismo.schema.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Profiles a schema's features value by value, then hands out immutable {@link Profile}s of what it saw.
 *
 * <p>Values follow the conventions of {@code docs/DESIGN.md}: NaN and null are missing, infinities and values of
 * the wrong type are invalid, categories are strings cut to {@link ProfileOptions#maxCategoryLength()}.
 *
 * <p>Design notes: state is kept per feature in parallel arrays indexed like {@link Schema#numeric()} and
 * {@link Schema#categorical()}, so {@link #updateNumeric} is a few array writes, a Welford step and a KLL update:
 * it allocates nothing beyond the KLL sketch's amortized growth (one new level per doubling of its input).
 * Categorical updates convert values to strings and may allocate; they are meant for the aggregation thread.
 *
 * <p>Not thread-safe: one thread updates; {@link #toProfile} copies, so profiles can be handed to any thread.
 */
public final class ProfileAccumulator {

    /*
     * HllSketch ignores the empty string, yet "" is a category like any other. It is counted as this long instead:
     * a string collides with it only if its UTF-8 bytes are exactly those of the long, which no category of
     * printable text is.
     */
    private static final long EMPTY_CATEGORY_KEY = 0x5345_4953_4D4F_0000L;

    private final Schema schema;
    private final ProfileOptions options;
    private long unknownNames;

    private final long[] numCount;
    private final long[] numMissing;
    private final long[] numInvalid;
    private final double[] numMean;
    private final double[] numM2;
    private final double[] numMin;
    private final double[] numMax;
    private final KllDoublesSketch[] kll;
    /** Per numeric feature, its distinct values so far and their counts; size -1 once there were too many. */
    private final double[][] exactValues;
    private final long[][] exactCounts;
    private final int[] exactSize;

    private final long[] catCount;
    private final long[] catMissing;
    private final long[] catInvalid;
    private final long[] catTruncated;
    private final List<ItemsSketch<String>> items;
    private final HllSketch[] hll;
    private final Protection[] catProtection;
    /** Hashes protected categories where they enter; null when the schema protects none. */
    private final ValueHasher hasher;
    private final String keyFingerprint;

    /**
     * An accumulator of no values for the schema's features.
     *
     * @throws IllegalArgumentException if the schema has protected features, which need a {@link HashKey}
     */
    public ProfileAccumulator(Schema schema, ProfileOptions options) {
        this(schema, options, null);
    }

    /**
     * An accumulator of no values for the schema's features, hashing the values of its protected features
     * ({@link Protection#HASHED}, {@link Protection#COUNTS_ONLY}) under {@code key} before they reach any sketch.
     *
     * @param key the hash key, or null if the schema protects no feature
     * @throws IllegalArgumentException if the schema has protected features and {@code key} is null
     */
    public ProfileAccumulator(Schema schema, ProfileOptions options, HashKey key) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.options = Objects.requireNonNull(options, "options");
        if (schema.hasProtectedFeatures() && key == null) {
            Feature first = schema.categorical().stream().filter(f -> f.protection().needsKey()).findFirst()
                    .orElseThrow();
            throw new IllegalArgumentException("feature '" + first.name() + "' is " + first.protection()
                    + ", which needs a hash key: set one (HashKey.of(secret)) or the environment variable "
                    + HashKey.ENVIRONMENT_VARIABLE);
        }
        this.hasher = schema.hasProtectedFeatures() ? key.newHasher() : null;
        this.keyFingerprint = hasher == null ? null : key.fingerprint();
        int n = schema.numeric().size();
        numCount = new long[n];
        numMissing = new long[n];
        numInvalid = new long[n];
        numMean = new double[n];
        numM2 = new double[n];
        numMin = new double[n];
        numMax = new double[n];
        kll = new KllDoublesSketch[n];
        exactValues = new double[n][NumericProfile.MAX_EXACT_VALUES];
        exactCounts = new long[n][NumericProfile.MAX_EXACT_VALUES];
        exactSize = new int[n];
        int c = schema.categorical().size();
        catCount = new long[c];
        catMissing = new long[c];
        catInvalid = new long[c];
        catTruncated = new long[c];
        items = new ArrayList<>(c);
        hll = new HllSketch[c];
        catProtection = new Protection[c];
        for (int i = 0; i < c; i++) {
            catProtection[i] = schema.categorical().get(i).protection();
        }
        for (int i = 0; i < n; i++) {
            kll[i] = KllDoublesSketch.newHeapInstance(options.kllK());
        }
        for (int i = 0; i < c; i++) {
            items.add(new ItemsSketch<>(options.frequentItemsMapSize()));
            hll[i] = new HllSketch(options.hllLgK());
        }
        Arrays.fill(numMin, Double.POSITIVE_INFINITY);
        Arrays.fill(numMax, Double.NEGATIVE_INFINITY);
    }

    /** The schema whose features this accumulator profiles. */
    public Schema schema() {
        return schema;
    }

    /** The options its sketches were made with. */
    public ProfileOptions options() {
        return options;
    }

    /**
     * Adds a value of the numeric feature at {@code numericIndex} (its index in {@link Schema#numeric()}): NaN is
     * counted as missing, an infinity as invalid. Allocation-free.
     *
     * @throws IndexOutOfBoundsException if there is no numeric feature at that index
     */
    public void updateNumeric(int numericIndex, double value) {
        if (Double.isNaN(value)) {
            numMissing[numericIndex]++;
        } else if (Double.isInfinite(value)) {
            numInvalid[numericIndex]++;
        } else {
            // Welford: the running mean and sum of squared deviations stay accurate where sum and sum of squares
            // would cancel catastrophically.
            long n = ++numCount[numericIndex];
            double delta = value - numMean[numericIndex];
            numMean[numericIndex] += delta / n;
            numM2[numericIndex] += delta * (value - numMean[numericIndex]);
            if (value < numMin[numericIndex]) {
                numMin[numericIndex] = value;
            }
            if (value > numMax[numericIndex]) {
                numMax[numericIndex] = value;
            }
            kll[numericIndex].update(value);
            countExactly(numericIndex, value == 0 ? 0.0 : value, 1); // +0.0 and -0.0 are one value to a user
        }
    }

    /**
     * Adds {@code count} equal values of the numeric feature at {@code numericIndex} at once, as {@code count} calls
     * of {@link #updateNumeric(int, double)} would (to floating-point rounding), in time that does not grow with
     * {@code count}: for a group of values known only by their sum, entered as their mean.
     *
     * @throws IllegalArgumentException  if {@code count} is negative
     * @throws IndexOutOfBoundsException if there is no numeric feature at that index
     */
    public void updateNumeric(int numericIndex, double value, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        if (count == 0) {
            return;
        }
        if (count == 1) {
            updateNumeric(numericIndex, value);
        } else if (Double.isNaN(value)) {
            numMissing[numericIndex] += count;
        } else if (Double.isInfinite(value)) {
            numInvalid[numericIndex] += count;
        } else {
            // Chan et al.'s merge of two (count, mean, M2) summaries; the group's own M2 is 0.
            long before = numCount[numericIndex];
            long n = before + count;
            double delta = value - numMean[numericIndex];
            numCount[numericIndex] = n;
            numMean[numericIndex] += delta * count / n;
            numM2[numericIndex] += delta * delta * ((double) before * count / n);
            if (value < numMin[numericIndex]) {
                numMin[numericIndex] = value;
            }
            if (value > numMax[numericIndex]) {
                numMax[numericIndex] = value;
            }
            kll[numericIndex].update(value, count);
            countExactly(numericIndex, value == 0 ? 0.0 : value, count);
        }
    }

    /** Counts a value exactly while the feature has taken few enough distinct values; no allocation. */
    private void countExactly(int i, double value, long count) {
        int size = exactSize[i];
        if (size < 0) {
            return;
        }
        double[] values = exactValues[i];
        for (int k = 0; k < size; k++) {
            if (values[k] == value) {
                exactCounts[i][k] += count;
                return;
            }
        }
        if (size < values.length) {
            values[size] = value;
            exactCounts[i][size] = count;
            exactSize[i] = size + 1;
        } else {
            exactSize[i] = -1;
        }
    }

    /**
     * Adds a value of the categorical feature at {@code categoricalIndex} (its index in {@link Schema#categorical()}):
     * null is missing; a {@code CharSequence}, {@code Enum} (by name), {@code Boolean}, {@code Character} or
     * {@code Number} is a category; anything else is invalid. A protected feature's category is replaced by its keyed
     * hash here, before any sketch sees it (after the cut to the maximum length, so its cost is bounded).
     *
     * @throws IndexOutOfBoundsException if there is no categorical feature at that index
     */
    public void updateCategorical(int categoricalIndex, Object value) {
        String category;
        if (value == null) {
            catMissing[categoricalIndex]++;
            return;
        } else if (value instanceof Enum<?> e) {
            category = e.name();
        } else if (value instanceof CharSequence || value instanceof Boolean || value instanceof Character
                || value instanceof Number) {
            category = value.toString();
        } else {
            catInvalid[categoricalIndex]++;
            return;
        }
        int max = options.maxCategoryLength();
        if (category.length() > max) {
            // Never split a surrogate pair: half a character would hash and print as garbage.
            int end = Character.isHighSurrogate(category.charAt(max - 1)) ? max - 1 : max;
            category = category.substring(0, end);
            catTruncated[categoricalIndex]++;
        }
        Protection protection = catProtection[categoricalIndex];
        if (protection != Protection.NONE) {
            category = hasher.hash(category);
        }
        catCount[categoricalIndex]++;
        if (protection != Protection.COUNTS_ONLY) {
            items.get(categoricalIndex).update(category);
        }
        if (category.isEmpty()) {
            hll[categoricalIndex].update(EMPTY_CATEGORY_KEY);
        } else {
            hll[categoricalIndex].update(category);
        }
    }

    /**
     * Adds a value by feature name: numbers to numeric features, categories to categorical ones, by the same
     * conventions; a non-number for a numeric feature is invalid. A name the schema lacks is counted in
     * {@link #unknownNames()} and otherwise ignored.
     */
    public void update(String name, Object value) {
        int i = schema.numericIndex(name);
        if (i >= 0) {
            if (value == null) {
                numMissing[i]++;
            } else if (value instanceof Number number) {
                updateNumeric(i, number.doubleValue());
            } else {
                numInvalid[i]++;
            }
            return;
        }
        i = schema.categoricalIndex(name);
        if (i >= 0) {
            updateCategorical(i, value);
        } else {
            unknownNames++;
        }
    }

    /** Counts a missing value of the numeric feature at {@code numericIndex}. */
    public void missingNumeric(int numericIndex) {
        numMissing[numericIndex]++;
    }

    /** Counts a missing value of the categorical feature at {@code categoricalIndex}. */
    public void missingCategorical(int categoricalIndex) {
        catMissing[categoricalIndex]++;
    }

    /** Counts an invalid value of the numeric feature at {@code numericIndex}. */
    public void invalidNumeric(int numericIndex) {
        numInvalid[numericIndex]++;
    }

    /** Counts an invalid value of the categorical feature at {@code categoricalIndex}. */
    public void invalidCategorical(int categoricalIndex) {
        catInvalid[categoricalIndex]++;
    }

    /** How many values were given by a name the schema does not declare. */
    public long unknownNames() {
        return unknownNames;
    }

    /**
     * The number of rows seen: the most values any one feature saw ({@code count + missing + invalid}). When each
     * row gives every feature a value, or counts it missing, as the conventions ask, that is the number of rows.
     */
    public long rows() {
        long rows = 0;
        for (int i = 0; i < numCount.length; i++) {
            rows = Math.max(rows, numCount[i] + numMissing[i] + numInvalid[i]);
        }
        for (int i = 0; i < catCount.length; i++) {
            rows = Math.max(rows, catCount[i] + catMissing[i] + catInvalid[i]);
        }
        return rows;
    }

    /**
     * An immutable profile of everything seen since construction or the last {@link #reset()}; the accumulator is
     * not changed and stays usable.
     *
     * @param callStatsOrNull the period's call stats, or null if there are none
     */
    public Profile toProfile(ProfileMetadata meta, CallStats callStatsOrNull) {
        Objects.requireNonNull(meta, "meta");
        List<FeatureProfile> features = new ArrayList<>(schema.size());
        for (Feature f : schema.features()) {
            int i = schema.numericIndex(f.name());
            if (i >= 0) {
                double[] values = null;
                long[] counts = null;
                if (exactSize[i] >= 0) {
                    Integer[] order = new Integer[exactSize[i]];
                    for (int k = 0; k < order.length; k++) {
                        order[k] = k;
                    }
                    double[] seen = exactValues[i];
                    Arrays.sort(order, (a, b) -> Double.compare(seen[a], seen[b]));
                    values = new double[order.length];
                    counts = new long[order.length];
                    for (int k = 0; k < order.length; k++) {
                        values[k] = seen[order[k]];
                        counts[k] = exactCounts[i][order[k]];
                    }
                }
                features.add(NumericProfile.of(f, numCount[i], numMissing[i], numInvalid[i], numMean[i], numM2[i],
                        numMin[i], numMax[i], kll[i].toByteArray(), values, counts));
            } else {
                i = schema.categoricalIndex(f.name());
                features.add(CategoricalProfile.of(f, catCount[i], catMissing[i], catInvalid[i], catTruncated[i],
                        items.get(i).toByteArray(Sketches.STRINGS), hll[i].toCompactByteArray()));
            }
        }
        return new Profile(meta, options, schema, features, callStatsOrNull, keyFingerprint);
    }

    /** Forgets every value seen. */
    public void reset() {
        Arrays.fill(numCount, 0);
        Arrays.fill(numMissing, 0);
        Arrays.fill(numInvalid, 0);
        Arrays.fill(numMean, 0);
        Arrays.fill(numM2, 0);
        Arrays.fill(numMin, Double.POSITIVE_INFINITY);
        Arrays.fill(numMax, Double.NEGATIVE_INFINITY);
        for (KllDoublesSketch s : kll) {
            s.reset();
        }
        Arrays.fill(exactSize, 0);
        Arrays.fill(catCount, 0);
        Arrays.fill(catMissing, 0);
        Arrays.fill(catInvalid, 0);
        Arrays.fill(catTruncated, 0);
        items.forEach(ItemsSketch::reset);
        for (HllSketch s : hll) {
            s.reset();
        }
        unknownNames = 0;
    }
}
