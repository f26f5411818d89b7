package dev.seismo.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

import dev.seismo.schema.Schema;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProfileAccumulatorTest {

    private static final Schema SCHEMA = Schema.builder().numericInput("x").categoricalInput("c").build();
    private static final ProfileMetadata META = new ProfileMetadata("m", "1", Instant.EPOCH, Instant.EPOCH);

    private final ProfileAccumulator acc = new ProfileAccumulator(SCHEMA,
            ProfileOptions.builder().maxCategoryLength(4).build());

    private enum Color { RED }

    @Test
    void nanIsMissingAndInfinitiesAreInvalid() {
        acc.updateNumeric(0, 1);
        acc.updateNumeric(0, Double.NaN);
        acc.updateNumeric(0, Double.POSITIVE_INFINITY);
        acc.updateNumeric(0, Double.NEGATIVE_INFINITY);

        NumericProfile x = acc.toProfile(META, null).numeric("x");
        assertThat(new long[] {x.count(), x.missing(), x.invalid(), x.total()}).containsExactly(1, 1, 2, 4);
        assertThat(x.max()).isEqualTo(1);
    }

    @Test
    void aGroupOfEqualValuesCountsAsThatManyValues() {
        ProfileAccumulator oneByOne = new ProfileAccumulator(SCHEMA, ProfileOptions.defaults());
        for (double v : new double[] {1, 4, 4, 9}) {
            acc.updateNumeric(0, v);
            oneByOne.updateNumeric(0, v);
        }
        acc.updateNumeric(0, 2.5, 1_000);
        acc.updateNumeric(0, Double.NaN, 3);
        acc.updateNumeric(0, 7, 0);
        for (int i = 0; i < 1_000; i++) {
            oneByOne.updateNumeric(0, 2.5);
        }
        for (int i = 0; i < 3; i++) {
            oneByOne.updateNumeric(0, Double.NaN);
        }

        NumericProfile grouped = acc.toProfile(META, null).numeric("x");
        NumericProfile single = oneByOne.toProfile(META, null).numeric("x");
        assertThat(new long[] {grouped.count(), grouped.missing()}).containsExactly(1_004, 3);
        assertThat(grouped.mean()).isCloseTo(single.mean(), within(1e-12));
        assertThat(grouped.variance()).isCloseTo(single.variance(), within(1e-12));
        assertThat(grouped.quantile(0.5)).isEqualTo(2.5);
        assertThat(grouped.exactValueCounts()).isEqualTo(single.exactValueCounts());
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> acc.updateNumeric(0, 1, -1));
    }

    @Test
    void boxedValuesByNameFollowTheNumericConventions() {
        acc.update("x", 2);
        acc.update("x", 3.5f);
        acc.update("x", null);
        acc.update("x", Double.NaN);
        acc.update("x", "7");
        acc.update("x", Double.POSITIVE_INFINITY);

        NumericProfile x = acc.toProfile(META, null).numeric("x");
        assertThat(new long[] {x.count(), x.missing(), x.invalid()}).containsExactly(2, 2, 2);
        assertThat(x.mean()).isEqualTo(2.75);
    }

    @Test
    void categoriesAreStringsOfTextEnumsBooleansCharactersAndNumbers() {
        acc.updateCategorical(0, new StringBuilder("ab"));
        acc.updateCategorical(0, Color.RED);
        acc.updateCategorical(0, true);
        acc.updateCategorical(0, 'z');
        acc.updateCategorical(0, 42);

        CategoricalProfile c = acc.toProfile(META, null).categorical("c");
        assertThat(c.frequentItems()).extracting(ItemCount::value)
                .containsExactlyInAnyOrder("ab", "RED", "true", "z", "42");
        assertThat(c.count()).isEqualTo(5);
    }

    @Test
    void nullCategoryIsMissingAndOtherObjectsAreInvalid() {
        acc.updateCategorical(0, null);
        acc.updateCategorical(0, new int[] {1});
        acc.updateCategorical(0, List.of("a"));
        acc.update("c", new Object());

        CategoricalProfile c = acc.toProfile(META, null).categorical("c");
        assertThat(new long[] {c.count(), c.missing(), c.invalid()}).containsExactly(0, 1, 3);
        assertThat(c.frequentItems()).isEmpty();
        assertThat(c.distinctEstimate()).isZero();
    }

    @Test
    void longCategoriesAreCutAndCounted() {
        acc.updateCategorical(0, "abcdefgh");
        acc.updateCategorical(0, "abcd");

        CategoricalProfile c = acc.toProfile(META, null).categorical("c");
        assertThat(c.truncated()).isEqualTo(1);
        assertThat(c.estimate("abcd")).isEqualTo(2);
    }

    @Test
    void cuttingNeverSplitsASurrogatePair() {
        acc.updateCategorical(0, "abc\uD83D\uDE00x");

        assertThat(acc.toProfile(META, null).categorical("c").frequentItems()).extracting(ItemCount::value)
                .containsExactly("abc");
    }

    @Test
    void emptyStringIsACategoryCountedAsDistinct() {
        acc.updateCategorical(0, "");
        acc.updateCategorical(0, "a");

        CategoricalProfile c = acc.toProfile(META, null).categorical("c");
        assertThat(c.estimate("")).isEqualTo(1);
        assertThat(c.distinctEstimate()).isCloseTo(2, within(1e-6));
    }

    @Test
    void unknownNamesAreCountedAndIgnored() {
        acc.update("nope", 1);
        acc.update("x", 1);

        assertThat(acc.unknownNames()).isEqualTo(1);
        assertThat(acc.toProfile(META, null).numeric("x").count()).isEqualTo(1);
    }

    @Test
    void explicitMissingAndInvalidCountsGoToTheirFeature() {
        acc.missingNumeric(0);
        acc.invalidNumeric(0);
        acc.invalidNumeric(0);
        acc.missingCategorical(0);
        acc.invalidCategorical(0);

        Profile p = acc.toProfile(META, null);
        assertThat(new long[] {p.numeric("x").missing(), p.numeric("x").invalid(), p.categorical("c").missing(),
                p.categorical("c").invalid()}).containsExactly(1, 2, 1, 1);
    }

    @Test
    void rowsIsTheMostValuesAnyFeatureSaw() {
        for (int i = 0; i < 5; i++) {
            acc.updateNumeric(0, i);
        }
        acc.updateCategorical(0, "a");

        assertThat(acc.rows()).isEqualTo(5);
        assertThat(acc.toProfile(META, null).rows()).isEqualTo(5);
    }

    @Test
    void toProfileLeavesTheAccumulatorUsable() {
        acc.updateNumeric(0, 1);
        Profile first = acc.toProfile(META, null);
        acc.updateNumeric(0, 3);

        assertThat(first.numeric("x").count()).isEqualTo(1);
        assertThat(acc.toProfile(META, null).numeric("x").mean()).isEqualTo(2);
    }

    @Test
    void resetForgetsEverything() {
        acc.updateNumeric(0, 1);
        acc.updateCategorical(0, "a");
        acc.update("nope", 1);
        acc.reset();
        acc.updateNumeric(0, -5);

        Profile p = acc.toProfile(META, null);
        assertThat(p.numeric("x").count()).isEqualTo(1);
        assertThat(p.numeric("x").max()).isEqualTo(-5);
        assertThat(p.categorical("c").total()).isZero();
        assertThat(acc.unknownNames()).isZero();
    }

    @Test
    void profileCarriesMetadataOptionsAndCallStats() {
        CallStats calls = CallStats.empty();
        Profile p = acc.toProfile(META, calls);

        assertThat(p.metadata()).isEqualTo(META);
        assertThat(p.options()).isEqualTo(acc.options());
        assertThat(p.schema()).isEqualTo(SCHEMA);
        assertThat(p.callStats()).containsSame(calls);
    }

    @Test
    void indexOutsideTheSchemaIsRejected() {
        assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> acc.updateNumeric(1, 1));
        assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> acc.updateCategorical(1, "a"));
    }

    @Test
    void numericUpdatesDoNotAllocate() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random r = new Random(1);
        double[] values = new double[1 << 16];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextGaussian();
        }
        // Warm up so the JIT compiles the path and the sketch has grown its levels.
        for (int i = 0; i < 2_000_000; i++) {
            acc.updateNumeric(0, values[i & (values.length - 1)]);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 500_000; i++) {
            acc.updateNumeric(0, values[i & (values.length - 1)]);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // Amortized sketch growth may add a level (a few KB); anything per update would be megabytes.
        assertThat(allocated).isLessThan(64 * 1024);
    }
}
