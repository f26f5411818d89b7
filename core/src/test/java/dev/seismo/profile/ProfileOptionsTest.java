package dev.seismo.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ProfileOptionsTest {

    @Test
    void defaultsMatchTheDocumentedValues() {
        ProfileOptions o = ProfileOptions.defaults();

        assertThat(o.kllK()).isEqualTo(256);
        assertThat(o.frequentItemsMapSize()).isEqualTo(256);
        assertThat(o.hllLgK()).isEqualTo(12);
        assertThat(o.maxCategoryLength()).isEqualTo(128);
    }

    @Test
    void builderKeepsEverySetting() {
        ProfileOptions o = ProfileOptions.builder().kllK(8).frequentItemsMapSize(65_536).hllLgK(21)
                .maxCategoryLength(1).build();

        assertThat(o.kllK()).isEqualTo(8);
        assertThat(o.frequentItemsMapSize()).isEqualTo(65_536);
        assertThat(o.hllLgK()).isEqualTo(21);
        assertThat(o.maxCategoryLength()).isEqualTo(1);
    }

    @Test
    void kllKOutOfRangeIsRejectedNamingTheRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProfileOptions.builder().kllK(7))
                .withMessage("kllK must be between 8 and 65535, was 7");
    }

    @Test
    void mapSizeThatIsNoPowerOfTwoIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProfileOptions.builder().frequentItemsMapSize(100))
                .withMessage("frequentItemsMapSize must be a power of two between 8 and 65536, was 100");
    }

    @Test
    void hllLgKOutOfRangeIsRejectedNamingTheRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProfileOptions.builder().hllLgK(22))
                .withMessage("hllLgK must be between 4 and 21, was 22");
    }

    @Test
    void maxCategoryLengthBelowOneIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProfileOptions.builder().maxCategoryLength(0))
                .withMessage("maxCategoryLength must be at least 1, was 0");
    }

    @Test
    void optionsWithTheSameSettingsAreEqual() {
        ProfileOptions a = ProfileOptions.builder().kllK(128).build();
        ProfileOptions b = ProfileOptions.builder().kllK(128).build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(ProfileOptions.defaults());
    }

    @Test
    void minTakesTheSmallerOfEachSetting() {
        ProfileOptions a = ProfileOptions.builder().kllK(128).hllLgK(14).build();
        ProfileOptions b = ProfileOptions.builder().frequentItemsMapSize(64).maxCategoryLength(200).build();

        assertThat(a.min(b)).isEqualTo(ProfileOptions.builder().kllK(128).frequentItemsMapSize(64).hllLgK(12)
                .maxCategoryLength(128).build());
    }
}
