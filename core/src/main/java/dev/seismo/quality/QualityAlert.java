package dev.seismo.quality;

import java.time.Instant;

/**
 * A window's metric below its threshold (above it, for an error metric such as MAE).
 *
 * @param model     the model's name and version, {@code name:version}
 * @param window    the window's sequence number within its monitor
 * @param start     when the window opened
 * @param end       when it closed
 * @param metric    the metric
 * @param estimated true for a CBPE estimate when the window closed, false for the realized value when it closed to
 *                  labels
 * @param value     the estimate or realized value
 * @param lower     the estimate's interval's lower bound; NaN for a realized value
 * @param upper     its upper bound; NaN for a realized value
 * @param threshold the threshold crossed
 */
public record QualityAlert(String model, long window, Instant start, Instant end, QualityMetric metric,
                           boolean estimated, double value, double lower, double upper, double threshold) {

    /** One alert rule. */
    record Rule(QualityMetric metric, double threshold) {
        boolean fires(double value) {
            return !Double.isNaN(value) && (metric.higherIsBetter() ? value < threshold : value > threshold);
        }
    }
}
