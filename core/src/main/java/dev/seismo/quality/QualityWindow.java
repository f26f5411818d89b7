package dev.seismo.quality;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The quality of one monitor window (the same sequence number as its {@code Window}): the keyed predictions it
 * received, the labels joined to them so far, and the realized metrics of the joined rows; with a reference, the CBPE
 * estimate made when the window closed. A window stays open for labels until its end plus the label horizon; then
 * what is still unlabeled is counted as expired and the window is final.
 *
 * <p>Thread-safe: immutable.
 *
 * @param sequence         the monitor window's sequence number
 * @param start            when it opened
 * @param end              when it closed; for the open window, when the snapshot was taken
 * @param open             whether the monitor window is still the current one
 * @param acceptingLabels  whether labels may still join its predictions
 * @param predictions      keyed predictions it received (refused and invalid ones are not among them)
 * @param labeled          of which joined to a label
 * @param expired          of which unlabeled when the window closed to labels
 * @param predictedClasses predictions by predicted class, labeled or not (the prediction distribution); empty for
 *                         regression
 * @param labelDrift       Jensen-Shannon distance (base 2, one pseudo-count per class) between the reference's
 *                         label distribution and this window's actuals; NaN without a reference or labels
 * @param classification   realized metrics of a classifier's joined rows; null for regression
 * @param regression       realized metrics of a regression model's joined rows; null for classifiers
 * @param estimate         the CBPE estimate; null without a reference, and while the window is open
 */
public record QualityWindow(long sequence, Instant start, Instant end, boolean open, boolean acceptingLabels,
                            long predictions, long labeled, long expired, List<Long> predictedClasses,
                            double labelDrift, ClassificationMetrics classification, RegressionMetrics regression,
                            PerformanceEstimate estimate) {

    public QualityWindow {
        predictedClasses = List.copyOf(predictedClasses);
    }

    /** Predictions still waiting for labels. */
    public long pending() {
        return predictions - labeled - expired;
    }

    /** The estimate, if the window has one. */
    public Optional<PerformanceEstimate> estimated() {
        return Optional.ofNullable(estimate);
    }

    /** A metric of the joined rows; NaN if not defined (no rows, or not this model's kind of metric). */
    public double realized(QualityMetric metric) {
        if (classification != null) {
            return metric.of(classification);
        }
        return regression != null ? metric.of(regression) : Double.NaN;
    }
}
