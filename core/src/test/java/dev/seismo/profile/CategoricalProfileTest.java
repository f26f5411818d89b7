package dev.seismo.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

import dev.seismo.schema.Schema;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CategoricalProfileTest {

    private static final Schema SCHEMA = Schema.builder().categoricalInput("c").build();
    private static final ProfileMetadata META = new ProfileMetadata(null, null, Instant.EPOCH, Instant.EPOCH);

    @Test
    void frequentItemsAreExactAndOrderedByCountThenValue() {
        CategoricalProfile c = profile(ProfileOptions.defaults(), "b", "a", "c", "c", "c", "a");

        assertThat(c.countsExact()).isTrue();
        assertThat(c.frequentItems()).containsExactly(new ItemCount("c", 3, 3, 3), new ItemCount("a", 2, 2, 2),
                new ItemCount("b", 1, 1, 1));
        assertThat(c.estimate("a")).isEqualTo(2);
        assertThat(c.estimate("never")).isZero();
    }

    @Test
    void countsStopBeingExactBeyondThreeQuartersOfTheMapSize() {
        ProfileOptions small = ProfileOptions.builder().frequentItemsMapSize(8).build();
        String[] values = new String[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 2 == 0 ? "hot" : "v" + i;
        }

        CategoricalProfile c = profile(small, values);

        assertThat(c.countsExact()).isFalse();
        assertThat(c.frequentItems().get(0).value()).isEqualTo("hot");
        assertThat(c.frequentItems().get(0).lowerBound()).isLessThanOrEqualTo(50);
        assertThat(c.frequentItems().get(0).upperBound()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void distinctEstimateIsWithinTheHyperLogLogError() {
        String[] values = new String[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = "id-" + (i % 10_000);
        }

        CategoricalProfile c = profile(ProfileOptions.defaults(), values);

        // lgK 12: relative standard error 1.6%, so 5% is over three standard errors.
        assertThat(c.distinctEstimate()).isCloseTo(10_000, within(500.0));
    }

    @Test
    void frequentItemsCannotBeChanged() {
        CategoricalProfile c = profile(ProfileOptions.defaults(), "a");

        assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> c.frequentItems().clear());
    }

    private static CategoricalProfile profile(ProfileOptions options, String... values) {
        ProfileAccumulator acc = new ProfileAccumulator(SCHEMA, options);
        for (String v : values) {
            acc.updateCategorical(0, v);
        }
        return acc.toProfile(META, null).categorical("c");
    }
}
