package dev.seismo.quality;

import java.util.SplittableRandom;

/**
 * Confidence-based performance estimation for one window of a binary classifier: every prediction, labeled or not,
 * adds its calibrated probability to the expected confusion matrix. Since the calibration is a step function, the
 * window keeps only how many predictions of each predicted class fell in each calibration block (m+_j, m-_j), and the
 * raw scores in {@link ScoreBins} weighted by the calibrated probability (for the AUC).
 *
 * <h2>Estimates and intervals</h2>
 * With c_j block j's probability, A = sum m+_j c_j (expected TP), B = sum m-_j c_j (expected FN), n+ and n- the
 * predictions of each class: accuracy (A + n- - B) / n, precision A / n+, recall A / (A + B), F1 2A / (n+ + A + B).
 * Their variance has two parts, added: the labels' randomness given the probabilities (Poisson-binomial: VA =
 * sum m+_j c_j (1 - c_j), VB likewise) and the calibration's own uncertainty (each block's Jeffreys variance, through
 * the delta method); ratios by the delta method. The AUC is that of the score bins with weights c and 1 - c, its
 * interval from 200 draws of labels from the calibrated probabilities (seeded by the window's sequence, so the same
 * window gives the same interval); it holds the labels' randomness only.
 *
 * <p>Not thread-safe: owned by whoever holds the quality lock.
 */
final class Cbpe {

    private static final int AUC_DRAWS = 200;

    private final Calibration calibration;
    private final double threshold;
    private final long[] positive;
    private final long[] negative;
    private final ScoreBins.Accumulator scores = new ScoreBins.Accumulator();

    Cbpe(QualityReference reference) {
        this.calibration = reference.calibration();
        this.threshold = reference.threshold();
        this.positive = new long[calibration.blocks()];
        this.negative = new long[calibration.blocks()];
    }

    /** Adds a prediction: its raw P(class 1). */
    void add(double score) {
        int j = calibration.block(score);
        double c = calibration.probability(j);
        if (score >= threshold) {
            positive[j]++;
        } else {
            negative[j]++;
        }
        scores.add(score, c, 1 - c);
    }

    PerformanceEstimate estimate(long seed) {
        double a = 0;
        double b = 0;
        double va = 0;
        double vb = 0;
        long nPos = 0;
        long nNeg = 0;
        for (int j = 0; j < positive.length; j++) {
            double c = calibration.probability(j);
            a += positive[j] * c;
            b += negative[j] * c;
            va += positive[j] * c * (1 - c);
            vb += negative[j] * c * (1 - c);
            nPos += positive[j];
            nNeg += negative[j];
        }
        long n = nPos + nNeg;
        if (n == 0) {
            return null;
        }
        // Calibration uncertainty: each block's error e_j moves A by m+_j e_j and B by m-_j e_j.
        double calAccuracy = 0;
        double calPrecision = 0;
        double calRecall = 0;
        double calF1 = 0;
        double d = nPos + a + b;
        for (int j = 0; j < positive.length; j++) {
            double s2 = calibration.variance(j);
            double mp = positive[j];
            double mn = negative[j];
            calAccuracy += s2 * (mp - mn) * (mp - mn);
            calPrecision += s2 * mp * mp;
            double r = b * mp - a * mn;
            calRecall += s2 * r * r;
            double f = 2 * (nPos + b) * mp - 2 * a * mn;
            calF1 += s2 * f * f;
        }
        Estimate accuracy = Estimate.normal((a + nNeg - b) / n, (va + vb + calAccuracy) / ((double) n * n));
        Estimate precision = nPos == 0 ? Estimate.UNDEFINED
                : Estimate.normal(a / nPos, (va + calPrecision) / ((double) nPos * nPos));
        double ab = a + b;
        Estimate recall = !(ab > 0) ? Estimate.UNDEFINED
                : Estimate.normal(a / ab, (b * b * va + a * a * vb + calRecall) / (ab * ab * ab * ab));
        Estimate f1 = !(d > 0) ? Estimate.UNDEFINED
                : Estimate.normal(2 * a / d, (4 * (nPos + b) * (nPos + b) * va + 4 * a * a * vb + calF1)
                / (d * d * d * d));
        return new PerformanceEstimate(n, a, nPos - a, b, nNeg - b, accuracy, precision, recall, f1,
                aucEstimate(seed));
    }

    private Estimate aucEstimate(long seed) {
        ScoreBins expected = scores.snapshot();
        double auc = expected.auc();
        if (Double.isNaN(auc)) {
            return Estimate.UNDEFINED;
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] pos = new double[ScoreBins.BINS];
        double[] neg = new double[ScoreBins.BINS];
        double sum = 0;
        double sumSq = 0;
        int draws = 0;
        for (int r = 0; r < AUC_DRAWS; r++) {
            for (int bin = 0; bin < ScoreBins.BINS; bin++) {
                double w = scores.positive[bin];
                long count = Math.round(w + scores.negative[bin]);
                if (count == 0) {
                    pos[bin] = 0;
                    neg[bin] = 0;
                    continue;
                }
                double q = Math.min(1, Math.max(0, w / count));
                double drawn = binomial(random, count, q);
                pos[bin] = drawn;
                neg[bin] = count - drawn;
            }
            double v = new ScoreBins(pos, neg).auc();
            if (!Double.isNaN(v)) {
                sum += v;
                sumSq += v * v;
                draws++;
            }
        }
        if (draws < 2) {
            return new Estimate(auc, Double.NaN, Double.NaN);
        }
        double mean = sum / draws;
        double variance = (sumSq - draws * mean * mean) / (draws - 1);
        return Estimate.normal(auc, variance);
    }

    /** A binomial draw: exact for small counts, Poisson for rare outcomes, else the normal approximation. */
    private static double binomial(SplittableRandom random, long n, double q) {
        if (n <= 64) {
            long k = 0;
            for (long i = 0; i < n; i++) {
                if (random.nextDouble() < q) {
                    k++;
                }
            }
            return k;
        }
        double var = n * q * (1 - q);
        if (var < 25) {
            return q <= 0.5 ? poisson(random, n * q, n) : n - poisson(random, n * (1 - q), n);
        }
        double z = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        return Math.max(0, Math.min(n, Math.round(n * q + z * Math.sqrt(var))));
    }

    /** Knuth's Poisson draw (the mean is below about 50 here), capped at n. */
    private static long poisson(SplittableRandom random, double mean, long n) {
        double limit = Math.exp(-mean);
        long k = 0;
        double p = random.nextDouble();
        while (p > limit && k < n) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }
}
