package dev.seismo.profile;

import static dev.seismo.profile.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileBuilderTest {

    @Test
    void rowsAreProfiledWithAbsentFeaturesMissing() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("amount", null);
        withNull.put("label", true);

        Profile p = ProfileBuilder.forSchema(TestData.SCHEMA).model("fraud").version("3").period(T0, T0)
                .add(Map.of("amount", 10.0, "country", "DE", "score", 0.9, "label", false, "extra", 1))
                .add(withNull)
                .build();

        assertThat(p.rows()).isEqualTo(2);
        assertThat(new long[] {p.numeric("amount").count(), p.numeric("amount").missing()}).containsExactly(1, 1);
        assertThat(p.categorical("country").missing()).isEqualTo(1);
        assertThat(p.categorical("label").estimate("true")).isEqualTo(1);
        assertThat(p.model()).isEqualTo("fraud");
        assertThat(p.version()).isEqualTo("3");
    }

    @Test
    void periodDefaultsToTheInstantOfBuild() {
        Instant before = Instant.now();

        Profile p = ProfileBuilder.forSchema(TestData.SCHEMA).build();

        assertThat(p.start()).isEqualTo(p.end()).isBetween(before, Instant.now());
    }

    @Test
    void reversedPeriodIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ProfileBuilder.forSchema(TestData.SCHEMA).period(T0.plusSeconds(1), T0))
                .withMessage("period end 2025-01-01T00:00:00Z is before its start 2025-01-01T00:00:01Z");
    }

    @Test
    void optionsAfterTheFirstRowAreRejected() {
        ProfileBuilder b = ProfileBuilder.forSchema(TestData.SCHEMA).add(Map.of());

        assertThatIllegalStateException().isThrownBy(() -> b.options(ProfileOptions.defaults()))
                .withMessage("options must be set before the first row is added");
    }

    @Test
    void optionsShapeTheSketches() {
        Profile p = ProfileBuilder.forSchema(TestData.SCHEMA).options(ProfileOptions.builder().kllK(64).build())
                .add(Map.of("amount", 1.0)).build();

        assertThat(p.numeric("amount").kllK()).isEqualTo(64);
        assertThat(p.options().kllK()).isEqualTo(64);
    }

    @Test
    void askingForAFeatureOfTheWrongTypeOrNameFailsClearly() {
        Profile p = ProfileBuilder.forSchema(TestData.SCHEMA).build();

        assertThatIllegalArgumentException().isThrownBy(() -> p.numeric("country"))
                .withMessage("feature 'country' is CATEGORICAL, not NUMERIC");
        assertThatIllegalArgumentException().isThrownBy(() -> p.categorical("nope"))
                .withMessage("the profile has no feature 'nope'; it has [amount, country, score, label]");
        assertThat(p.feature("nope")).isEmpty();
    }
}
