package dev.seismo.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CostModelTest {

    private final CostModel prices = CostModel.builder().currency("USD")
            .inputPerMillionTokens(3).cachedInputPerMillionTokens(0.3).outputPerMillionTokens(15)
            .perCall(0.001).instancePerHour(3.6).gpuPerHour(7.2).energyPerKwh(0.36).carbonGramsPerKwh(400)
            .build();

    @Test
    void defaultsAreFreeInUsd() {
        CostModel free = CostModel.builder().build();

        assertThat(free).isEqualTo(CostModel.free());
        assertThat(free.currency()).isEqualTo("USD");
        assertThat(free.cost(new TokenUsage(1_000, 1_000, 0), new ResourceUsage(10, 10, 10, 10)).total()).isZero();
        assertThat(free.emissionsGrams(new ResourceUsage(0, 0, 0, 3.6e6))).isZero();
    }

    @Test
    void tokensArePricedPerMillionWithCachedInputAtItsOwnPrice() {
        Cost cost = prices.cost(new TokenUsage(1_000_000, 200_000, 400_000), ResourceUsage.NONE);

        // 600k uncached at 3, 400k cached at 0.3, 200k output at 15 (per million)
        assertThat(cost.tokens()).isCloseTo(1.8 + 0.12 + 3.0, within(1e-12));
        assertThat(cost.calls()).isEqualTo(0.001);
        assertThat(cost.total()).isCloseTo(4.921, within(1e-12));
        assertThat(cost.currency()).isEqualTo("USD");
    }

    @Test
    void resourcesArePricedPerHourAndPerKwh() {
        // 100 s of instance at 3.6/h, 50 GPU-seconds at 7.2/h, 1.8 MJ (0.5 kWh) at 0.36/kWh
        Cost cost = prices.cost(TokenUsage.NONE, new ResourceUsage(100, 40, 50, 1.8e6));

        assertThat(cost.instance()).isCloseTo(0.1, within(1e-12));
        assertThat(cost.gpu()).isCloseTo(0.1, within(1e-12));
        assertThat(cost.energy()).isCloseTo(0.18, within(1e-12));
        assertThat(cost.tokens()).isZero();
        assertThat(cost.total()).isCloseTo(0.381, within(1e-12));
    }

    @Test
    void emissionsComeFromEnergyAndCarbonIntensity() {
        assertThat(prices.emissionsGrams(new ResourceUsage(100, 40, 50, 1.8e6))).isCloseTo(200, within(1e-9));
    }

    @Test
    void idleResourcesCostNoCallAndNoTokens() {
        Cost idle = prices.resourceCost(new ResourceUsage(3_600, 0, 0, 0));

        assertThat(idle.calls()).isZero();
        assertThat(idle.total()).isCloseTo(3.6, within(1e-12));
    }

    @Test
    void cachedInputCostsTheInputPriceUnlessSet() {
        CostModel m = CostModel.builder().inputPerMillionTokens(2).build();

        assertThat(m.cachedInputPerMillionTokens()).isEqualTo(2);
        assertThat(m.cost(new TokenUsage(1_000_000, 0, 1_000_000), ResourceUsage.NONE).tokens())
                .isCloseTo(2, within(1e-12));
    }

    @Test
    void aNegativePriceIsRejectedNamingTheSetting() {
        assertThatIllegalArgumentException().isThrownBy(() -> CostModel.builder().gpuPerHour(-1))
                .withMessage("gpuPerHour must be a finite amount >= 0, was -1.0");
        assertThatIllegalArgumentException().isThrownBy(() -> CostModel.builder().energyPerKwh(Double.NaN))
                .withMessage("energyPerKwh must be a finite amount >= 0, was NaN");
    }

    @Test
    void aCurrencyThatIsNoIsoCodeIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> CostModel.builder().currency("usd"))
                .withMessage("currency must be an ISO 4217 code in upper case, such as USD or EUR, was 'usd'");
        assertThatIllegalArgumentException().isThrownBy(() -> CostModel.builder().currency("XYZ1"))
                .withMessageContaining("was 'XYZ1'");
    }

    @Test
    void cachedInputMayNotExceedInput() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenUsage(10, 0, 11))
                .withMessage("cached input tokens are a part of input tokens, so at most 10, were 11");
    }

    @Test
    void modelsWithTheSameSettingsAreEqual() {
        CostModel a = CostModel.builder().currency("EUR").gpuPerHour(2).build();
        CostModel b = CostModel.builder().currency("EUR").gpuPerHour(2).build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(CostModel.free());
        assertThat(a.toString()).contains("currency=EUR", "gpuPerHour=2.0");
    }
}
