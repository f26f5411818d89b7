package dev.seismo.drift;

import dev.seismo.privacy.Protection;
import dev.seismo.profile.CategoricalProfile;
import dev.seismo.profile.FeatureProfile;
import dev.seismo.profile.ItemCount;
import dev.seismo.profile.NumericProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.datasketches.quantilescommon.DoublesSortedView;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Every statistic of one feature's reference and current profiles, computed once. Internal.
 *
 * <p>Design notes. Numeric features walk the full sorted views of both KLL sketches together (every retained
 * point with its cumulative weight), so KS and W1 are the exact statistics of the two weighted point sets the
 * sketches stand for. Binned statistics take counts from the same views by rank. A numeric feature with at most
 * {@code lowCardinality} distinct values is binned by value, like a categorical one; when its sketch has compacted,
 * the counts of up to three values are recovered exactly from the exact count, mean and variance (a Vandermonde
 * system), which covers binary flags, and only larger sets fall back to the sketch's weights.
 *
 * <p>Sketch noise model. A compacted KLL sketch's rank error behaves, for the tests, like the noise of an extra
 * independent sample of size 1 / (0.6 epsilon)^2, epsilon its normalized rank error; the constant was calibrated
 * by simulating no-drift windows at k = 128, 256 and 512 and reference and window sizes from 2,000 to 100,000
 * (the tests check the false-alarm rate it gives).
 */
final class Comparison {

    /** Keys of {@link #statistics()}, as the report shows them. */
    static final String PSI = "psi";
    static final String JS = "js_distance";
    static final String HELLINGER = "hellinger";
    static final String KS = "ks";
    static final String KS_P = "ks_p_value";
    static final String WASSERSTEIN = "wasserstein_normed";
    static final String CHI2 = "chi2";
    static final String CHI2_P = "chi2_p_value";
    static final String Z_P = "z_p_value";

    private static final double SKETCH_NOISE_PER_RANK_ERROR = 0.6;
    private static final double STD_FLOOR = 0.001;

    final boolean numeric;
    final boolean lowCardinality;
    /** Distinct values (categories) in reference and current together; for numeric, of the sketches' points. */
    final int distinct;
    final long referenceCount;
    final long currentCount;
    private final boolean valuesKept;
    private final Map<String, Double> statistics;
    final List<String> unseen;
    /** The p-value of the calibrated policy's test, with reference sampling and sketch noise in its null. */
    final double calibratedPValue;
    private final double zPValue;
    /** Chi-square p-value over the bins; for a high-cardinality numeric feature, over its deciles. */
    private final double chi2PValue;

    private Comparison(Builder b) {
        this.numeric = b.numeric;
        this.lowCardinality = b.lowCardinality;
        this.distinct = b.distinct;
        this.referenceCount = b.referenceCount;
        this.currentCount = b.currentCount;
        this.valuesKept = b.valuesKept;
        this.statistics = Collections.unmodifiableMap(b.statistics);
        this.unseen = List.copyOf(b.unseen);
        this.calibratedPValue = b.calibratedPValue;
        this.zPValue = b.zPValue;
        this.chi2PValue = b.chi2P;
    }

    /** Whether both sides have valid values, and keep them, without which there is nothing to compare. */
    boolean comparable() {
        return valuesKept && referenceCount > 0 && currentCount > 0;
    }

    /** The statistics, in report order; empty when not {@link #comparable()}. */
    Map<String, Double> statistics() {
        return statistics;
    }

    /** The statistics with the method's score added when the type's usual set lacks it (z, or chi2 of deciles). */
    Map<String, Double> statisticsFor(DriftMethod method) {
        String key = method == DriftMethod.Z ? Z_P : method == DriftMethod.CHI2 ? CHI2_P : method.key();
        if (!comparable() || statistics.containsKey(key)) {
            return statistics;
        }
        Map<String, Double> more = new LinkedHashMap<>(statistics);
        more.put(key, score(method));
        return Collections.unmodifiableMap(more);
    }

    /** The score a method decides on: the distance, or the test's p-value. NaN when it does not apply. */
    double score(DriftMethod method) {
        return switch (method) {
            case PSI -> statistics.getOrDefault(PSI, Double.NaN);
            case JS_DISTANCE -> statistics.getOrDefault(JS, Double.NaN);
            case HELLINGER -> statistics.getOrDefault(HELLINGER, Double.NaN);
            case WASSERSTEIN_NORMED -> statistics.getOrDefault(WASSERSTEIN, Double.NaN);
            case KS -> statistics.getOrDefault(KS_P, Double.NaN);
            case CHI2 -> chi2PValue;
            case Z -> zPValue;
        };
    }

    static Comparison of(FeatureProfile reference, FeatureProfile current, int bins, int lowCardinality) {
        if (reference instanceof NumericProfile r && current instanceof NumericProfile c) {
            return numeric(r, c, bins, lowCardinality);
        }
        if (reference instanceof CategoricalProfile r && current instanceof CategoricalProfile c) {
            return categorical(r, c);
        }
        throw new IllegalArgumentException("feature '" + reference.name() + "' is " + reference.type()
                + " in the reference but " + current.type() + " in the current profile");
    }

    private static Comparison numeric(NumericProfile ref, NumericProfile cur, int bins, int lowCardinality) {
        Builder b = new Builder(true, ref.count(), cur.count());
        if (!b.comparable()) {
            return b.build();
        }
        DoublesSortedView rv = ref.sortedView();
        DoublesSortedView cv = cur.sortedView();
        double refNoise = sketchNoise(ref, rv);
        double curNoise = sketchNoise(cur, cv);

        TreeMap<Double, double[]> values = exactCounts(ref, cur, lowCardinality);
        boolean counted = values != null;
        if (!counted) {
            values = distinctValues(ref, rv, cur, cv, lowCardinality);
        }
        if (values != null) {
            b.lowCardinality = true;
            boolean refExact = counted || valueCounts(ref, rv, values, 0);
            boolean curExact = counted || valueCounts(cur, cv, values, 1);
            double[] rc = new double[values.size()];
            double[] cc = new double[values.size()];
            List<String> labels = new ArrayList<>(values.size());
            int i = 0;
            for (Map.Entry<Double, double[]> e : values.entrySet()) {
                rc[i] = e.getValue()[0];
                cc[i] = e.getValue()[1];
                labels.add(label(e.getKey()));
                i++;
            }
            b.distinct = values.size();
            b.binned(rc, cc, labels, true, refExact ? 0 : refNoise, curExact ? 0 : curNoise);
        } else {
            b.distinct = -1;
            double[] edges = edges(ref, bins);
            b.binned(binCounts(rv, edges), binCounts(cv, edges), null, false, refNoise, curNoise);
        }
        walk(b, rv, cv, Math.max(ref.stdDev(), STD_FLOOR));
        double nEff = (double) b.referenceCount * b.currentCount / (b.referenceCount + b.currentCount);
        double ks = b.statistics.get(KS);
        b.statistics.put(KS_P, Distributions.ksPValue(ks, nEff));
        if (!b.lowCardinality) {
            b.calibratedPValue = Distributions.ksPValue(ks,
                    1 / (1.0 / b.referenceCount + 1.0 / b.currentCount + refNoise + curNoise));
        }
        b.statistics.put(WASSERSTEIN, b.wasserstein);
        return b.build();
    }

    /** The variance, in units of 1/n, that a compacted sketch's rank error adds; 0 while the sketch is exact. */
    private static double sketchNoise(NumericProfile p, DoublesSortedView view) {
        if (view.getNumRetained() >= view.getN()) {
            return 0;
        }
        double sd = SKETCH_NOISE_PER_RANK_ERROR * p.normalizedRankError();
        return sd * sd;
    }

    /**
     * Both profiles' exact counts by value, when both kept them and they have at most {@code max} distinct values
     * together; null otherwise.
     */
    private static TreeMap<Double, double[]> exactCounts(NumericProfile ref, NumericProfile cur, int max) {
        var refCounts = ref.exactValueCounts();
        var curCounts = cur.exactValueCounts();
        if (refCounts.isEmpty() || curCounts.isEmpty()) {
            return null;
        }
        TreeMap<Double, double[]> values = new TreeMap<>();
        refCounts.get().forEach((v, n) -> values.computeIfAbsent(v, k -> new double[2])[0] = n);
        curCounts.get().forEach((v, n) -> values.computeIfAbsent(v, k -> new double[2])[1] = n);
        return values.size() <= max ? values : null;
    }

    /**
     * The distinct values of both sketches (their points and the exact minimum and maximum), each with room for a
     * reference and a current count; null when there are more than {@code max}.
     */
    private static TreeMap<Double, double[]> distinctValues(NumericProfile ref, DoublesSortedView rv,
            NumericProfile cur, DoublesSortedView cv, int max) {
        TreeMap<Double, double[]> values = new TreeMap<>();
        for (double[] points : new double[][] {rv.getQuantiles(), cv.getQuantiles(),
                {ref.min(), ref.max(), cur.min(), cur.max()}}) {
            for (double v : points) {
                // +0.0 and -0.0 are one value to a user.
                values.putIfAbsent(v == 0 ? 0.0 : v, new double[2]);
                if (values.size() > max) {
                    return null;
                }
            }
        }
        return values;
    }

    /**
     * Fills one side's count of each value; true when the counts are exact (the sketch never compacted, or the
     * moments pin them down).
     */
    private static boolean valueCounts(NumericProfile p, DoublesSortedView view, TreeMap<Double, double[]> values,
            int side) {
        double[] q = view.getQuantiles();
        long[] cum = view.getCumulativeWeights();
        for (int i = 0; i < q.length; i++) {
            double v = q[i] == 0 ? 0.0 : q[i];
            values.get(v)[side] += cum[i] - (i == 0 ? 0 : cum[i - 1]);
        }
        if (view.getNumRetained() >= view.getN()) {
            return true;
        }
        List<Double> seen = new ArrayList<>();
        for (Map.Entry<Double, double[]> e : values.entrySet()) {
            double v = e.getKey();
            if (e.getValue()[side] > 0 || v == p.min() || v == p.max()) {
                seen.add(v);
            }
        }
        double[] exact = countsFromMoments(seen, p.count(), p.mean(), p.variance());
        if (exact == null) {
            return false;
        }
        for (double[] counts : values.values()) {
            counts[side] = 0;
        }
        for (int i = 0; i < exact.length; i++) {
            values.get(seen.get(i))[side] = exact[i];
        }
        return true;
    }

    /**
     * The counts of up to three values from the exact count, mean and variance: p_j = E[prod_{k != j} (X - d_k)]
     * / prod_{k != j} (d_j - d_k), d centred on the mean, so E[X] = 0 and E[X^2] = variance. Null when there are
     * more values, or the answer is not a set of whole counts (a value the sketch dropped was missed).
     */
    static double[] countsFromMoments(List<Double> values, long n, double mean, double variance) {
        int m = values.size();
        if (m == 0 || m > 3) {
            return null;
        }
        double[] d = new double[m];
        for (int i = 0; i < m; i++) {
            d[i] = values.get(i) - mean;
        }
        double[] counts = new double[m];
        long total = 0;
        for (int j = 0; j < m; j++) {
            double numerator;
            double denominator = 1;
            if (m == 1) {
                numerator = 1;
            } else if (m == 2) {
                int k = 1 - j;
                numerator = -d[k];
                denominator = d[j] - d[k];
            } else {
                int k = (j + 1) % 3;
                int l = (j + 2) % 3;
                numerator = variance + d[k] * d[l];
                denominator = (d[j] - d[k]) * (d[j] - d[l]);
            }
            double c = n * numerator / denominator;
            long rounded = Math.round(c);
            // Welford's moments carry rounding of about 1e-12 relative; a missed value leaves fractions far larger.
            if (rounded < 0 || rounded > n || Math.abs(c - rounded) > 1e-3 + 1e-9 * n) {
                return null;
            }
            counts[j] = rounded;
            total += rounded;
        }
        return total == n ? counts : null;
    }

    private static String label(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** Edges at the reference quantiles i / bins, duplicates removed. */
    private static double[] edges(NumericProfile ref, int bins) {
        double[] edges = new double[bins - 1];
        int n = 0;
        for (int i = 1; i < bins; i++) {
            double e = ref.quantile((double) i / bins);
            if (n == 0 || e > edges[n - 1]) {
                edges[n++] = e;
            }
        }
        return Arrays.copyOf(edges, n);
    }

    /** Counts per bin [e_{i-1}, e_i) with open tails: a value equal to an edge is in the upper bin. */
    private static double[] binCounts(DoublesSortedView view, double[] edges) {
        double n = view.getN();
        double[] counts = new double[edges.length + 1];
        double below = 0;
        for (int i = 0; i < edges.length; i++) {
            double upTo = Math.round(n * view.getRank(edges[i], QuantileSearchCriteria.EXCLUSIVE));
            counts[i] = upTo - below;
            below = upTo;
        }
        counts[edges.length] = n - below;
        return counts;
    }

    /**
     * One merge pass over both sorted views: KS = max |F_ref - F_cur| at every point (the step functions only
     * change there), W1 = sum of |F_ref - F_cur| times the gap to the next point.
     */
    private static void walk(Builder b, DoublesSortedView rv, DoublesSortedView cv, double scale) {
        double[] rq = rv.getQuantiles();
        long[] rw = rv.getCumulativeWeights();
        double[] cq = cv.getQuantiles();
        long[] cw = cv.getCumulativeWeights();
        double rn = rv.getN();
        double cn = cv.getN();
        int i = 0;
        int j = 0;
        double ks = 0;
        double w1 = 0;
        double gapDiff = 0;
        double previous = Double.NaN;
        while (i < rq.length || j < cq.length) {
            double x = j >= cq.length ? rq[i] : i >= rq.length ? cq[j] : Math.min(rq[i], cq[j]);
            if (i + j > 0) {
                w1 += gapDiff * (x - previous);
            }
            while (i < rq.length && rq[i] <= x) {
                i++;
            }
            while (j < cq.length && cq[j] <= x) {
                j++;
            }
            double diff = Math.abs((i == 0 ? 0 : rw[i - 1] / rn) - (j == 0 ? 0 : cw[j - 1] / cn));
            ks = Math.max(ks, diff);
            gapDiff = diff;
            previous = x;
        }
        b.statistics.put(KS, ks);
        b.wasserstein = w1 / scale;
    }

    private static Comparison categorical(CategoricalProfile ref, CategoricalProfile cur) {
        Builder b = new Builder(false, ref.count(), cur.count());
        // A counts-only feature keeps no values: there is no distribution to compare, only its missing ratio.
        b.valuesKept = ref.feature().protection() != Protection.COUNTS_ONLY;
        if (!b.comparable()) {
            return b.build();
        }
        // A purged frequent-items sketch tracks only its frequent categories: one it dropped has an estimate of 0
        // though its mass is in the rest. So a category gets a bin of its own only where every purged side still
        // tracks it; the others, with the rest of the mass, make one more bin on both sides.
        Set<String> refTracked = new HashSet<>();
        ref.frequentItems().forEach(item -> refTracked.add(item.value()));
        Set<String> curTracked = new HashSet<>();
        cur.frequentItems().forEach(item -> curTracked.add(item.value()));
        Set<String> categories = new LinkedHashSet<>();
        for (List<ItemCount> items : List.of(ref.frequentItems(), cur.frequentItems())) {
            for (ItemCount item : items) {
                String c = item.value();
                if ((ref.countsExact() || refTracked.contains(c)) && (cur.countsExact() || curTracked.contains(c))) {
                    categories.add(c);
                }
            }
        }
        int size = categories.size();
        double refSum = 0;
        double curSum = 0;
        double[] rc = new double[size + 1];
        double[] cc = new double[size + 1];
        List<String> labels = new ArrayList<>(size + 1);
        int i = 0;
        for (String category : categories) {
            rc[i] = ref.estimate(category);
            cc[i] = cur.estimate(category);
            refSum += rc[i];
            curSum += cc[i];
            labels.add(category);
            i++;
        }
        rc[size] = Math.max(0, ref.count() - refSum);
        cc[size] = Math.max(0, cur.count() - curSum);
        boolean other = rc[size] > 0 || cc[size] > 0;
        if (other) {
            labels.add(null);
        }
        int bins = other ? size + 1 : size;
        b.distinct = size;
        b.binned(Arrays.copyOf(rc, bins), Arrays.copyOf(cc, bins), labels, true,
                countNoise(ref), countNoise(cur));
        return b.build();
    }

    /** The variance, in units of 1/n, of a purged frequent-items sketch's count error; 0 while counts are exact. */
    private static double countNoise(CategoricalProfile p) {
        if (p.countsExact() || p.frequentItems().isEmpty()) {
            return 0;
        }
        ItemCount any = p.frequentItems().get(0);
        double relative = (double) (any.upperBound() - any.lowerBound()) / p.count();
        return relative * relative;
    }

    /** Collects a comparison's parts. */
    private static final class Builder {
        final boolean numeric;
        final long referenceCount;
        final long currentCount;
        final Map<String, Double> statistics = new LinkedHashMap<>();
        final List<String> unseen = new ArrayList<>();
        boolean lowCardinality;
        int distinct;
        double wasserstein = Double.NaN;
        double calibratedPValue = Double.NaN;
        double zPValue = Double.NaN;
        double chi2P = Double.NaN;

        Builder(boolean numeric, long referenceCount, long currentCount) {
            this.numeric = numeric;
            this.referenceCount = referenceCount;
            this.currentCount = currentCount;
        }

        boolean valuesKept = true;

        boolean comparable() {
            return valuesKept && referenceCount > 0 && currentCount > 0;
        }

        /**
         * The binned statistics of the two count vectors; {@code labels} name the bins of categories or values
         * (null for the bin of the rest), and {@code byValue} says whether chi-square and unseen values belong in
         * the statistics.
         */
        void binned(double[] rc, double[] cc, List<String> labels, boolean byValue, double refNoise,
                double curNoise) {
            double rn = sum(rc);
            double cn = sum(cc);
            double[] p = Distributions.smoothed(rc, rn);
            double[] q = Distributions.smoothed(cc, cn);
            statistics.put(PSI, Distributions.psi(p, q));
            statistics.put(JS, Distributions.jsDistance(p, q));
            statistics.put(HELLINGER, Distributions.hellinger(p, q));
            double chi2 = Distributions.chi2(p, cc, cn);
            int dof = rc.length - 1;
            chi2P = Distributions.chi2Survival(chi2, dof);
            zPValue = Distributions.zPValue(rc[0], rn, cc[0], cn);
            if (!byValue) {
                return;
            }
            statistics.put(CHI2, chi2);
            statistics.put(CHI2_P, chi2P);
            // The goodness-of-fit statistic treats the reference proportions as known; they are a sample of rn,
            // which scales its null variance by 1 + cn / rn (plus the sketches' count noise).
            double inflation = 1 + cn / rn + cn * (refNoise + curNoise);
            calibratedPValue = Distributions.chi2Survival(chi2 / inflation, dof);
            for (int i = 0; i < rc.length; i++) {
                if (labels.get(i) != null && rc[i] == 0 && cc[i] > 0) {
                    unseen.add(labels.get(i));
                }
            }
        }

        private static double sum(double[] values) {
            double s = 0;
            for (double v : values) {
                s += v;
            }
            return s;
        }

        Comparison build() {
            return new Comparison(this);
        }
    }
}
