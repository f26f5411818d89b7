/**
 * Drift: whether what a model sees now differs from what it was trained on, computed from two profiles
 * (reference and current), never from raw rows. Entry point: {@link dev.seismo.drift.DriftDetector}; results:
 * {@link dev.seismo.drift.DriftReport}, serialized by {@link dev.seismo.drift.DriftReportJson}.
 *
 * <h2>Statistics and their conventions</h2>
 * Stated exactly, so that they can be checked against scipy on the raw rows.
 * <ul>
 *   <li>Numeric bins: edges at the reference quantiles i/B, i = 1..B-1 (B = {@code bins}, 10 by default; the
 *       quantile is the smallest value whose rank reaches i/B), duplicate edges removed, tails open; a value equal
 *       to an edge falls in the upper bin. Categorical bins: the categories seen in reference or current. Numeric
 *       features with at most {@code lowCardinality} (5) distinct values are binned by value.</li>
 *   <li>One pseudo-count per bin: p_i = (count_i + 1) / (n + bins); p the reference, q the current.</li>
 *   <li>{@code psi} = sum (q_i - p_i) ln(q_i / p_i).</li>
 *   <li>{@code js_distance} = sqrt of the base-2 Jensen-Shannon divergence (0..1), as
 *       {@code scipy.spatial.distance.jensenshannon(p, q, base=2)}.</li>
 *   <li>{@code hellinger} = ||sqrt(p) - sqrt(q)||_2 / sqrt(2).</li>
 *   <li>{@code ks} = sup |F_ref - F_cur|; {@code ks_p_value} from the asymptotic Kolmogorov distribution of
 *       ks * sqrt(n m / (n + m)).</li>
 *   <li>{@code wasserstein_normed} = W1(ref, cur) / max(population std of the reference, 0.001).</li>
 *   <li>{@code chi2}: goodness of fit of the current counts against expected_i = n_cur (r_i + 1) / (n_ref + bins),
 *       {@code chi2_p_value} from chi-square with bins - 1 degrees of freedom (as {@code scipy.stats.chisquare}).
 *       </li>
 *   <li>{@code unseen}: categories with current count &gt; 0 and reference count 0.</li>
 * </ul>
 *
 * <h2>Error inherited from the sketches</h2>
 * Let epsilon be a KLL sketch's normalized rank error ({@code NumericProfile.normalizedRankError()}, about 1.05% at
 * 99% confidence for k = 256); it is 0 while the sketch holds every value (at most about k values).
 * <ul>
 *   <li>{@code ks}: the exact KS of the two sketches' full sorted views (every retained point with its weight);
 *       each CDF is off by at most epsilon, so ks by at most epsilon_ref + epsilon_cur. Measured at k = 256 on
 *       20,000 against 5,000 values: mean error 0.004, largest 0.013, within the 0.02 target.</li>
 *   <li>{@code wasserstein_normed}: the exact W1 of the two sorted views; the CDF errors integrate over the
 *       range, so the error grows with the tails' length in standard deviations. Measured on 20,000 against 5,000
 *       values: a few thousandths for normal data at k = 256; for lognormal data with sigma = 1, mean relative
 *       error 11% (up to 0.04 absolute) at k = 256, 3% at k = 1024. Heavy-tailed features need k = 1024.</li>
 *   <li>{@code ks_p_value}: exact for the sketched ks; small p-values are very sensitive to ks's error (which is
 *       why the calibrated policy widens the null, see {@link dev.seismo.drift.DriftDetector}).</li>
 *   <li>Numeric {@code psi}, {@code js_distance}, {@code hellinger}: both the edges (reference quantiles) and the
 *       bin counts (ranks) are off by up to epsilon in rank, so each bin's mass by up to about 2 epsilon. A bin
 *       that one side leaves empty is ill-conditioned for any computation, exact ones included: an edge moved by a
 *       fraction of a percent in rank (or another quantile definition) brings c values in and changes its term
 *       by about p ln(c + 1).</li>
 *   <li>Categorical statistics and {@code chi2}: exact while the frequent-items sketches are exact
 *       ({@code CategoricalProfile.countsExact()}); beyond that only the categories every purged sketch still tracks
 *       keep bins of their own, the others join one more bin of the remaining mass on both sides (and are never
 *       reported unseen), and counts carry the sketch's maximum error. Low-cardinality numeric counts are exact: profiles keep
 *       the exact count of each value while a feature takes at most 32 (older profiles without them fall back to
 *       the sketch, exact up to three values from the moments).</li>
 *   <li>{@code missing_ratio}, {@code invalid_ratio} and counts: exact.</li>
 * </ul>
 */
package dev.seismo.drift;
