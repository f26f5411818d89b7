package dev.seismo.profile;

import dev.seismo.schema.Feature;
import dev.seismo.schema.FeatureType;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.DoublesSketchSortedView;
import org.apache.datasketches.quantilescommon.DoublesSortedView;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * The profile of a numeric feature: exact count, moments, minimum and maximum, a KLL quantile sketch, and while the
 * feature took at most {@value #MAX_EXACT_VALUES} distinct values, the exact count of each (a flag, a rating, a
 * small code), so low-cardinality features compare on exact counts however much the sketch compacted.
 *
 * <p>Quantiles and ranks are the sketch's, so they are off by at most {@link #normalizedRankError()} in rank with
 * 99% confidence; everything else is exact up to floating-point rounding.
 *
 * <p>Thread-safe: immutable. The profile keeps its sketch serialized and answers queries from a sorted view built
 * once, so nothing a caller gets can change it.
 */
public final class NumericProfile implements FeatureProfile {

    private final Feature feature;
    private final long count;
    private final long missing;
    private final long invalid;
    private final double mean;
    private final double m2;
    private final double min;
    private final double max;
    private final byte[] kll;
    private final int kllK;
    private final double normalizedRankError;
    private final DoublesSketchSortedView view;
    /** Distinct values ascending and their counts, or null once more than MAX_EXACT_VALUES were seen. */
    private final double[] exactValues;
    private final long[] exactCounts;

    /** The most distinct values whose counts a profile keeps exactly. */
    public static final int MAX_EXACT_VALUES = 32;

    private NumericProfile(Feature feature, long count, long missing, long invalid, double mean, double m2,
            double min, double max, byte[] kll, KllDoublesSketch sketch, double[] exactValues, long[] exactCounts) {
        this.exactValues = exactValues;
        this.exactCounts = exactCounts;
        this.feature = feature;
        this.count = count;
        this.missing = missing;
        this.invalid = invalid;
        this.mean = mean;
        this.m2 = m2;
        this.min = min;
        this.max = max;
        this.kll = kll;
        this.kllK = sketch.getK();
        this.normalizedRankError = sketch.getNormalizedRankError(false);
        this.view = sketch.isEmpty() ? null : sketch.getSortedView();
    }

    /**
     * A profile from its parts; {@code mean}, {@code m2}, {@code min} and {@code max} are ignored when
     * {@code count} is 0.
     *
     * @param kll the bytes of a {@link KllDoublesSketch} of the {@code count} valid values; the caller gives them up
     * @throws IllegalArgumentException if the parts do not agree, or the sketch bytes are not a KLL doubles sketch
     */
    static NumericProfile of(Feature feature, long count, long missing, long invalid, double mean, double m2,
            double min, double max, byte[] kll) {
        return of(feature, count, missing, invalid, mean, m2, min, max, kll, null, null);
    }

    /**
     * A profile from its parts, with the exact count of each distinct value ({@code exactValues} ascending), or
     * nulls when there were too many values to keep.
     *
     * @throws IllegalArgumentException if the parts do not agree
     */
    static NumericProfile of(Feature feature, long count, long missing, long invalid, double mean, double m2,
            double min, double max, byte[] kll, double[] exactValues, long[] exactCounts) {
        checkExact(count, exactValues, exactCounts);
        Objects.requireNonNull(feature, "feature");
        if (feature.type() != FeatureType.NUMERIC) {
            throw new IllegalArgumentException("feature '" + feature.name() + "' is " + feature.type()
                    + ", not NUMERIC");
        }
        Sketches.checkCounts(count, missing, invalid);
        KllDoublesSketch sketch = heapify(kll);
        if (sketch.getN() != count) {
            throw new IllegalArgumentException("the KLL sketch holds " + sketch.getN() + " values but count is "
                    + count);
        }
        if (count == 0) {
            return new NumericProfile(feature, 0, missing, invalid, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    kll, sketch, exactValues, exactCounts);
        }
        if (!Double.isFinite(mean) || !(m2 >= 0) || !Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("moments out of range: mean=" + mean + ", m2=" + m2 + ", min=" + min
                    + ", max=" + max);
        }
        if (exactValues != null && exactValues.length > 0
                && (exactValues[0] != min || exactValues[exactValues.length - 1] != max)) {
            throw new IllegalArgumentException("the exact values run from " + exactValues[0] + " to "
                    + exactValues[exactValues.length - 1] + " but min is " + min + " and max " + max);
        }
        return new NumericProfile(feature, count, missing, invalid, mean, m2, min, max, kll, sketch, exactValues,
                exactCounts);
    }

    private static void checkExact(long count, double[] values, long[] counts) {
        if (values == null && counts == null) {
            return;
        }
        if (values == null || counts == null || values.length != counts.length || values.length > MAX_EXACT_VALUES) {
            throw new IllegalArgumentException("exact values and counts must come together, at most "
                    + MAX_EXACT_VALUES + " of each");
        }
        long total = 0;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i]) || (i > 0 && !(values[i] > values[i - 1])) || counts[i] < 1) {
                throw new IllegalArgumentException("exact values must be finite and ascending with counts >= 1");
            }
            total += counts[i];
        }
        if (total != count) {
            throw new IllegalArgumentException("the exact counts add up to " + total + " but count is " + count);
        }
    }

    private static KllDoublesSketch heapify(byte[] kll) {
        try {
            return KllDoublesSketch.heapify(Memory.wrap(kll));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the bytes are not a KLL doubles sketch: " + e.getMessage(), e);
        }
    }

    @Override
    public Feature feature() {
        return feature;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long missing() {
        return missing;
    }

    @Override
    public long invalid() {
        return invalid;
    }

    /** The smallest valid value, or NaN if there is none. */
    public double min() {
        return min;
    }

    /** The largest valid value, or NaN if there is none. */
    public double max() {
        return max;
    }

    /** The mean of the valid values, or NaN if there is none. */
    public double mean() {
        return mean;
    }

    /** The population variance (divided by n) of the valid values, or NaN if there is none. */
    public double variance() {
        return m2 / count;
    }

    /** The population standard deviation of the valid values, or NaN if there is none. */
    public double stdDev() {
        return Math.sqrt(variance());
    }

    /** The sum of squared deviations from the mean, the form in which the variance merges; NaN if count is 0. */
    double m2() {
        return m2;
    }

    /**
     * The smallest value whose rank (fraction of values at most it) is at least {@code rank}; NaN if there is no
     * valid value.
     *
     * @param rank from 0 to 1
     */
    public double quantile(double rank) {
        if (!(rank >= 0 && rank <= 1)) {
            throw new IllegalArgumentException("rank must be between 0 and 1, was " + rank);
        }
        return view == null ? Double.NaN : view.getQuantile(rank, QuantileSearchCriteria.INCLUSIVE);
    }

    /** The estimated fraction of valid values less than or equal to {@code value}; NaN if there is none. */
    public double rank(double value) {
        return view == null || Double.isNaN(value) ? Double.NaN
                : view.getRank(value, QuantileSearchCriteria.INCLUSIVE);
    }

    /**
     * The sketch's retained values and their cumulative weights, for computations that walk the distribution.
     *
     * @throws IllegalStateException if there is no valid value; check {@link #count()} first
     */
    public DoublesSortedView sortedView() {
        if (view == null) {
            throw new IllegalStateException("feature '" + feature.name() + "' has no valid values to view");
        }
        return view;
    }

    /** The k of the quantile sketch (the smallest k of those merged into it). */
    public int kllK() {
        return kllK;
    }

    /** The sketch's single-sided normalized rank error at 99% confidence: how far off a rank or quantile can be. */
    public double normalizedRankError() {
        return normalizedRankError;
    }

    /** A copy of the serialized KLL sketch, readable with {@code KllDoublesSketch.heapify}. */
    public byte[] sketchBytes() {
        return kll.clone();
    }

    /** The serialized sketch itself, for package code that does not change it. */
    byte[] sketchBytesUnsafe() {
        return kll;
    }

    /** @throws IllegalArgumentException if {@code other} is not numeric or of another feature */
    @Override
    public NumericProfile merge(FeatureProfile other) {
        Sketches.checkSameFeature(this, other);
        return mergeAll(List.of(this, (NumericProfile) other));
    }

    /**
     * The profile of all the given profiles' values. Moments merge with Chan et al.'s pairwise update; the
     * sketch merges into a copy of the one with the smallest k, which is the k the merge ends with anyway.
     */
    static NumericProfile mergeAll(List<NumericProfile> profiles) {
        NumericProfile first = profiles.get(0);
        int smallestK = 0;
        long count = 0;
        long missing = 0;
        long invalid = 0;
        double mean = Double.NaN;
        double m2 = Double.NaN;
        double min = Double.NaN;
        double max = Double.NaN;
        for (int i = 0; i < profiles.size(); i++) {
            NumericProfile p = profiles.get(i);
            Sketches.checkSameFeature(first, p);
            missing += p.missing;
            invalid += p.invalid;
            if (p.kllK < profiles.get(smallestK).kllK) {
                smallestK = i;
            }
            if (p.count == 0) {
                continue;
            }
            if (count == 0) {
                count = p.count;
                mean = p.mean;
                m2 = p.m2;
                min = p.min;
                max = p.max;
                continue;
            }
            long n = count + p.count;
            double delta = p.mean - mean;
            mean += delta * ((double) p.count / n);
            m2 += p.m2 + delta * delta * ((double) count * p.count / n);
            min = Math.min(min, p.min);
            max = Math.max(max, p.max);
            count = n;
        }
        KllDoublesSketch sketch = heapify(profiles.get(smallestK).kll);
        for (int i = 0; i < profiles.size(); i++) {
            if (i != smallestK) {
                sketch.merge(heapify(profiles.get(i).kll));
            }
        }
        TreeMap<Double, Long> exact = new TreeMap<>();
        for (NumericProfile p : profiles) {
            if (p.exactValues == null) {
                exact = null;
                break;
            }
            for (int i = 0; i < p.exactValues.length; i++) {
                exact.merge(p.exactValues[i], p.exactCounts[i], Long::sum);
            }
        }
        double[] values = null;
        long[] counts = null;
        if (exact != null && exact.size() <= MAX_EXACT_VALUES) {
            values = exact.keySet().stream().mapToDouble(Double::doubleValue).toArray();
            counts = exact.values().stream().mapToLong(Long::longValue).toArray();
        }
        return new NumericProfile(first.feature, count, missing, invalid, mean, m2, min, max, sketch.toByteArray(),
                sketch, values, counts);
    }

    /**
     * The exact count of each distinct value, ascending, while the feature took at most {@value #MAX_EXACT_VALUES}
     * (empty after more).
     */
    public Optional<SortedMap<Double, Long>> exactValueCounts() {
        if (exactValues == null) {
            return Optional.empty();
        }
        SortedMap<Double, Long> counts = new TreeMap<>();
        for (int i = 0; i < exactValues.length; i++) {
            counts.put(exactValues[i], exactCounts[i]);
        }
        return Optional.of(Collections.unmodifiableSortedMap(counts));
    }

    double[] exactValuesUnsafe() {
        return exactValues;
    }

    long[] exactCountsUnsafe() {
        return exactCounts;
    }

    @Override
    public String toString() {
        return "NumericProfile[" + feature.name() + ": count=" + count + ", missing=" + missing + ", invalid="
                + invalid + ", mean=" + mean + ", stdDev=" + stdDev() + ", min=" + min + ", max=" + max + "]";
    }
}
