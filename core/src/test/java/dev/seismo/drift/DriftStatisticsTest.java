package dev.seismo.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileOptions;
import dev.seismo.schema.Schema;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class DriftStatisticsTest {

    private static final Schema NUMERIC = Schema.builder().numericInput("x").build();
    private static final Schema CATEGORICAL = Schema.builder().categoricalInput("c").build();
    private static final DriftDetector DETECTOR = DriftDetector.ofDefaults();

    @Test
    void numericStatisticsEqualExactValuesWhileSketchesHoldEveryValue() {
        Random r = new Random(1);
        double[] ref = Samples.normal(r, 200, 0, 1);
        double[] cur = Samples.normal(r, 150, 0.3, 1.2);

        FeatureDrift f = compareNumeric(ref, cur);

        double[][] bins = Exact.numericBins(ref, cur, 10);
        assertThat(f.statistic("psi")).isCloseTo(Exact.psi(bins), within(1e-12));
        assertThat(f.statistic("js_distance")).isCloseTo(Exact.jsDistance(bins), within(1e-12));
        assertThat(f.statistic("hellinger")).isCloseTo(Exact.hellinger(bins), within(1e-12));
        assertThat(f.statistic("ks")).isCloseTo(Exact.ks(ref, cur), within(1e-12));
        assertThat(f.statistic("wasserstein_normed")).isCloseTo(Exact.wassersteinNormed(ref, cur), within(1e-9));
        double nEff = 200.0 * 150 / 350;
        assertThat(f.statistic("ks_p_value"))
                .isCloseTo(Distributions.kolmogorovSurvival(Exact.ks(ref, cur) * Math.sqrt(nEff)), within(1e-12));
        assertThat(f.statistics()).containsOnlyKeys("psi", "js_distance", "hellinger", "ks", "ks_p_value",
                "wasserstein_normed");
    }

    static Stream<Arguments> numericScenarios() {
        return Stream.of(
                Arguments.of("same normal", (Sampler) (r, n, cur) -> Samples.normal(r, n, 0, 1)),
                Arguments.of("normal shifted by 0.1 sd", (Sampler) (r, n, cur) -> Samples.normal(r, n, cur ? 0.1 : 0, 1)),
                Arguments.of("normal shifted by 0.5 sd", (Sampler) (r, n, cur) -> Samples.normal(r, n, cur ? 0.5 : 0, 1)),
                Arguments.of("normal widened by 30%", (Sampler) (r, n, cur) -> Samples.normal(r, n, 5, cur ? 1.3 : 1)),
                Arguments.of("lognormal scaled", (Sampler) (r, n, cur) -> Samples.lognormal(r, n, cur ? 3.2 : 3, 0.5)),
                Arguments.of("uniform shifted by 5%", (Sampler) (r, n, cur) -> Samples.draw(n,
                        () -> (cur ? 0.05 : 0) + r.nextDouble())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numericScenarios")
    void numericStatisticsFromSketchesStayWithinToleranceOfExactValues(String scenario, Sampler sampler) {
        Random r = new Random(scenario.hashCode());
        double[] ref = sampler.sample(r, 20_000, false);
        double[] cur = sampler.sample(r, 5_000, true);

        // Profiled as `seismo profile` and `seismo drift` profile files: with the reference preset.
        FeatureDrift f = DETECTOR.compare(Samples.profile(NUMERIC, ProfileOptions.reference(), ref),
                Samples.profile(NUMERIC, ProfileOptions.reference(), cur)).feature("x");

        double[][] bins = Exact.numericBins(ref, cur, 10);
        assertThat(f.statistic("ks")).isCloseTo(Exact.ks(ref, cur), within(0.02));
        assertCloseOrRelative(f.statistic("psi"), Exact.psi(bins), 0.02, 0.10);
        assertCloseOrRelative(f.statistic("js_distance"), Exact.jsDistance(bins), 0.02, 0.10);
        assertCloseOrRelative(f.statistic("hellinger"), Exact.hellinger(bins), 0.02, 0.10);
        assertCloseOrRelative(f.statistic("wasserstein_normed"), Exact.wassersteinNormed(ref, cur), 0.02, 0.05);
    }

    @Test
    void ksStaysWithinTwoHundredthsOfExactAtTheDefaultSketchSize() {
        assertThat(ProfileOptions.defaults().kllK()).isEqualTo(256);
        Random r = new Random(7);
        double worst = 0;
        for (int i = 0; i < 20; i++) {
            double[] ref = Samples.lognormal(r, 20_000, 0, 1);
            double[] cur = Samples.lognormal(r, 5_000, 0.02 * i, 1);
            worst = Math.max(worst, Math.abs(compareNumeric(ref, cur).statistic("ks") - Exact.ks(ref, cur)));
        }
        assertThat(worst).isLessThanOrEqualTo(0.02);
    }

    @Test
    void heavyTailedWassersteinNeedsALargerSketchToStayWithinTolerance() {
        // With sigma = 1 the upper tail spans some twenty standard deviations, and W1 integrates the sketches'
        // rank error over it: k = 256 is off by up to 0.04 here, k = 1024 by less than 0.01.
        Random r = new Random(11);
        double[] ref = Samples.lognormal(r, 20_000, 3, 1);
        double[] cur = Samples.lognormal(r, 5_000, 3.2, 1);
        ProfileOptions k1024 = ProfileOptions.reference();

        FeatureDrift f = DETECTOR.compare(Samples.profile(NUMERIC, k1024, ref), Samples.profile(NUMERIC, k1024, cur))
                .feature("x");

        assertCloseOrRelative(f.statistic("wasserstein_normed"), Exact.wassersteinNormed(ref, cur), 0.02, 0.05);
        assertThat(f.statistic("ks")).isCloseTo(Exact.ks(ref, cur), within(0.01));
    }

    @Test
    void categoricalStatisticsAreExactWhileCountsAreExact() {
        Random r = new Random(3);
        double[] p = {0.4, 0.3, 0.2, 0.1};
        String[] ref = Samples.categories(r, 20_000, p);
        String[] cur = Samples.categories(r, 5_000, new double[] {0.35, 0.3, 0.2, 0.1, 0.05});

        FeatureDrift f = compare(CATEGORICAL, ref, cur).feature("c");

        double[][] bins = Exact.categoricalBins(ref, cur);
        double chi2 = Exact.chi2(bins);
        assertThat(f.statistic("chi2")).isCloseTo(chi2, within(1e-9 * chi2));
        assertThat(f.statistic("chi2_p_value"))
                .isCloseTo(1 - new ChiSquaredDistribution(bins[0].length - 1).cumulativeProbability(chi2),
                        within(1e-12));
        assertThat(f.statistic("psi")).isCloseTo(Exact.psi(bins), within(1e-12));
        assertThat(f.statistic("js_distance")).isCloseTo(Exact.jsDistance(bins), within(1e-12));
        assertThat(f.statistic("hellinger")).isCloseTo(Exact.hellinger(bins), within(1e-12));
        assertThat(f.unseen()).containsExactly("c4");
        assertThat(f.lowCardinality()).isFalse();
    }

    @Test
    void binaryNumericFeatureGetsExactValueCountsFromMomentsAfterTheSketchCompacts() {
        Random r = new Random(4);
        double[] ref = Samples.discrete(r, 20_000, new double[] {0.7, 0.3});
        double[] cur = Samples.discrete(r, 5_000, new double[] {0.66, 0.34});

        FeatureDrift f = compareNumeric(ref, cur);

        double[][] bins = Exact.categoricalBins(labels(ref), labels(cur));
        assertThat(f.lowCardinality()).isTrue();
        assertThat(f.statistic("chi2")).isCloseTo(Exact.chi2(bins), within(1e-9));
        assertThat(f.statistic("psi")).isCloseTo(Exact.psi(bins), within(1e-12));
        assertThat(f.statistic("ks")).isCloseTo(Exact.ks(ref, cur), within(0.02));
        assertThat(f.unseen()).isEmpty();
    }

    @Test
    void threeValuedNumericFeatureGetsExactValueCountsFromMoments() {
        Random r = new Random(5);
        double[] ref = Samples.draw(20_000, () -> new double[] {-1.5, 2, 10}[r.nextInt(3)]);
        double[] cur = Samples.draw(5_000, () -> new double[] {-1.5, 2, 10}[r.nextInt(3)]);

        FeatureDrift f = compareNumeric(ref, cur);

        double[][] bins = Exact.categoricalBins(labels(ref), labels(cur));
        assertThat(f.statistic("chi2")).isCloseTo(Exact.chi2(bins), within(1e-9));
        assertThat(f.statistic("js_distance")).isCloseTo(Exact.jsDistance(bins), within(1e-12));
    }

    @Test
    void valueCountsAreRecoveredFromMomentsOnlyWhenTheyAreWholeNumbers() {
        assertThat(Comparison.countsFromMoments(java.util.List.of(0.0, 1.0), 10, 0.3, 0.21))
                .containsExactly(7, 3);
        assertThat(Comparison.countsFromMoments(java.util.List.of(1.0, 2.0, 4.0), 4, 2.25, 1.1875))
                .containsExactly(1, 2, 1);
        // Values 1, 2, 4 with a fourth value 3 that a sketch missed: the solution has fractions.
        assertThat(Comparison.countsFromMoments(java.util.List.of(1.0, 2.0, 4.0), 4, 2.5, 1.25)).isNull();
    }

    @Test
    void missingAndInvalidRatiosAndTheirChangeAreExact() {
        double[] ref = {1, 2, Double.NaN, 4, 5, 6, 7, 8, 9, 10};
        double[] cur = {1, Double.NaN, Double.NaN, Double.POSITIVE_INFINITY, 5};

        FeatureDrift f = compareNumeric(ref, cur);

        assertThat(f.count()).isEqualTo(2);
        assertThat(f.referenceCount()).isEqualTo(9);
        assertThat(f.missingRatio()).isEqualTo(0.4);
        assertThat(f.invalidRatio()).isEqualTo(0.2);
        assertThat(f.missingRatioChange()).isCloseTo(0.3, within(1e-15));
        assertThat(f.invalidRatioChange()).isEqualTo(0.2);
    }

    @Test
    void featureWithoutValidCurrentValuesHasNoStatisticsAndDoesNotDrift() {
        FeatureDrift f = compareNumeric(new double[] {1, 2, 3}, new double[] {Double.NaN});

        assertThat(f.statistics()).isEmpty();
        assertThat(f.score()).isNaN();
        assertThat(f.drifted()).isFalse();
        assertThat(f.missingRatio()).isEqualTo(1.0);
    }

    static void assertCloseOrRelative(double actual, double exact, double absolute, double relative) {
        assertThat(actual).isCloseTo(exact, within(Math.max(absolute, relative * Math.abs(exact))));
    }

    private static FeatureDrift compareNumeric(double[] ref, double[] cur) {
        return compare(NUMERIC, ref, cur).feature("x");
    }

    private static DriftReport compare(Schema schema, Object ref, Object cur) {
        Profile reference = Samples.profile(schema, ref);
        Profile current = Samples.profile(schema, cur);
        return DETECTOR.compare(reference, current);
    }

    private static String[] labels(double[] values) {
        return Arrays.stream(values).mapToObj(Double::toString).toArray(String[]::new);
    }

    @FunctionalInterface
    interface Sampler {
        double[] sample(Random r, int n, boolean current);
    }
}
