package dev.seismo.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Isotonic calibration of a binary classifier's scores, fitted on a labeled reference by pool-adjacent-violators: a
 * non-decreasing step function from the raw score to P(class 1). Block j holds the reference rows with scores up to
 * {@link #upper(int)} (and above the previous block's), and maps them to its share of positives. Each block keeps its
 * rows and positives, so the uncertainty of its probability is known: the Jeffreys posterior variance
 * (k + 1/2)(n - k + 1/2) / ((n + 1)^2 (n + 2)), which CBPE adds to its intervals.
 *
 * <p>Thread-safe: immutable.
 */
public final class Calibration {

    private final double[] upper;
    private final long[] rows;
    private final long[] positives;

    Calibration(double[] upper, long[] rows, long[] positives) {
        if (upper.length == 0 || upper.length != rows.length || rows.length != positives.length) {
            throw new IllegalArgumentException("a calibration needs one or more blocks of equal-length columns");
        }
        for (int j = 0; j < upper.length; j++) {
            if (rows[j] < 1 || positives[j] < 0 || positives[j] > rows[j]
                    || (j > 0 && !(upper[j] > upper[j - 1]))) {
                throw new IllegalArgumentException("calibration block " + j + " is not valid: scores must rise"
                        + " and 0 <= positives <= rows, rows >= 1");
            }
        }
        this.upper = upper;
        this.rows = rows;
        this.positives = positives;
    }

    /**
     * Fits isotonic calibration: scores in [0, 1] (others are skipped), labels 0 or 1.
     *
     * @throws IllegalArgumentException if the arrays differ in length, or no row has both a valid score and label
     */
    public static Calibration isotonic(double[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("scores and labels differ in length: " + scores.length + " and "
                    + labels.length);
        }
        int n = 0;
        double[] s = new double[scores.length];
        int[] y = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] >= 0 && scores[i] <= 1 && (labels[i] == 0 || labels[i] == 1)) {
                s[n] = scores[i];
                y[n] = labels[i];
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("no row has a score in [0, 1] and a label of 0 or 1");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(s[a], s[b]));
        // Stack of blocks: rows, positives, highest score. Tied scores enter as one block.
        List<double[]> stack = new ArrayList<>();
        int i = 0;
        while (i < n) {
            double score = s[order[i]];
            long r = 0;
            long p = 0;
            while (i < n && s[order[i]] == score) {
                r++;
                p += y[order[i]];
                i++;
            }
            double[] block = {r, p, score};
            while (!stack.isEmpty()) {
                double[] last = stack.get(stack.size() - 1);
                if (last[1] / last[0] >= block[1] / block[0]) { // a violation (or equal): pool
                    block = new double[]{last[0] + block[0], last[1] + block[1], block[2]};
                    stack.remove(stack.size() - 1);
                } else {
                    break;
                }
            }
            stack.add(block);
        }
        double[] up = new double[stack.size()];
        long[] rw = new long[stack.size()];
        long[] ps = new long[stack.size()];
        for (int j = 0; j < up.length; j++) {
            rw[j] = (long) stack.get(j)[0];
            ps[j] = (long) stack.get(j)[1];
            up[j] = stack.get(j)[2];
        }
        return new Calibration(up, rw, ps);
    }

    /** The number of blocks. */
    public int blocks() {
        return upper.length;
    }

    /** The highest reference score of block j. */
    public double upper(int j) {
        return upper[j];
    }

    public long rows(int j) {
        return rows[j];
    }

    public long positives(int j) {
        return positives[j];
    }

    /** The block a score falls in: the first whose upper score is at least it, else the last. */
    public int block(double score) {
        int j = Arrays.binarySearch(upper, score);
        if (j >= 0) {
            return j;
        }
        return Math.min(-j - 1, upper.length - 1);
    }

    /** Block j's calibrated probability of class 1. */
    public double probability(int j) {
        return (double) positives[j] / rows[j];
    }

    /** The calibrated probability of class 1 for a raw score. */
    public double calibrate(double score) {
        return probability(block(score));
    }

    /** The variance of block j's probability as estimated from the reference (Jeffreys posterior). */
    public double variance(int j) {
        double n = rows[j];
        double k = positives[j];
        return (k + 0.5) * (n - k + 0.5) / ((n + 1) * (n + 1) * (n + 2));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Calibration c && Arrays.equals(upper, c.upper) && Arrays.equals(rows, c.rows)
                && Arrays.equals(positives, c.positives);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(upper) * 31 + Arrays.hashCode(rows);
    }
}
