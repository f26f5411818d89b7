package dev.seismo.profile;

import dev.seismo.schema.Schema;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExactValueCountsTest {

    private static final Schema SCHEMA = Schema.builder().numericInput("x").build();
    private static final ProfileMetadata META = new ProfileMetadata("m", "1", Instant.EPOCH, Instant.EPOCH);

    private static Profile profile(double... values) {
        ProfileAccumulator acc = new ProfileAccumulator(SCHEMA, ProfileOptions.defaults());
        for (double v : values) {
            acc.updateNumeric(0, v);
        }
        return acc.toProfile(META, null);
    }

    @Test
    void aFeatureOfFewValuesKeepsTheExactCountOfEach() {
        NumericProfile x = profile(3, 1, 3, 2, 3, -0.0, 0.0, Double.NaN).numeric("x");

        assertThat(x.exactValueCounts()).hasValue(new TreeMap<>(Map.of(0.0, 2L, 1.0, 1L, 2.0, 1L,
                3.0, 3L)));
    }

    @Test
    void moreDistinctValuesThanTheLimitDropTheExactCounts() {
        double[] values = new double[NumericProfile.MAX_EXACT_VALUES + 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }

        assertThat(profile(values).numeric("x").exactValueCounts()).isEmpty();
        assertThat(profile(Arrays.copyOf(values, values.length - 1)).numeric("x").exactValueCounts())
                .hasValueSatisfying(c -> assertThat(c).hasSize(NumericProfile.MAX_EXACT_VALUES));
    }

    @Test
    void mergingUnitesTheExactCountsWhileTheyStayFew() {
        NumericProfile merged = profile(1, 2, 2).merge(profile(2, 5)).numeric("x");

        assertThat(merged.exactValueCounts()).hasValue(new TreeMap<>(Map.of(1.0, 1L, 2.0, 3L, 5.0, 1L)));
        assertThat(profile(1).merge(profile(1.5, 2.5)).merge(profile(IntStream.range(0, 40)
                .mapToDouble(i -> i).toArray())).numeric("x").exactValueCounts()).isEmpty();
    }

    @Test
    void exactCountsSurviveTheFileFormat() throws Exception {
        Profile profile = profile(1, 1, 4);

        Profile read = ProfileJson.fromJson(ProfileJson.toJson(profile), "test.json");

        assertThat(read.numeric("x").exactValueCounts()).isEqualTo(profile.numeric("x").exactValueCounts());
        assertThat(ProfileJson.toJson(read)).isEqualTo(ProfileJson.toJson(profile)).contains("\"exactCounts\"");
    }

    @Test
    void exactCountsThatDisagreeWithTheCountAreADamagedFile() {
        String json = ProfileJson.toJson(profile(1, 1, 4)).replaceFirst("(1\\.0,\\s+)2", "$15");

        assertThatThrownBy(() -> ProfileJson.fromJson(json, "edited.json"))
                .isInstanceOf(ProfileFormatException.class)
                .hasMessageContaining("edited.json")
                .hasMessageContaining("exact counts add up to 6 but count is 3");
    }
}
