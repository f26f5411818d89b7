package dev.seismo.drift;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The drift statistics computed exactly on raw values, written independently of the production code from the
 * conventions in {@code package-info}: the oracle the sketch-based statistics are checked against.
 */
final class Exact {

    private Exact() {
    }

    /** The smallest value whose rank (fraction of values at most it) reaches r. */
    static double quantile(double[] sorted, double r) {
        int index = (int) Math.ceil(r * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }

    /** The number of values strictly below x. */
    static int below(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Counts of reference and current in the decile bins of the reference: {refCounts, curCounts}. */
    static double[][] numericBins(double[] ref, double[] cur, int bins) {
        double[] r = sorted(ref);
        double[] c = sorted(cur);
        double[] edges = new double[bins - 1];
        int n = 0;
        for (int i = 1; i < bins; i++) {
            double e = quantile(r, (double) i / bins);
            if (n == 0 || e != edges[n - 1]) {
                edges[n++] = e;
            }
        }
        double[][] counts = new double[2][n + 1];
        for (int side = 0; side < 2; side++) {
            double[] s = side == 0 ? r : c;
            int previous = 0;
            for (int i = 0; i < n; i++) {
                int upTo = below(s, edges[i]);
                counts[side][i] = upTo - previous;
                previous = upTo;
            }
            counts[side][n] = s.length - previous;
        }
        return counts;
    }

    /** Counts by category of reference and current over the union of their categories: {refCounts, curCounts}. */
    static double[][] categoricalBins(String[] ref, String[] cur) {
        Map<String, double[]> counts = new LinkedHashMap<>();
        for (String v : ref) {
            counts.computeIfAbsent(v, k -> new double[2])[0]++;
        }
        for (String v : cur) {
            counts.computeIfAbsent(v, k -> new double[2])[1]++;
        }
        double[][] out = new double[2][counts.size()];
        int i = 0;
        for (double[] c : counts.values()) {
            out[0][i] = c[0];
            out[1][i] = c[1];
            i++;
        }
        return out;
    }

    static double[] probabilities(double[] counts) {
        double n = Arrays.stream(counts).sum();
        return Arrays.stream(counts).map(c -> (c + 1) / (n + counts.length)).toArray();
    }

    static double psi(double[][] bins) {
        double[] p = probabilities(bins[0]);
        double[] q = probabilities(bins[1]);
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += (q[i] - p[i]) * Math.log(q[i] / p[i]);
        }
        return s;
    }

    static double jsDistance(double[][] bins) {
        double[] p = probabilities(bins[0]);
        double[] q = probabilities(bins[1]);
        double kl = 0;
        for (int i = 0; i < p.length; i++) {
            double m = 0.5 * (p[i] + q[i]);
            kl += 0.5 * p[i] * (Math.log(p[i] / m) / Math.log(2)) + 0.5 * q[i] * (Math.log(q[i] / m) / Math.log(2));
        }
        return Math.sqrt(kl);
    }

    static double hellinger(double[][] bins) {
        double[] p = probabilities(bins[0]);
        double[] q = probabilities(bins[1]);
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += Math.pow(Math.sqrt(p[i]) - Math.sqrt(q[i]), 2);
        }
        return Math.sqrt(s) / Math.sqrt(2);
    }

    static double chi2(double[][] bins) {
        double[] p = probabilities(bins[0]);
        double nCur = Arrays.stream(bins[1]).sum();
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            double e = nCur * p[i];
            s += (bins[1][i] - e) * (bins[1][i] - e) / e;
        }
        return s;
    }

    /** sup |F_ref - F_cur| over the pooled values. */
    static double ks(double[] ref, double[] cur) {
        double[] r = sorted(ref);
        double[] c = sorted(cur);
        double d = 0;
        int i = 0;
        int j = 0;
        while (i < r.length && j < c.length) {
            double x = Math.min(r[i], c[j]);
            while (i < r.length && r[i] <= x) {
                i++;
            }
            while (j < c.length && c[j] <= x) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / r.length - (double) j / c.length));
        }
        return d;
    }

    /** The integral of |F_ref - F_cur|, divided by max(population std of ref, 0.001). */
    static double wassersteinNormed(double[] ref, double[] cur) {
        double[] r = sorted(ref);
        double[] c = sorted(cur);
        double[] all = sorted(concat(r, c));
        double w = 0;
        for (int k = 0; k + 1 < all.length; k++) {
            double fr = (double) below(r, Math.nextUp(all[k])) / r.length;
            double fc = (double) below(c, Math.nextUp(all[k])) / c.length;
            w += Math.abs(fr - fc) * (all[k + 1] - all[k]);
        }
        double mean = Arrays.stream(ref).average().orElseThrow();
        double var = Arrays.stream(ref).map(v -> (v - mean) * (v - mean)).sum() / ref.length;
        return w / Math.max(Math.sqrt(var), 0.001);
    }

    static double[] sorted(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
