package dev.seismo.quality;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RealizedMetricsTest {

    /** Exact AUC by the Mann-Whitney statistic with ties counted 1/2, from raw rows. */
    static double exactAuc(double[] scores, int[] labels) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double wins = 0;
        long negBelow = 0;
        long pos = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            long p = 0;
            long n = 0;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                if (labels[order[j]] == 1) {
                    p++;
                } else {
                    n++;
                }
                j++;
            }
            wins += p * (negBelow + 0.5 * n);
            negBelow += n;
            pos += p;
            i = j;
        }
        return wins / ((double) pos * negBelow);
    }

    @Test
    void aucFromTheSketchIsWithinItsBoundAndWithinHalfAPercentOfExactAcrossScoreShapes() {
        SplittableRandom random = new SplittableRandom(17);
        for (int trial = 0; trial < 40; trial++) {
            int n = 2_000 + random.nextInt(20_000);
            double separation = random.nextDouble() * 3;
            double prevalence = 0.02 + random.nextDouble() * 0.5;
            double[] scores = new double[n];
            int[] labels = new int[n];
            ClassificationMetrics.Accumulator acc = new ClassificationMetrics.Accumulator(List.of("0", "1"));
            for (int i = 0; i < n; i++) {
                labels[i] = random.nextDouble() < prevalence ? 1 : 0;
                double logit = -3 + labels[i] * separation + normal(random) * (0.3 + trial % 4);
                scores[i] = 1 / (1 + Math.exp(-logit));
                if (trial % 5 == 0) {
                    scores[i] = Math.round(scores[i] * 20) / 20.0; // a model with few distinct outputs: real ties
                }
                acc.addBinary(labels[i], scores[i], 0.5);
            }
            ClassificationMetrics m = acc.snapshot();
            double exact = exactAuc(scores, labels);
            assertThat(m.rocAuc()).as("trial %d", trial).isCloseTo(exact, within(0.005));
            assertThat(Math.abs(m.rocAuc() - exact)).isLessThanOrEqualTo(m.aucErrorBound() + 1e-12);
        }
    }

    @Test
    void binaryMetricsEqualAnExactComputationOnTheRows() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 10_000;
        long tp = 0, fp = 0, fn = 0, tn = 0;
        double logLoss = 0;
        double[] binP = new double[10];
        double[] binY = new double[10];
        ClassificationMetrics.Accumulator acc = new ClassificationMetrics.Accumulator(List.of("ok", "fraud"));
        for (int i = 0; i < n; i++) {
            double p = random.nextDouble();
            int y = random.nextDouble() < p * 0.9 ? 1 : 0;
            if (i == 0) {
                p = 1.0; // the last calibration bin takes 1
            }
            acc.addBinary(y, p, 0.3);
            boolean pred = p >= 0.3;
            if (pred && y == 1) tp++;
            if (pred && y == 0) fp++;
            if (!pred && y == 1) fn++;
            if (!pred && y == 0) tn++;
            logLoss -= Math.log(Math.max(y == 1 ? p : 1 - p, 1e-15));
            int b = Math.min(9, (int) (p * 10));
            binP[b] += p;
            binY[b] += y;
        }
        ClassificationMetrics m = acc.snapshot();
        assertThat(m.rows()).isEqualTo(n);
        assertThat(m.accuracy()).isEqualTo((double) (tp + tn) / n);
        assertThat(m.precision(1)).isEqualTo((double) tp / (tp + fp));
        assertThat(m.recall(1)).isEqualTo((double) tp / (tp + fn));
        assertThat(m.f1(1)).isEqualTo(2.0 * tp / (2 * tp + fp + fn));
        assertThat(m.precision(0)).isEqualTo((double) tn / (tn + fn));
        assertThat(m.macroF1()).isCloseTo((2.0 * tp / (2 * tp + fp + fn) + 2.0 * tn / (2 * tn + fn + fp)) / 2,
                within(1e-15));
        assertThat(m.logLoss()).isCloseTo(logLoss / n, within(1e-12));
        double ece = 0;
        for (int b = 0; b < 10; b++) {
            ece += Math.abs(binY[b] - binP[b]);
        }
        assertThat(m.calibrationError()).isCloseTo(ece / n, within(1e-12));
        assertThat(m.actual(1)).isEqualTo(tp + fn);
        assertThat(m.predicted(1)).isEqualTo(tp + fp);
        assertThat(m.rocAuc(0)).isCloseTo(1 - m.rocAuc(1), within(1e-15));
    }

    @Test
    void multiclassMetricsTakeTheMostProbableClassAndAverageOneVsRest() {
        ClassificationMetrics.Accumulator acc = new ClassificationMetrics.Accumulator(List.of("a", "b", "c"));
        acc.addProbabilities(0, new double[]{0.7, 0.2, 0.1}, 0);
        acc.addProbabilities(1, new double[]{0.5, 0.4, 0.1}, 0);
        acc.addProbabilities(2, new double[]{0.1, 0.1, 0.8}, 0);
        acc.addProbabilities(1, new double[]{0.2, 0.6, 0.2}, 0);
        acc.addClass(2, 0);
        ClassificationMetrics m = acc.snapshot();
        assertThat(m.rows()).isEqualTo(5);
        assertThat(m.probabilityRows()).isEqualTo(4);
        assertThat(m.accuracy()).isEqualTo(3 / 5.0);
        assertThat(m.count(1, 0)).isEqualTo(1);
        assertThat(m.precision(0)).isEqualTo(1 / 3.0);
        assertThat(m.recall(2)).isEqualTo(1 / 2.0);
        assertThat(m.logLoss()).isCloseTo(-(Math.log(0.7) + Math.log(0.4) + Math.log(0.8) + Math.log(0.6)) / 4,
                within(1e-12));
        // class a: positive 0.7 against negatives 0.5, 0.1, 0.2 -> 1; class b: positives 0.4, 0.6 vs 0.2, 0.1 -> 1;
        // class c: positive 0.8 vs 0.1, 0.1, 0.2 -> 1
        assertThat(m.rocAuc()).isEqualTo(1.0);
        // top-label calibration: confidences 0.7 (right), 0.5 (wrong), 0.8 (right), 0.6 (right), bins 7, 5, 8, 6
        assertThat(m.calibrationError()).isCloseTo((0.3 + 0.5 + 0.2 + 0.4) / 4, within(1e-12));
    }

    @Test
    void mergingWindowsEqualsRecordingTheirRowsTogether() {
        SplittableRandom random = new SplittableRandom(5);
        ClassificationMetrics.Accumulator a = new ClassificationMetrics.Accumulator(List.of("0", "1"));
        ClassificationMetrics.Accumulator b = new ClassificationMetrics.Accumulator(List.of("0", "1"));
        ClassificationMetrics.Accumulator all = new ClassificationMetrics.Accumulator(List.of("0", "1"));
        RegressionMetrics.Accumulator ra = new RegressionMetrics.Accumulator();
        RegressionMetrics.Accumulator rb = new RegressionMetrics.Accumulator();
        RegressionMetrics.Accumulator rall = new RegressionMetrics.Accumulator();
        for (int i = 0; i < 5_000; i++) {
            int y = random.nextInt(2);
            // dyadic scores: sums are exact in any order, so the merge must equal the whole bit for bit
            double p = random.nextInt(1024) / 1024.0;
            (i % 3 == 0 ? a : b).addBinary(y, p, 0.5);
            all.addBinary(y, p, 0.5);
            double actual = random.nextInt(100) - 20;
            double predicted = actual + random.nextInt(9) - 4;
            (i % 3 == 0 ? ra : rb).add(actual, predicted);
            rall.add(actual, predicted);
        }
        ClassificationMetrics merged = a.snapshot().merge(b.snapshot());
        ClassificationMetrics whole = all.snapshot();
        assertThat(merged.rows()).isEqualTo(whole.rows());
        assertThat(merged.accuracy()).isEqualTo(whole.accuracy());
        assertThat(merged.f1(1)).isEqualTo(whole.f1(1));
        assertThat(merged.rocAuc()).isEqualTo(whole.rocAuc());
        assertThat(merged.calibrationError()).isEqualTo(whole.calibrationError());
        assertThat(merged.logLoss()).isCloseTo(whole.logLoss(), within(1e-12));
        RegressionMetrics rm = ra.snapshot().merge(rb.snapshot());
        RegressionMetrics rw = rall.snapshot();
        assertThat(rm.rows()).isEqualTo(rw.rows());
        assertThat(rm.mae()).isEqualTo(rw.mae());
        assertThat(rm.rmse()).isEqualTo(rw.rmse());
        assertThat(rm.r2()).isCloseTo(rw.r2(), within(1e-12));
        assertThat(rm.actualMean()).isCloseTo(rw.actualMean(), within(1e-12));
    }

    @Test
    void regressionMetricsEqualAnExactComputationAndLeaveZeroActualsOutOfMape() {
        double[] y = {3, 0, -2, 10, 4.5};
        double[] yhat = {2.5, 1, -1, 12, 4.5};
        RegressionMetrics.Accumulator acc = new RegressionMetrics.Accumulator();
        for (int i = 0; i < y.length; i++) {
            acc.add(y[i], yhat[i]);
        }
        RegressionMetrics m = acc.snapshot();
        double mean = Arrays.stream(y).average().orElseThrow();
        double sst = Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum();
        double sse = 0.25 + 1 + 1 + 4 + 0;
        assertThat(m.mae()).isCloseTo((0.5 + 1 + 1 + 2 + 0) / 5, within(1e-12));
        assertThat(m.rmse()).isCloseTo(Math.sqrt(sse / 5), within(1e-12));
        assertThat(m.mape()).isCloseTo((0.5 / 3 + 0.5 + 0.2 + 0) / 4, within(1e-12));
        assertThat(m.zeroActuals()).isEqualTo(1);
        assertThat(m.r2()).isCloseTo(1 - sse / sst, within(1e-12));
        assertThat(RegressionMetrics.empty().mae()).isNaN();
    }

    static double normal(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
