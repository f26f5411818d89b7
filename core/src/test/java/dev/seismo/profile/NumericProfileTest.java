package dev.seismo.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Offset.offset;

import dev.seismo.schema.Schema;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NumericProfileTest {

    private static final int N = 100_000;
    private static final Schema SCHEMA = Schema.builder().numericInput("x").build();

    private static double[] values;
    private static double[] sorted;
    private static NumericProfile profile;

    @BeforeAll
    static void profileRandomData() {
        Random r = new Random(42);
        values = new double[N];
        ProfileAccumulator acc = new ProfileAccumulator(SCHEMA, ProfileOptions.defaults());
        for (int i = 0; i < N; i++) {
            // Lognormal with many ties: skewed and repetitive, like real amounts.
            values[i] = Math.round(Math.exp(r.nextGaussian() * 1.5 + 4) * 10) / 10.0;
            acc.updateNumeric(0, values[i]);
        }
        sorted = values.clone();
        Arrays.sort(sorted);
        profile = acc.toProfile(new ProfileMetadata(null, null, Instant.EPOCH, Instant.EPOCH), null).numeric("x");
    }

    @Test
    void quantilesAreWithinTheNormalizedRankErrorOfTheExactOnes() {
        double eps = profile.normalizedRankError();
        for (double rank = 0; rank <= 1; rank += 0.01) {
            double q = profile.quantile(rank);

            assertThat(exactRank(q, true)).as("rank of quantile(%s)", rank).isGreaterThanOrEqualTo(rank - eps);
            assertThat(exactRank(q, false)).as("rank of quantile(%s)", rank).isLessThanOrEqualTo(rank + eps);
        }
    }

    @Test
    void ranksAreWithinTheNormalizedRankErrorOfTheExactOnes() {
        double eps = profile.normalizedRankError();
        for (int i = 0; i < N; i += 997) {
            double v = values[i];

            assertThat(profile.rank(v)).as("rank(%s)", v).isCloseTo(exactRank(v, true), within(eps));
        }
    }

    @Test
    void extremeQuantilesAreTheExactMinimumAndMaximum() {
        assertThat(profile.quantile(0)).isEqualTo(sorted[0]);
        assertThat(profile.quantile(1)).isEqualTo(sorted[N - 1]);
    }

    @Test
    void momentsAreExact() {
        double mean = Arrays.stream(values).sum() / N;
        double variance = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / N;

        assertThat(profile.count()).isEqualTo(N);
        assertThat(profile.mean()).isCloseTo(mean, within(Math.abs(mean) * 1e-9));
        assertThat(profile.variance()).isCloseTo(variance, within(variance * 1e-9));
        assertThat(profile.stdDev()).isCloseTo(Math.sqrt(variance), within(Math.sqrt(variance) * 1e-9));
        assertThat(profile.min()).isEqualTo(sorted[0]);
        assertThat(profile.max()).isEqualTo(sorted[N - 1]);
    }

    @Test
    void normalizedRankErrorIsTheSketchesSingleSidedError() {
        assertThat(profile.kllK()).isEqualTo(256);
        assertThat(profile.normalizedRankError()).isEqualTo(KllDoublesSketch.getNormalizedRankError(256, false));
        assertThat(profile.normalizedRankError()).isCloseTo(0.0105, offset(0.0005));
    }

    @Test
    void sortedViewCoversEveryValue() {
        assertThat(profile.sortedView().getN()).isEqualTo(N);
        assertThat(profile.sortedView().getMinItem()).isEqualTo(sorted[0]);
        assertThat(profile.sortedView().getMaxItem()).isEqualTo(sorted[N - 1]);
    }

    @Test
    void changingTheSketchBytesGivenOutLeavesTheProfileUnchanged() {
        byte[] bytes = profile.sketchBytes();
        KllDoublesSketch copy = KllDoublesSketch.heapify(Memory.wrap(bytes));
        Arrays.fill(bytes, (byte) 0);

        assertThat(copy.getN()).isEqualTo(N);
        assertThat(KllDoublesSketch.heapify(Memory.wrap(profile.sketchBytes())).getN()).isEqualTo(N);
    }

    @Test
    void changingTheViewsArraysLeavesTheProfileUnchanged() {
        double median = profile.quantile(0.5);
        Arrays.fill(profile.sortedView().getQuantiles(), 0);
        Arrays.fill(profile.sortedView().getCumulativeWeights(), 0);

        assertThat(profile.quantile(0.5)).isEqualTo(median);
    }

    @Test
    void profileWithoutValuesAnswersNaN() {
        ProfileAccumulator acc = new ProfileAccumulator(SCHEMA, ProfileOptions.defaults());
        acc.updateNumeric(0, Double.NaN);
        NumericProfile empty = acc.toProfile(new ProfileMetadata(null, null, Instant.EPOCH, Instant.EPOCH), null)
                .numeric("x");

        assertThat(empty.count()).isZero();
        assertThat(empty.missing()).isEqualTo(1);
        assertThat(new double[] {empty.min(), empty.max(), empty.mean(), empty.variance(), empty.stdDev(),
                empty.quantile(0.5), empty.rank(1)}).containsOnly(Double.NaN);
        assertThatIllegalStateException().isThrownBy(empty::sortedView).withMessageContaining("'x'");
    }

    @Test
    void rankOutsideZeroToOneIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> profile.quantile(1.5))
                .withMessage("rank must be between 0 and 1, was 1.5");
    }

    private static double exactRank(double value, boolean inclusive) {
        int i = inclusive ? upperBound(value) : lowerBound(value);
        return (double) i / N;
    }

    /** The number of values less than or equal to {@code v}. */
    private static int upperBound(double v) {
        int lo = 0;
        int hi = N;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The number of values less than {@code v}. */
    private static int lowerBound(double v) {
        int lo = 0;
        int hi = N;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
