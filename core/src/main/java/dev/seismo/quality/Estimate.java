package dev.seismo.quality;

/**
 * A metric estimated without labels, with a two-sided 95% interval; NaN everywhere when it is not defined (no
 * prediction of the class it needs).
 */
public record Estimate(double value, double lower, double upper) {

    static final double Z95 = 1.959963984540054;
    static final Estimate UNDEFINED = new Estimate(Double.NaN, Double.NaN, Double.NaN);

    /** The estimate +/- 1.96 standard deviations, clipped to [0, 1]. */
    static Estimate normal(double value, double variance) {
        if (Double.isNaN(value) || Double.isNaN(variance)) {
            return UNDEFINED;
        }
        double half = Z95 * Math.sqrt(Math.max(0, variance));
        return new Estimate(value, Math.max(0, value - half), Math.min(1, value + half));
    }

    /** Whether {@code realized} lies in the interval. */
    public boolean covers(double realized) {
        return realized >= lower && realized <= upper;
    }
}
