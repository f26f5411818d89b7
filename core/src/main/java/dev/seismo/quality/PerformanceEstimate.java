package dev.seismo.quality;

/**
 * A binary classifier's performance in one window as confidence-based performance estimation (CBPE) sees it, before
 * any label: the expected confusion matrix from the calibrated probabilities of every prediction in the window, and
 * from it the metrics, each with a 95% interval (docs/QUALITY.md gives the formulas). The interval holds the
 * randomness of the labels given the calibrated probabilities and the uncertainty of the reference's calibration; it
 * cannot hold a change in the relation between inputs and labels (concept drift), which CBPE cannot see.
 *
 * @param predictions   predictions in the window
 * @param truePositives expected true positives; likewise the next three
 * @param falsePositives expected false positives
 * @param falseNegatives expected false negatives
 * @param trueNegatives  expected true negatives
 */
public record PerformanceEstimate(long predictions, double truePositives, double falsePositives,
                                  double falseNegatives, double trueNegatives, Estimate accuracy, Estimate precision,
                                  Estimate recall, Estimate f1, Estimate rocAuc) {

    /** The estimate of one metric. */
    public Estimate of(QualityMetric metric) {
        return switch (metric) {
            case ACCURACY -> accuracy;
            case PRECISION -> precision;
            case RECALL -> recall;
            case F1 -> f1;
            case ROC_AUC -> rocAuc;
            default -> Estimate.UNDEFINED;
        };
    }
}
