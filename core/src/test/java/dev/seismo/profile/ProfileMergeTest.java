package dev.seismo.profile;

import static dev.seismo.profile.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.seismo.schema.Feature;
import dev.seismo.schema.Schema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProfileMergeTest {

    private static final int N = 40_000;
    private static final Schema SCHEMA = Schema.builder().numericInput("x").categoricalInput("c").build();

    private static Profile whole;
    private static Profile firstHalf;
    private static Profile secondHalf;

    @BeforeAll
    static void profileTheWholeAndItsHalves() {
        ProfileAccumulator all = new ProfileAccumulator(SCHEMA, ProfileOptions.defaults());
        ProfileAccumulator first = new ProfileAccumulator(SCHEMA, ProfileOptions.defaults());
        ProfileAccumulator second = new ProfileAccumulator(SCHEMA, ProfileOptions.defaults());
        Random r = new Random(7);
        for (int i = 0; i < N; i++) {
            // The halves differ in distribution, so a wrong merge of moments would show.
            double x = i < N / 2 ? r.nextGaussian() * 3 + 100 : r.nextDouble() * 50;
            String c = "c" + (int) Math.abs(r.nextGaussian() * (i < N / 2 ? 10 : 30));
            for (ProfileAccumulator acc : List.of(all, i < N / 2 ? first : second)) {
                acc.updateNumeric(0, i % 100 == 0 ? Double.NaN : x);
                acc.updateCategorical(0, i % 333 == 0 ? null : c);
            }
        }
        whole = all.toProfile(new ProfileMetadata("m", "1", T0, T0.plusSeconds(20)), null);
        firstHalf = first.toProfile(new ProfileMetadata("m", "1", T0, T0.plusSeconds(10)), null);
        secondHalf = second.toProfile(new ProfileMetadata("m", null, T0.plusSeconds(10), T0.plusSeconds(20)), null);
    }

    @Test
    void mergedHalvesHaveTheWholesCountsAndMoments() {
        NumericProfile merged = firstHalf.merge(secondHalf).numeric("x");
        NumericProfile x = whole.numeric("x");

        assertThat(new long[] {merged.count(), merged.missing(), merged.invalid()})
                .containsExactly(x.count(), x.missing(), x.invalid());
        assertThat(merged.mean()).isCloseTo(x.mean(), within(Math.abs(x.mean()) * 1e-9));
        assertThat(merged.variance()).isCloseTo(x.variance(), within(x.variance() * 1e-9));
        assertThat(merged.min()).isEqualTo(x.min());
        assertThat(merged.max()).isEqualTo(x.max());
    }

    @Test
    void mergedHalvesHaveTheWholesQuantilesWithinSketchError() {
        NumericProfile merged = firstHalf.merge(secondHalf).numeric("x");
        NumericProfile x = whole.numeric("x");
        double eps = 2 * x.normalizedRankError();

        for (double rank = 0.05; rank < 1; rank += 0.05) {
            assertThat(x.rank(merged.quantile(rank))).as("rank %s", rank).isCloseTo(rank, within(eps));
        }
    }

    @Test
    void mergedHalvesHaveTheWholesExactCategoryCounts() {
        CategoricalProfile merged = firstHalf.merge(secondHalf).categorical("c");
        CategoricalProfile c = whole.categorical("c");

        assertThat(merged.countsExact()).isTrue();
        assertThat(merged.frequentItems()).isEqualTo(c.frequentItems());
        assertThat(new long[] {merged.count(), merged.missing(), merged.invalid()})
                .containsExactly(c.count(), c.missing(), c.invalid());
        assertThat(merged.distinctEstimate()).isEqualTo(c.distinctEstimate());
    }

    @Test
    void mergedPeriodSpansBothAndKeepsTheModel() {
        Profile merged = secondHalf.merge(firstHalf);

        assertThat(merged.metadata()).isEqualTo(new ProfileMetadata("m", "1", T0, T0.plusSeconds(20)));
        assertThat(merged.rows()).isEqualTo(N);
    }

    @Test
    void mergeIsCommutative() {
        Profile ab = firstHalf.merge(secondHalf);
        Profile ba = secondHalf.merge(firstHalf);

        assertSameUpToSketchError(ab, ba);
    }

    @Test
    void mergeIsAssociative() {
        Profile a = TestData.profile(1, 3_000, T0, T0.plusSeconds(1));
        Profile b = TestData.profile(2, 5_000, T0.plusSeconds(1), T0.plusSeconds(2));
        Profile c = TestData.profile(3, 4_000, T0.plusSeconds(2), T0.plusSeconds(3));

        Profile left = a.merge(b).merge(c);
        Profile right = a.merge(b.merge(c));

        assertSameUpToSketchError(left, right);
        assertSameUpToSketchError(left, Profile.mergeAll(List.of(c, a, b)));
    }

    @Test
    void profileMergedWithItselfCountsEverythingTwice() {
        Profile twice = whole.merge(whole);

        assertThat(twice.numeric("x").count()).isEqualTo(2 * whole.numeric("x").count());
        assertThat(twice.numeric("x").sortedView().getN()).isEqualTo(2 * whole.numeric("x").count());
        assertThat(twice.categorical("c").estimate("c1")).isEqualTo(2 * whole.categorical("c").estimate("c1"));
        assertThat(twice.numeric("x").variance()).isCloseTo(whole.numeric("x").variance(),
                within(whole.numeric("x").variance() * 1e-9));
    }

    @Test
    void mergingLeavesBothProfilesUnchanged() {
        long before = firstHalf.numeric("x").count();
        List<ItemCount> items = firstHalf.categorical("c").frequentItems();

        firstHalf.merge(secondHalf);

        assertThat(firstHalf.numeric("x").count()).isEqualTo(before);
        assertThat(firstHalf.categorical("c").frequentItems()).isEqualTo(items);
    }

    @Test
    void featuresOfEitherProfileAreKept() {
        Profile onlyX = ProfileBuilder.forSchema(Schema.builder().numericInput("x").build())
                .period(T0, T0).add(Map.of("x", 1.0)).build();
        Profile onlyY = ProfileBuilder.forSchema(Schema.builder().categoricalOutput("y").build())
                .period(T0, T0).add(Map.of("y", "a")).build();

        Profile merged = onlyX.merge(onlyY);

        assertThat(merged.features().keySet()).containsExactly("x", "y");
        assertThat(merged.schema().features()).extracting(Feature::name).containsExactly("x", "y");
    }

    @Test
    void featureOfAnotherTypeCannotMerge() {
        Profile numeric = ProfileBuilder.forSchema(Schema.builder().numericInput("x").build()).period(T0, T0)
                .build();
        Profile categorical = ProfileBuilder.forSchema(Schema.builder().categoricalInput("x").build())
                .period(T0, T0).build();

        assertThatIllegalArgumentException().isThrownBy(() -> numeric.merge(categorical))
                .withMessageContaining("name=x").withMessageContaining("NUMERIC").withMessageContaining("CATEGORICAL");
    }

    @Test
    void profilesOfDifferentModelsCannotMerge() {
        Profile other = ProfileBuilder.forSchema(SCHEMA).model("other").period(T0, T0).build();

        assertThatIllegalArgumentException().isThrownBy(() -> whole.merge(other))
                .withMessage("cannot merge profiles of model 'm' and 'other'; merge profiles of one model only");
    }

    @Test
    void mergeOfProfilesWithDifferentOptionsKeepsTheSmallerSketches() {
        Profile small = ProfileBuilder.forSchema(SCHEMA).options(ProfileOptions.builder().kllK(64).build())
                .period(T0, T0).add(Map.of("x", 1.0)).build();

        Profile merged = whole.merge(small);

        assertThat(merged.options().kllK()).isEqualTo(64);
        assertThat(merged.numeric("x").kllK()).isEqualTo(64);
        assertThat(merged.numeric("x").count()).isEqualTo(whole.numeric("x").count() + 1);
    }

    @Test
    void callStatsMergeWhenEitherHasThem() {
        CallStats.Accumulator calls = new CallStats.Accumulator();
        calls.record(Duration.ofMillis(5).toNanos(), null, 0, 0, false, true);
        Profile withCalls = new ProfileAccumulator(SCHEMA, ProfileOptions.defaults())
                .toProfile(new ProfileMetadata("m", "1", T0, T0), calls.snapshot());

        assertThat(whole.merge(withCalls).callStats()).hasValueSatisfying(c -> assertThat(c.calls()).isEqualTo(1));
        assertThat(withCalls.merge(withCalls).callStats()).hasValueSatisfying(c -> assertThat(c.calls()).isEqualTo(2));
        assertThat(whole.merge(whole).callStats()).isEmpty();
    }

    @Test
    void mergeAllOfNothingIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Profile.mergeAll(List.of()))
                .withMessage("cannot merge an empty list of profiles");
    }

    private static void assertSameUpToSketchError(Profile a, Profile b) {
        assertThat(a.metadata()).isEqualTo(b.metadata());
        assertThat(a.features().keySet()).containsExactlyInAnyOrderElementsOf(b.features().keySet());
        for (String name : a.features().keySet()) {
            FeatureProfile fa = a.features().get(name);
            FeatureProfile fb = b.features().get(name);
            assertThat(new long[] {fa.count(), fa.missing(), fa.invalid()})
                    .containsExactly(fb.count(), fb.missing(), fb.invalid());
            if (fa instanceof NumericProfile na && fb instanceof NumericProfile nb) {
                assertThat(na.mean()).isCloseTo(nb.mean(), within(Math.abs(nb.mean()) * 1e-9));
                assertThat(na.variance()).isCloseTo(nb.variance(), within(nb.variance() * 1e-9));
                assertThat(na.min()).isEqualTo(nb.min());
                assertThat(na.max()).isEqualTo(nb.max());
                for (double rank = 0.1; rank < 1; rank += 0.1) {
                    assertThat(nb.rank(na.quantile(rank))).isCloseTo(rank, within(2 * na.normalizedRankError()));
                }
            } else {
                CategoricalProfile ca = (CategoricalProfile) fa;
                CategoricalProfile cb = (CategoricalProfile) fb;
                assertThat(ca.frequentItems()).isEqualTo(cb.frequentItems());
                assertThat(ca.distinctEstimate()).isEqualTo(cb.distinctEstimate());
            }
        }
    }
}
