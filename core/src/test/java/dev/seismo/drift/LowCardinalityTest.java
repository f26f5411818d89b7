package dev.seismo.drift;

import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileOptions;
import dev.seismo.schema.Schema;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Numeric features of a few values (ratings, codes), with windows large enough that the sketches compact. */
class LowCardinalityTest {

    private static final Schema SCHEMA = Schema.builder().numericInput("rating").build();

    private static double[] ratings(Random random, int n, double[] weights) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            int v = 0;
            while (u > weights[v]) {
                u -= weights[v];
                v++;
            }
            values[i] = v + 1;
        }
        return values;
    }

    @Test
    void ratingsOfFiveValuesCompareOnExactCountsEvenAfterTheSketchCompacted() {
        Random random = new Random(8);
        double[] ref = ratings(random, 20_000, new double[] {0.1, 0.2, 0.4, 0.2, 0.1});
        double[] cur = ratings(random, 5_000, new double[] {0.1, 0.2, 0.37, 0.22, 0.11});
        Profile reference = Samples.profile(SCHEMA, ProfileOptions.defaults(), ref);
        Profile current = Samples.profile(SCHEMA, ProfileOptions.defaults(), cur);

        FeatureDrift f = DriftDetector.ofDefaults().compare(reference, current).feature("rating");

        String[] refLabels = labels(ref);
        String[] curLabels = labels(cur);
        double[][] bins = Exact.categoricalBins(refLabels, curLabels);
        assertThat(reference.numeric("rating").exactValueCounts()).hasValueSatisfying(c -> assertThat(c).hasSize(5));
        assertThat(f.lowCardinality()).isTrue();
        assertThat(f.statistic("chi2")).isCloseTo(Exact.chi2(bins), within(1e-9));
        assertThat(f.statistic("psi")).isCloseTo(Exact.psi(bins), within(1e-12));
        assertThat(f.statistic("js_distance")).isCloseTo(Exact.jsDistance(bins), within(1e-12));
    }

    private static String[] labels(double[] values) {
        String[] labels = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = Long.toString((long) values[i]);
        }
        return labels;
    }
}
