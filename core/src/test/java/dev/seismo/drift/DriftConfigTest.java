package dev.seismo.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DriftConfigTest {

    @Test
    void defaultsAreCalibratedAtOnePercentWithBenjaminiHochberg() {
        DriftConfig c = DriftConfig.defaults();

        assertThat(c.policy()).isEqualTo(DriftPolicy.CALIBRATED);
        assertThat(c.falseAlarmRate()).isEqualTo(0.01);
        assertThat(c.correction()).isEqualTo(Correction.BENJAMINI_HOCHBERG);
        assertThat(c.numericEffect()).isEqualTo(DriftMethod.WASSERSTEIN_NORMED);
        assertThat(c.numericMinimumEffect()).isEqualTo(0.05);
        assertThat(c.categoricalEffect()).isEqualTo(DriftMethod.JS_DISTANCE);
        assertThat(c.categoricalMinimumEffect()).isEqualTo(0.03);
        assertThat(c.datasetDriftShare()).isEqualTo(0.5);
        assertThat(c.bins()).isEqualTo(10);
        assertThat(c.lowCardinality()).isEqualTo(5);
        assertThat(c.chunkSigmas()).isEqualTo(3);
        assertThat(c.features()).isEmpty();
    }

    @Test
    void builderRejectsOutOfRangeSettingsNamingTheSettingAndItsRange() {
        DriftConfig.Builder b = DriftConfig.builder();

        assertThatThrownBy(() -> b.falseAlarmRate(0)).hasMessage("falseAlarmRate must be in (0, 0.5], was 0.0");
        assertThatThrownBy(() -> b.datasetDriftShare(1.5)).hasMessage("datasetDriftShare must be in (0, 1], was 1.5");
        assertThatThrownBy(() -> b.bins(1)).hasMessage("bins must be between 2 and 1000, was 1");
        assertThatThrownBy(() -> b.lowCardinality(-1)).hasMessage("lowCardinality must be between 0 and 1000, was -1");
        assertThatThrownBy(() -> b.chunkSigmas(Double.NaN)).hasMessage("chunkSigmas must be a finite number > 0, was NaN");
        assertThatThrownBy(() -> b.numericEffect(DriftMethod.KS, 0.1)).hasMessage(
                "numericEffect must be a distance: one of psi, js_distance, hellinger, wasserstein_normed; was ks");
        assertThatThrownBy(() -> b.categoricalEffect(DriftMethod.WASSERSTEIN_NORMED, 0.1)).hasMessage(
                "categoricalEffect must be a distance: one of psi, js_distance, hellinger; was wasserstein_normed");
        assertThatThrownBy(() -> b.feature("age", f -> f.threshold(-1)))
                .hasMessage("threshold must be a finite number >= 0, was -1.0");
    }

    @Test
    void calibratedFeatureCannotTakeATestAsItsEffectSize() {
        DriftConfig.Builder b = DriftConfig.builder().feature("age", f -> f.method(DriftMethod.KS));

        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("feature 'age' is under the calibrated policy, whose method is its effect size");
    }

    @Test
    void testMethodThresholdMustBeAPValue() {
        DriftConfig.Builder b = DriftConfig.builder()
                .feature("age", f -> f.policy(DriftPolicy.EVIDENTLY).method(DriftMethod.KS).threshold(2));

        assertThatThrownBy(b::build)
                .hasMessage("feature 'age': the threshold of ks is a p-value and must be in (0, 1), was 2.0");
    }

    @Test
    void aFeatureIsConfiguredOnce() {
        DriftConfig.Builder b = DriftConfig.builder().feature("age", f -> f.threshold(0.1));

        assertThatThrownBy(() -> b.feature("age", f -> f.threshold(0.2)))
                .hasMessage("feature 'age' is configured twice; set all its overrides in one call");
    }

    @Test
    void configIsAValueThatRoundTripsThroughItsBuilder() {
        DriftConfig c = DriftConfig.builder().policy(DriftPolicy.EVIDENTLY).bins(20)
                .feature("age", f -> f.method(DriftMethod.PSI).threshold(0.2)).build();

        assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
        assertThat(c.features().get("age").method()).contains(DriftMethod.PSI);
        assertThat(c.features().get("age").threshold()).hasValue(0.2);
        assertThat(c).isNotEqualTo(DriftConfig.defaults());
    }

    @Test
    void methodsAreFoundByTheirReportKey() {
        assertThat(DriftMethod.fromKey("js_distance")).isEqualTo(DriftMethod.JS_DISTANCE);
        assertThat(DriftMethod.fromKey("WASSERSTEIN_NORMED")).isEqualTo(DriftMethod.WASSERSTEIN_NORMED);
        assertThatThrownBy(() -> DriftMethod.fromKey("kl")).hasMessage(
                "unknown drift method 'kl'; allowed: psi, js_distance, hellinger, wasserstein_normed, ks, chi2, z");
    }
}
