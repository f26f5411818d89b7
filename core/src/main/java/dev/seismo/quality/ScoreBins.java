package dev.seismo.quality;

import java.util.Arrays;

/**
 * A mergeable sketch of scores in [0, 1] split into positives and negatives, from which ROC AUC is read: weights in
 * {@value #BINS} fixed bins equally wide on the logit scale over [-16, 16] (1/64 logit per bin; scores beyond the
 * range fall in the end bins). Fixed bins make merging exact (bin-wise sums), and the logit scale keeps them fine
 * where classifier scores crowd, near 0 and 1: a bin is about 1.6% wide in relative terms there.
 *
 * <h2>Error bound</h2>
 * Pairs of a positive and a negative in different bins are ordered exactly; a pair within one bin is credited 1/2,
 * as a tie. So the exact AUC on the raw scores lies within {@link #aucErrorBound()} =
 * (1/2) sum_b pos_b neg_b / (P N) of {@link #auc()}: a bound read from the data, not an assumption. For continuous
 * scores it is about (1/2) * (1/64) * integral of f+ f- over the logit axis, typically below 0.002; scores that
 * really tie (a model that outputs few distinct values) are ties in the exact AUC too, so the true error is then smaller
 * than the bound. Weights may be fractional (CBPE uses calibrated probabilities as weights).
 *
 * <p>Thread-safe: immutable.
 */
public final class ScoreBins {

    /** The number of bins. */
    public static final int BINS = 2048;
    private static final double LOGIT_MIN = -16;
    private static final double BINS_PER_LOGIT = 64;

    private final double[] positive;
    private final double[] negative;

    ScoreBins(double[] positive, double[] negative) {
        this.positive = positive;
        this.negative = negative;
    }

    /** No scores. */
    public static ScoreBins empty() {
        return new ScoreBins(new double[BINS], new double[BINS]);
    }

    /** The bin of a score in [0, 1]: 0 and 1 fall in the end bins. */
    static int bin(double score) {
        double logit = Math.log(score) - Math.log1p(-score);
        double b = Math.floor((logit - LOGIT_MIN) * BINS_PER_LOGIT);
        if (!(b >= 0)) {
            return 0; // also -Infinity
        }
        return b >= BINS ? BINS - 1 : (int) b;
    }

    /** The lowest score of a bin (its lower edge), for reading the bins as a distribution. */
    static double lowerEdge(int bin) {
        double logit = LOGIT_MIN + bin / BINS_PER_LOGIT;
        return 1 / (1 + Math.exp(-logit));
    }

    /** The total weight of positives. */
    public double positives() {
        return sum(positive);
    }

    /** The total weight of negatives. */
    public double negatives() {
        return sum(negative);
    }

    /**
     * Area under the ROC curve: the chance that a positive scores above a negative, ties counted 1/2; NaN without a
     * positive or a negative.
     */
    public double auc() {
        double p = positives();
        double n = negatives();
        if (!(p > 0) || !(n > 0)) {
            return Double.NaN;
        }
        double below = 0;
        double wins = 0;
        for (int b = 0; b < BINS; b++) {
            wins += positive[b] * (below + 0.5 * negative[b]);
            below += negative[b];
        }
        return wins / (p * n);
    }

    /** The largest distance between {@link #auc()} and the exact AUC of the scores binned here; NaN with auc. */
    public double aucErrorBound() {
        double p = positives();
        double n = negatives();
        if (!(p > 0) || !(n > 0)) {
            return Double.NaN;
        }
        double same = 0;
        for (int b = 0; b < BINS; b++) {
            same += positive[b] * negative[b];
        }
        return 0.5 * same / (p * n);
    }

    /** These scores and {@code other}'s together. */
    public ScoreBins merge(ScoreBins other) {
        double[] pos = positive.clone();
        double[] neg = negative.clone();
        for (int b = 0; b < BINS; b++) {
            pos[b] += other.positive[b];
            neg[b] += other.negative[b];
        }
        return new ScoreBins(pos, neg);
    }

    double positiveAt(int bin) {
        return positive[bin];
    }

    double negativeAt(int bin) {
        return negative[bin];
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreBins other && Arrays.equals(positive, other.positive)
                && Arrays.equals(negative, other.negative);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(positive) + Arrays.hashCode(negative);
    }

    /** The mutable side: single-threaded, owned by whoever holds the quality lock. */
    static final class Accumulator {
        final double[] positive = new double[BINS];
        final double[] negative = new double[BINS];

        void add(double score, double positiveWeight, double negativeWeight) {
            int b = bin(score);
            positive[b] += positiveWeight;
            negative[b] += negativeWeight;
        }

        ScoreBins snapshot() {
            return new ScoreBins(positive.clone(), negative.clone());
        }
    }
}
