package dev.seismo.quality;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Realized quality of a classifier over joined rows (a prediction and its actual class): the confusion matrix, log
 * loss, calibration bins and a {@link ScoreBins score sketch} per class, all sums, so two windows' or two replicas'
 * metrics {@link #merge merge} exactly. Definitions (docs/QUALITY.md states them with the conventions):
 * <ul>
 * <li>accuracy = sum_c TP_c / rows; precision_c = TP_c / predicted_c; recall_c = TP_c / actual_c;
 * F1_c = 2 TP_c / (2 TP_c + FP_c + FN_c); each NaN when its denominator is 0. A binary classifier's headline
 * precision, recall and F1 are those of class 1 ({@link #POSITIVE}); macro averages are the unweighted means over the
 * classes where the value is defined.</li>
 * <li>log loss = mean over rows with probabilities of -ln(max(p_actual, 1e-15)) (binary: p_1 or 1 - p_1).</li>
 * <li>calibration error (ECE) = sum_b |sum_i y_i - sum_i p_i| / n over {@value #CALIBRATION_BINS} equal-width bins
 * of p on [0, 1] (a value of 1 in the last bin): binary p = P(class 1), y = actual is class 1; multiclass the top
 * label's probability, y = the top label was right.</li>
 * <li>ROC AUC per class, one against the rest, from the score sketch (within {@link #aucErrorBound()} of exact);
 * binary {@link #rocAuc()} is class 1's, multiclass the macro mean over classes with positives and negatives.</li>
 * </ul>
 *
 * <p>Thread-safe: immutable.
 */
public final class ClassificationMetrics {

    /** The positive class of a binary classifier. */
    public static final int POSITIVE = 1;
    /** Equal-width bins of the calibration error. */
    public static final int CALIBRATION_BINS = 10;
    static final double MIN_PROBABILITY = 1e-15;

    private final List<String> classes;
    private final long[] confusion;
    private final long probabilityRows;
    private final double logLossSum;
    private final long[] calibrationCount;
    private final double[] calibrationProbability;
    private final double[] calibrationOutcome;
    private final ScoreBins[] scores;

    ClassificationMetrics(List<String> classes, long[] confusion, long probabilityRows, double logLossSum,
                          long[] calibrationCount, double[] calibrationProbability, double[] calibrationOutcome,
                          ScoreBins[] scores) {
        this.classes = List.copyOf(classes);
        this.confusion = confusion;
        this.probabilityRows = probabilityRows;
        this.logLossSum = logLossSum;
        this.calibrationCount = calibrationCount;
        this.calibrationProbability = calibrationProbability;
        this.calibrationOutcome = calibrationOutcome;
        this.scores = scores;
    }

    /** No rows, for these classes. */
    public static ClassificationMetrics empty(List<String> classes) {
        return new Accumulator(classes).snapshot();
    }

    /** The class names, by index. */
    public List<String> classes() {
        return classes;
    }

    /** Joined rows. */
    public long rows() {
        long n = 0;
        for (long c : confusion) {
            n += c;
        }
        return n;
    }

    /** Rows whose actual class was {@code actual} and predicted class {@code predicted}. */
    public long count(int actual, int predicted) {
        return confusion[actual * k() + predicted];
    }

    /** Rows whose actual class was {@code c}: the label distribution. */
    public long actual(int c) {
        long n = 0;
        for (int p = 0; p < k(); p++) {
            n += count(c, p);
        }
        return n;
    }

    /** Rows predicted as class {@code c}. */
    public long predicted(int c) {
        long n = 0;
        for (int a = 0; a < k(); a++) {
            n += count(a, c);
        }
        return n;
    }

    /** Share of rows predicted right; NaN without rows. */
    public double accuracy() {
        long right = 0;
        for (int c = 0; c < k(); c++) {
            right += count(c, c);
        }
        return ratio(right, rows());
    }

    public double precision(int c) {
        return ratio(count(c, c), predicted(c));
    }

    public double recall(int c) {
        return ratio(count(c, c), actual(c));
    }

    public double f1(int c) {
        long tp = count(c, c);
        return ratio(2 * tp, predicted(c) + actual(c));
    }

    public double macroPrecision() {
        double s = 0;
        int n = 0;
        for (int c = 0; c < k(); c++) {
            double v = precision(c);
            if (!Double.isNaN(v)) {
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    public double macroRecall() {
        double s = 0;
        int n = 0;
        for (int c = 0; c < k(); c++) {
            double v = recall(c);
            if (!Double.isNaN(v)) {
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    public double macroF1() {
        double s = 0;
        int n = 0;
        for (int c = 0; c < k(); c++) {
            double v = f1(c);
            if (!Double.isNaN(v)) {
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Rows that carried probabilities: the rows of log loss, calibration error and AUC. */
    public long probabilityRows() {
        return probabilityRows;
    }

    /** Mean negative log-likelihood of the actual class; NaN without probabilities. */
    public double logLoss() {
        return probabilityRows == 0 ? Double.NaN : logLossSum / probabilityRows;
    }

    /** Expected calibration error over {@value #CALIBRATION_BINS} equal-width bins; NaN without probabilities. */
    public double calibrationError() {
        if (probabilityRows == 0) {
            return Double.NaN;
        }
        double gap = 0;
        for (int b = 0; b < CALIBRATION_BINS; b++) {
            gap += Math.abs(calibrationOutcome[b] - calibrationProbability[b]);
        }
        return gap / probabilityRows;
    }

    /** Binary: class 1's ROC AUC; multiclass: the macro mean of the classes' one-vs-rest AUC. NaN if undefined. */
    public double rocAuc() {
        if (k() == 2) {
            return scores[0].auc();
        }
        double s = 0;
        int n = 0;
        for (ScoreBins b : scores) {
            double v = b.auc();
            if (!Double.isNaN(v)) {
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Class {@code c}'s ROC AUC against the rest. */
    public double rocAuc(int c) {
        if (k() == 2) {
            double auc = scores[0].auc();
            return c == POSITIVE ? auc : 1 - auc;
        }
        return scores[c].auc();
    }

    /** How far {@link #rocAuc()} may be from the exact AUC of the rows (the largest of the classes' bounds). */
    public double aucErrorBound() {
        double max = Double.NaN;
        for (ScoreBins b : scores) {
            double v = b.aucErrorBound();
            if (!Double.isNaN(v) && !(v <= max)) {
                max = v;
            }
        }
        return max;
    }

    /** The score sketch of class {@code c} (binary: class 1's for both). */
    public ScoreBins scores(int c) {
        return k() == 2 ? scores[0] : scores[c];
    }

    /** These rows and {@code other}'s together. */
    public ClassificationMetrics merge(ClassificationMetrics other) {
        if (!classes.equals(other.classes)) {
            throw new IllegalArgumentException("cannot merge metrics of classes " + classes + " with " + other.classes);
        }
        long[] conf = confusion.clone();
        for (int i = 0; i < conf.length; i++) {
            conf[i] += other.confusion[i];
        }
        long[] calN = calibrationCount.clone();
        double[] calP = calibrationProbability.clone();
        double[] calY = calibrationOutcome.clone();
        for (int b = 0; b < CALIBRATION_BINS; b++) {
            calN[b] += other.calibrationCount[b];
            calP[b] += other.calibrationProbability[b];
            calY[b] += other.calibrationOutcome[b];
        }
        ScoreBins[] s = new ScoreBins[scores.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores[i].merge(other.scores[i]);
        }
        return new ClassificationMetrics(classes, conf, probabilityRows + other.probabilityRows,
                logLossSum + other.logLossSum, calN, calP, calY, s);
    }

    private int k() {
        return classes.size();
    }

    private static double ratio(long num, long den) {
        return den == 0 ? Double.NaN : (double) num / den;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassificationMetrics m && classes.equals(m.classes)
                && Arrays.equals(confusion, m.confusion) && probabilityRows == m.probabilityRows
                && Double.compare(logLossSum, m.logLossSum) == 0 && Arrays.equals(calibrationCount, m.calibrationCount)
                && Arrays.equals(calibrationProbability, m.calibrationProbability)
                && Arrays.equals(calibrationOutcome, m.calibrationOutcome) && Arrays.equals(scores, m.scores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classes, Arrays.hashCode(confusion), probabilityRows);
    }

    @Override
    public String toString() {
        return "ClassificationMetrics{rows=" + rows() + ", accuracy=" + accuracy() + ", auc=" + rocAuc() + '}';
    }

    /** The mutable side: single-threaded. */
    static final class Accumulator {
        private final List<String> classes;
        private final int k;
        private final long[] confusion;
        private long probabilityRows;
        private double logLossSum;
        private final long[] calibrationCount = new long[CALIBRATION_BINS];
        private final double[] calibrationProbability = new double[CALIBRATION_BINS];
        private final double[] calibrationOutcome = new double[CALIBRATION_BINS];
        private final ScoreBins.Accumulator[] scores;

        Accumulator(List<String> classes) {
            if (classes.size() < 2) {
                throw new IllegalArgumentException("a classifier needs at least 2 classes, was " + classes);
            }
            this.classes = List.copyOf(classes);
            this.k = classes.size();
            this.confusion = new long[k * k];
            this.scores = new ScoreBins.Accumulator[k == 2 ? 1 : k];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = new ScoreBins.Accumulator();
            }
        }

        /** A binary row: the probability of class 1 and the actual class (0 or 1), predicted at the threshold. */
        void addBinary(int actual, double p1, double threshold) {
            addBinary(actual, p1 >= threshold ? 1 : 0, p1);
        }

        /** A binary row whose predicted class was decided when it was recorded. */
        void addBinary(int actual, int predicted, double p1) {
            confusion[actual * 2 + predicted]++;
            probabilityRows++;
            double pActual = actual == 1 ? p1 : 1 - p1;
            logLossSum -= Math.log(Math.max(pActual, MIN_PROBABILITY));
            calibrate(p1, actual == 1);
            scores[0].add(p1, actual == 1 ? 1 : 0, actual == 1 ? 0 : 1);
        }

        /** A multiclass row with probabilities by class (at {@code offset}); predicted is the most probable. */
        void addProbabilities(int actual, double[] p, int offset) {
            addProbabilities(actual, argmax(p, offset, k), p, offset);
        }

        /** A multiclass row whose predicted class was decided when it was recorded. */
        void addProbabilities(int actual, int top, double[] p, int offset) {
            confusion[actual * k + top]++;
            probabilityRows++;
            logLossSum -= Math.log(Math.max(p[offset + actual], MIN_PROBABILITY));
            calibrate(p[offset + top], top == actual);
            for (int c = 0; c < k; c++) {
                scores[c].add(p[offset + c], c == actual ? 1 : 0, c == actual ? 0 : 1);
            }
        }

        /** The most probable class, the lowest index among ties. */
        static int argmax(double[] p, int offset, int k) {
            int top = 0;
            for (int c = 1; c < k; c++) {
                if (p[offset + c] > p[offset + top]) {
                    top = c;
                }
            }
            return top;
        }

        /** A row with a predicted class only. */
        void addClass(int actual, int predicted) {
            confusion[actual * k + predicted]++;
        }

        private void calibrate(double p, boolean outcome) {
            int b = Math.min(CALIBRATION_BINS - 1, (int) (p * CALIBRATION_BINS));
            calibrationCount[b]++;
            calibrationProbability[b] += p;
            if (outcome) {
                calibrationOutcome[b] += 1;
            }
        }

        ClassificationMetrics snapshot() {
            ScoreBins[] s = new ScoreBins[scores.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = scores[i].snapshot();
            }
            return new ClassificationMetrics(classes, confusion.clone(), probabilityRows, logLossSum,
                    calibrationCount.clone(), calibrationProbability.clone(), calibrationOutcome.clone(), s);
        }
    }
}
