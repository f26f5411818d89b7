package dev.seismo.quality;

/**
 * Realized quality of a regression model over joined rows (a predicted value and the actual one), from sums and
 * moments that {@link #merge merge} exactly (Chan's parallel update for the actuals' mean and squared deviations):
 * <ul>
 * <li>MAE = sum |y - yhat| / n; RMSE = sqrt(sum (y - yhat)^2 / n);</li>
 * <li>MAPE = mean of |y - yhat| / |y| over rows with y != 0, as a ratio (0.05, not 5%); rows with y = 0 are left
 * out and counted ({@link #zeroActuals()});</li>
 * <li>R2 = 1 - sum (y - yhat)^2 / sum (y - mean y)^2; NaN when the actuals do not vary.</li>
 * </ul>
 * The actuals' mean and standard deviation are the label distribution's moments (population variance, as the rest
 * of Seismo). Every value is NaN without rows.
 *
 * <p>Thread-safe: immutable.
 */
public record RegressionMetrics(long rows, double absoluteErrorSum, double squaredErrorSum, long percentageRows,
                                double absolutePercentageErrorSum, double actualMean, double actualM2) {

    /** No rows. */
    public static RegressionMetrics empty() {
        return new RegressionMetrics(0, 0, 0, 0, 0, 0, 0);
    }

    /** Rows with an actual of 0, left out of MAPE. */
    public long zeroActuals() {
        return rows - percentageRows;
    }

    public double mae() {
        return rows == 0 ? Double.NaN : absoluteErrorSum / rows;
    }

    public double rmse() {
        return rows == 0 ? Double.NaN : Math.sqrt(squaredErrorSum / rows);
    }

    public double mape() {
        return percentageRows == 0 ? Double.NaN : absolutePercentageErrorSum / percentageRows;
    }

    public double r2() {
        return rows == 0 || actualM2 == 0 ? Double.NaN : 1 - squaredErrorSum / actualM2;
    }

    /** The actuals' population standard deviation. */
    public double actualStd() {
        return rows == 0 ? Double.NaN : Math.sqrt(actualM2 / rows);
    }

    /** These rows and {@code other}'s together. */
    public RegressionMetrics merge(RegressionMetrics o) {
        long n = rows + o.rows;
        if (n == 0) {
            return this;
        }
        double delta = o.actualMean - actualMean;
        double mean = actualMean + delta * o.rows / n;
        double m2 = actualM2 + o.actualM2 + delta * delta * ((double) rows * o.rows / n);
        return new RegressionMetrics(n, absoluteErrorSum + o.absoluteErrorSum, squaredErrorSum + o.squaredErrorSum,
                percentageRows + o.percentageRows, absolutePercentageErrorSum + o.absolutePercentageErrorSum, mean, m2);
    }

    /** The mutable side: single-threaded. */
    static final class Accumulator {
        private long rows;
        private double absoluteErrorSum;
        private double squaredErrorSum;
        private long percentageRows;
        private double absolutePercentageErrorSum;
        private double mean;
        private double m2;

        void add(double actual, double predicted) {
            double e = actual - predicted;
            rows++;
            absoluteErrorSum += Math.abs(e);
            squaredErrorSum += e * e;
            if (actual != 0) {
                percentageRows++;
                absolutePercentageErrorSum += Math.abs(e) / Math.abs(actual);
            }
            double d = actual - mean; // Welford
            mean += d / rows;
            m2 += d * (actual - mean);
        }

        RegressionMetrics snapshot() {
            return new RegressionMetrics(rows, absoluteErrorSum, squaredErrorSum, percentageRows,
                    absolutePercentageErrorSum, mean, m2);
        }
    }
}
