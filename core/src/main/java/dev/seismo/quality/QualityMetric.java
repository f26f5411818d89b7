package dev.seismo.quality;

/** A quality metric that can be estimated, realized and alerted on (binary: of class 1; multiclass: macro). */
public enum QualityMetric {
    ACCURACY, PRECISION, RECALL, F1, ROC_AUC, MAE, RMSE;

    boolean appliesTo(QualityConfig.Task task) {
        boolean regression = this == MAE || this == RMSE;
        return regression == (task == QualityConfig.Task.REGRESSION);
    }

    /** Whether a lower value is worse (false for errors, where the alert fires above the threshold). */
    public boolean higherIsBetter() {
        return this != MAE && this != RMSE;
    }

    /** This metric of realized classifier metrics: class 1's for a binary model, the macro mean otherwise. */
    double of(ClassificationMetrics m) {
        boolean binary = m.classes().size() == 2;
        return switch (this) {
            case ACCURACY -> m.accuracy();
            case PRECISION -> binary ? m.precision(ClassificationMetrics.POSITIVE) : m.macroPrecision();
            case RECALL -> binary ? m.recall(ClassificationMetrics.POSITIVE) : m.macroRecall();
            case F1 -> binary ? m.f1(ClassificationMetrics.POSITIVE) : m.macroF1();
            case ROC_AUC -> m.rocAuc();
            default -> Double.NaN;
        };
    }

    double of(RegressionMetrics m) {
        return switch (this) {
            case MAE -> m.mae();
            case RMSE -> m.rmse();
            default -> Double.NaN;
        };
    }
}
