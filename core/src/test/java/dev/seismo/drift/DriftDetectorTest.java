package dev.seismo.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seismo.profile.Profile;
import dev.seismo.schema.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {

    private static final Schema MIXED = Schema.builder().numericInput("x").categoricalInput("c").build();
    private static final DriftDetector EVIDENTLY =
            DriftDetector.of(DriftConfig.builder().policy(DriftPolicy.EVIDENTLY).build());

    @Test
    void evidentlyPicksKsAndChiSquareForSmallReferencesAndDistancesForLargeOnes() {
        Random r = new Random(1);
        String[] p3 = {"a", "b", "c"};
        DriftReport small = EVIDENTLY.compare(
                Samples.profile(MIXED, Samples.normal(r, 1_000, 0, 1), pick(r, 1_000, p3)),
                Samples.profile(MIXED, Samples.normal(r, 500, 0, 1), pick(r, 500, p3)));
        DriftReport large = EVIDENTLY.compare(
                Samples.profile(MIXED, Samples.normal(r, 1_001, 0, 1), pick(r, 1_001, p3)),
                Samples.profile(MIXED, Samples.normal(r, 500, 0, 1), pick(r, 500, p3)));

        assertThat(small.feature("x").method()).isEqualTo(DriftMethod.KS);
        assertThat(small.feature("x").score()).isEqualTo(small.feature("x").statistic("ks_p_value"));
        assertThat(small.feature("x").threshold()).isEqualTo(0.05);
        assertThat(small.feature("c").method()).isEqualTo(DriftMethod.CHI2);
        assertThat(large.feature("x").method()).isEqualTo(DriftMethod.WASSERSTEIN_NORMED);
        assertThat(large.feature("x").threshold()).isEqualTo(0.1);
        assertThat(large.feature("c").method()).isEqualTo(DriftMethod.JS_DISTANCE);
    }

    @Test
    void evidentlyUsesTheZTestForTwoCategoriesInSmallReferences() {
        Random r = new Random(2);
        String[] two = {"yes", "no"};
        FeatureDrift c = EVIDENTLY.compare(
                Samples.profile(MIXED, Samples.normal(r, 400, 0, 1), pick(r, 400, two)),
                Samples.profile(MIXED, Samples.normal(r, 400, 0, 1), new String[400])).feature("c");
        FeatureDrift shifted = EVIDENTLY.compare(
                Samples.profile(MIXED, Samples.normal(r, 400, 0, 1), repeat("yes", 300, "no", 100)),
                Samples.profile(MIXED, Samples.normal(r, 400, 0, 1), repeat("yes", 200, "no", 200))).feature("c");

        assertThat(c.score()).isNaN();
        assertThat(c.drifted()).isFalse();
        assertThat(shifted.method()).isEqualTo(DriftMethod.Z);
        // p1 = 0.75, p2 = 0.5, pooled 0.625: z = 0.25 / sqrt(0.625 * 0.375 * 2 / 400) = 7.30.
        assertThat(shifted.score()).isCloseTo(2.8e-13, within(0.3e-13));
        assertThat(shifted.statistic("z_p_value")).isEqualTo(shifted.score());
        assertThat(shifted.drifted()).isTrue();
    }

    @Test
    void lowCardinalityNumericFeaturesAreDecidedLikeCategoricalOnes() {
        Random r = new Random(3);
        FeatureDrift x = EVIDENTLY.compare(
                Samples.profile(MIXED, Samples.discrete(r, 5_000, new double[] {0.5, 0.3, 0.2}), pick(r, 5_000, "a")),
                Samples.profile(MIXED, Samples.discrete(r, 5_000, new double[] {0.2, 0.3, 0.5}), pick(r, 5_000, "a")))
                .feature("x");

        assertThat(x.lowCardinality()).isTrue();
        assertThat(x.method()).isEqualTo(DriftMethod.JS_DISTANCE);
        assertThat(x.statistics()).containsKeys("chi2", "chi2_p_value", "ks", "wasserstein_normed");
        assertThat(x.drifted()).isTrue();
    }

    @Test
    void perFeatureOverridesReplaceMethodThresholdAndPolicy() {
        DriftDetector detector = DriftDetector.of(DriftConfig.builder()
                .feature("x", f -> f.policy(DriftPolicy.EVIDENTLY).method(DriftMethod.PSI).threshold(0.2))
                .feature("c", f -> f.method(DriftMethod.HELLINGER))
                .build());
        Random r = new Random(4);

        DriftReport report = detector.compare(
                Samples.profile(MIXED, Samples.normal(r, 3_000, 0, 1), pick(r, 3_000, "a", "b")),
                Samples.profile(MIXED, Samples.normal(r, 3_000, 1, 1), pick(r, 3_000, "a", "b")));

        FeatureDrift x = report.feature("x");
        assertThat(x.policy()).isEqualTo(DriftPolicy.EVIDENTLY);
        assertThat(x.method()).isEqualTo(DriftMethod.PSI);
        assertThat(x.threshold()).isEqualTo(0.2);
        assertThat(x.drifted()).isTrue();
        FeatureDrift c = report.feature("c");
        assertThat(c.policy()).isEqualTo(DriftPolicy.CALIBRATED);
        assertThat(c.method()).isEqualTo(DriftMethod.HELLINGER);
        assertThat(c.threshold()).isEqualTo(DriftMethod.HELLINGER.defaultMinimumEffect());
        assertThat(c.drifted()).isFalse();
    }

    @Test
    void calibratedPolicyNeedsBothSignificanceAndAPracticalEffect() {
        Random r = new Random(5);
        Profile reference = Samples.profile(MIXED, Samples.normal(r, 200_000, 0, 1),
                repeat("a", 100_000, "b", 100_000));
        Profile current = Samples.profile(MIXED, Samples.normal(r, 200_000, 0, 1),
                repeat("a", 102_000, "b", 98_000));

        FeatureDrift strict = DriftDetector.ofDefaults().compare(reference, current).feature("c");
        FeatureDrift lenient = DriftDetector.of(DriftConfig.builder()
                .categoricalEffect(DriftMethod.JS_DISTANCE, 0.005).build()).compare(reference, current).feature("c");

        // One percent of 200,000 rows moved between two categories is significant, but below the practical minimum.
        assertThat(strict.pValue()).isLessThan(strict.alpha());
        assertThat(strict.effectSize()).isBetween(0.005, 0.03);
        assertThat(strict.drifted()).isFalse();
        assertThat(lenient.drifted()).isTrue();
    }

    @Test
    void correctionsSetTheSignificanceLevelOfEachFeature() {
        Random r = new Random(6);
        Schema schema = Schema.builder().numericInput("a").numericInput("b").numericInput("c").numericInput("d").build();
        Profile reference = Samples.profile(schema, Samples.normal(r, 5_000, 0, 1), Samples.normal(r, 5_000, 0, 1),
                Samples.normal(r, 5_000, 0, 1), Samples.normal(r, 5_000, 0, 1));
        Profile current = Samples.profile(schema, Samples.normal(r, 5_000, 1, 1), Samples.normal(r, 5_000, 1, 1),
                Samples.normal(r, 5_000, 0, 1), Samples.normal(r, 5_000, 0, 1));

        DriftReport none = detector(Correction.NONE).compare(reference, current);
        DriftReport bonferroni = detector(Correction.BONFERRONI).compare(reference, current);
        DriftReport bh = detector(Correction.BENJAMINI_HOCHBERG).compare(reference, current);

        assertThat(none.feature("a").alpha()).isEqualTo(0.01);
        assertThat(bonferroni.feature("a").alpha()).isEqualTo(0.0025);
        // Two tiny p-values: the step-up rejects both, at level 2 * 0.01 / 4.
        assertThat(bh.feature("c").alpha()).isEqualTo(0.005);
        assertThat(bh.driftedFeatures()).containsExactly("a", "b");
        assertThat(bh.driftShare()).isEqualTo(0.5);
        assertThat(bh.datasetDrift()).isTrue();
    }

    @Test
    void featuresInOneProfileOnlyAreListedAndNotCompared() {
        Random r = new Random(7);
        Schema other = Schema.builder().numericInput("x").numericInput("y").build();
        DriftReport report = DriftDetector.ofDefaults().compare(
                Samples.profile(MIXED, Samples.normal(r, 100, 0, 1), pick(r, 100, "a")),
                Samples.profile(other, Samples.normal(r, 100, 0, 1), Samples.normal(r, 100, 0, 1)));

        assertThat(report.features()).containsOnlyKeys("x");
        assertThat(report.unmatchedFeatures()).containsExactly("c", "y");
        assertThat(report.reference().rows()).isEqualTo(100);
        assertThat(report.reference().model()).isEqualTo("fraud");
    }

    @Test
    void aFeatureWhoseTypeDiffersBetweenProfilesIsRejected() {
        Schema swapped = Schema.builder().categoricalInput("x").build();
        Profile reference = Samples.profile(Schema.builder().numericInput("x").build(), (Object) new double[] {1});
        Profile current = Samples.profile(swapped, (Object) new String[] {"a"});

        assertThatThrownBy(() -> DriftDetector.ofDefaults().compare(reference, current))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("feature 'x' is NUMERIC in the reference but CATEGORICAL");
    }

    @Test
    void chunkThresholdsComeFromEachChunkAgainstTheRestOfTheReference() {
        Random r = new Random(8);
        List<Profile> chunks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // Small chunks keep every sketch, merged ones too, exact, so the thresholds can be checked exactly.
            chunks.add(Samples.profile(MIXED, Samples.normal(r, 40, 0, 1), pick(r, 40, "a", "b", "c")));
        }

        DriftDetector detector = DriftDetector.ofDefaults().withChunkThresholds(chunks);

        FeatureDriftConfig x = detector.config().features().get("x");
        assertThat(x.method()).contains(DriftMethod.WASSERSTEIN_NORMED);
        double[] scores = new double[6];
        for (int i = 0; i < 6; i++) {
            List<Profile> rest = new ArrayList<>(chunks);
            rest.remove(i);
            scores[i] = DriftDetector.ofDefaults().compare(Profile.mergeAll(rest), chunks.get(i)).feature("x").score();
        }
        double mean = java.util.Arrays.stream(scores).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(scores).map(s -> (s - mean) * (s - mean)).sum() / 5);
        assertThat(x.threshold().getAsDouble()).isCloseTo(mean + 3 * sd, within(1e-12));
        assertThat(detector.config().features().get("c").threshold().getAsDouble())
                .isGreaterThan(DriftMethod.JS_DISTANCE.defaultMinimumEffect());
        assertThat(detector.config().features().get("c").method()).contains(DriftMethod.JS_DISTANCE);
    }

    @Test
    void driftOfAHundredFeaturesIsComputedFromStoredSketches() {
        Schema.Builder b = Schema.builder();
        for (int i = 0; i < 100; i++) {
            if (i % 4 == 0) {
                b.categoricalInput("f" + i);
            } else {
                b.numericInput("f" + i);
            }
        }
        Schema schema = b.build();
        Random r = new Random(9);
        Profile reference = profileOf(schema, r, 5_000, 0);
        Profile current = profileOf(schema, r, 2_000, 0.5);

        DriftReport report = DriftDetector.ofDefaults().compare(reference, current);

        assertThat(report.features()).hasSize(100);
        assertThat(report.feature("f1").drifted()).isTrue();
        assertThat(report.feature("f0").drifted()).isFalse();
        assertThat(report.driftShare()).isEqualTo(0.75);
        assertThat(report.datasetDrift()).isTrue();
    }

    private static Profile profileOf(Schema schema, Random r, int n, double shift) {
        Object[] columns = new Object[schema.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = i % 4 == 0 ? pick(r, n, "a", "b", "c") : Samples.normal(r, n, shift, 1);
        }
        return Samples.profile(schema, columns);
    }

    private static DriftDetector detector(Correction correction) {
        return DriftDetector.of(DriftConfig.builder().correction(correction).build());
    }

    static String[] pick(Random r, int n, String... categories) {
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            values[i] = categories[r.nextInt(categories.length)];
        }
        return values;
    }

    private static String[] repeat(String a, int na, String b, int nb) {
        String[] values = new String[na + nb];
        java.util.Arrays.fill(values, 0, na, a);
        java.util.Arrays.fill(values, na, na + nb, b);
        return values;
    }
}
