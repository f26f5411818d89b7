package dev.seismo.drift;

import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * The distances between two binned distributions and the null distributions of the tests, exactly as
 * {@code package-info} states them. Internal: stateless static functions.
 */
final class Distributions {

    /** Commons Math's Kolmogorov series; stateless apart from its unused random generator. */
    private static final KolmogorovSmirnovTest KS = new KolmogorovSmirnovTest();

    private static final double LN2 = Math.log(2);

    private Distributions() {
    }

    /** Bin probability with one pseudo-count per bin: (count + 1) / (n + bins). */
    static double[] smoothed(double[] counts, double n) {
        double[] p = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            p[i] = (counts[i] + 1) / (n + counts.length);
        }
        return p;
    }

    /** PSI = sum (q - p) ln(q / p), p the reference. */
    static double psi(double[] p, double[] q) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += (q[i] - p[i]) * Math.log(q[i] / p[i]);
        }
        return sum;
    }

    /** Square root of the base-2 Jensen-Shannon divergence, as scipy's {@code jensenshannon(p, q, base=2)}. */
    static double jsDistance(double[] p, double[] q) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2;
            sum += p[i] * Math.log(p[i] / m) + q[i] * Math.log(q[i] / m);
        }
        // Rounding can leave a tiny negative divergence for identical distributions.
        return Math.sqrt(Math.max(0, sum / 2 / LN2));
    }

    /** ||sqrt(p) - sqrt(q)||_2 / sqrt(2). */
    static double hellinger(double[] p, double[] q) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double d = Math.sqrt(p[i]) - Math.sqrt(q[i]);
            sum += d * d;
        }
        return Math.sqrt(sum / 2);
    }

    /** Pearson's statistic of the current counts against expected_i = n_cur * p_i, p the smoothed reference. */
    static double chi2(double[] p, double[] currentCounts, double nCurrent) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double expected = nCurrent * p[i];
            double d = currentCounts[i] - expected;
            sum += d * d / expected;
        }
        return sum;
    }

    /** P(X &gt;= x) for X chi-square with {@code dof} degrees of freedom; 1 when there is no degree of freedom. */
    static double chi2Survival(double x, int dof) {
        if (dof <= 0 || !(x > 0)) {
            return 1;
        }
        // The regularized upper gamma keeps its precision for tiny p-values, where 1 - cdf would round to 0.
        return Gamma.regularizedGammaQ(dof / 2.0, x / 2);
    }

    /** P(K &gt; t) for the Kolmogorov distribution K, the limit of sqrt(n) D. */
    static double kolmogorovSurvival(double t) {
        if (!(t > 0)) {
            return 1;
        }
        if (t < 1) {
            // The alternating tail series converges slowly here, and the p-value is far from 0, so 1 - cdf is exact enough.
            return Math.min(1, Math.max(0, 1 - KS.ksSum(t, 1e-20, 100_000)));
        }
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            double term = Math.exp(-2.0 * k * k * t * t);
            sum += (k % 2 == 1) ? term : -term;
            if (term < 1e-18 * sum) {
                break;
            }
        }
        return Math.min(1, Math.max(0, 2 * sum));
    }

    /** The asymptotic two-sample KS p-value: P(K &gt; d sqrt(nEff)), nEff = n m / (n + m) for plain samples. */
    static double ksPValue(double d, double nEff) {
        return kolmogorovSurvival(d * Math.sqrt(nEff));
    }

    /** Two-sided p-value of the pooled two-proportion z statistic; 1 when the pooled proportion is 0 or 1. */
    static double zPValue(double refHits, double nRef, double curHits, double nCur) {
        double pooled = (refHits + curHits) / (nRef + nCur);
        if (pooled <= 0 || pooled >= 1) {
            return 1;
        }
        double z = (refHits / nRef - curHits / nCur) / Math.sqrt(pooled * (1 - pooled) * (1 / nRef + 1 / nCur));
        return Erf.erfc(Math.abs(z) / Math.sqrt(2));
    }
}
