package dev.seismo.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.seismo.resource.CpuInterval;
import dev.seismo.resource.GpuDevice;
import dev.seismo.resource.GpuInterval;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResourceAttributorTest {

    private static final long S = 1_000_000_000L;
    private static final double EPS = 1e-9;

    private final ResourceAttributor<String> attributor = ResourceAttributor.create(CostModel.free());

    private static long ms(long millis) {
        return millis * 1_000_000L;
    }

    private static RequestAttribution<String> find(Settlement<String> s, String key) {
        return s.requests().stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void aLoneRequestGetsAllOfTheIntervalsItOverlaps() {
        attributor.addRequest("a", ms(200), ms(700), TokenUsage.NONE);
        attributor.addMeasurement(Resource.GPU_TIME, 0, S, 0.6);

        Settlement<String> s = attributor.settle(S);

        assertThat(s.requests()).singleElement().satisfies(r -> {
            assertThat(r.resources().gpuSeconds()).isCloseTo(0.6, within(EPS));
            assertThat(r.late()).isFalse();
        });
        assertThat(s.idle().gpuSeconds()).isZero();
        assertThat(s.measured().gpuSeconds()).isCloseTo(0.6, within(EPS));
    }

    @Test
    void overlappingRequestsShareInProportionToTheirOverlap() {
        attributor.addRequest("whole", 0, S, TokenUsage.NONE);
        attributor.addRequest("half", ms(500), S, TokenUsage.NONE);
        attributor.addRequest("quarter", ms(750), ms(1_250), TokenUsage.NONE); // 250 ms inside the interval
        attributor.addMeasurement(Resource.GPU_ENERGY, 0, S, 700);

        Settlement<String> s = attributor.settle(S);

        // overlaps 1000 : 500 : 250 of 1750
        assertThat(find(s, "whole").resources().gpuEnergyJoules()).isCloseTo(400, within(EPS));
        assertThat(find(s, "half").resources().gpuEnergyJoules()).isCloseTo(200, within(EPS));
        assertThat(s.requests()).extracting(RequestAttribution::key).containsExactly("whole", "half");
        assertThat(attributor.pendingRequests()).isEqualTo(1);
        Settlement<String> rest = attributor.settle(2 * S);
        assertThat(find(rest, "quarter").resources().gpuEnergyJoules()).isCloseTo(100, within(EPS));
    }

    @Test
    void aRequestSpanningSeveralIntervalsIsCarriedUntilItsLastIsFinalized() {
        attributor.addRequest("long", ms(500), ms(2_500), TokenUsage.NONE);
        attributor.addRequest("short", ms(1_000), ms(1_500), TokenUsage.NONE);
        for (int i = 0; i < 3; i++) {
            attributor.addMeasurement(Resource.CPU_TIME, i * S, (i + 1) * S, 1.0);
        }

        Settlement<String> first = attributor.settle(ms(1_600));
        Settlement<String> second = attributor.settle(3 * S);

        assertThat(first.requests()).isEmpty(); // "short" overlaps [1 s, 2 s), not finalized yet
        assertThat(first.measured().cpuSeconds()).isCloseTo(1.0, within(EPS));
        // [0,1): long alone (500 ms) -> 1.0; [1,2): long 1000, short 500 -> 2/3 and 1/3; [2,3): long alone -> 1.0
        assertThat(find(second, "long").resources().cpuSeconds()).isCloseTo(1 + 2.0 / 3 + 1, within(EPS));
        assertThat(find(second, "short").resources().cpuSeconds()).isCloseTo(1.0 / 3, within(EPS));
        assertThat(attributor.pendingRequests()).isZero();
        assertThat(attributor.pendingIntervals()).isZero();
    }

    @Test
    void anIntervalNoRequestOverlapsIsIdleAndPricedAsSuch() {
        ResourceAttributor<String> priced = ResourceAttributor.create(CostModel.builder().instancePerHour(36)
                .energyPerKwh(1).carbonGramsPerKwh(500).build());
        priced.addInstanceTime(0, S);
        priced.addMeasurement(Resource.GPU_ENERGY, 0, S, 3_600);
        priced.addRequest("after", S, 2 * S, TokenUsage.NONE);
        priced.addInstanceTime(S, 2 * S);

        Settlement<String> s = priced.settle(2 * S);

        assertThat(s.idle()).isEqualTo(new ResourceUsage(1, 0, 0, 3_600));
        assertThat(s.idleCost().instance()).isCloseTo(0.01, within(EPS));
        assertThat(s.idleCost().energy()).isCloseTo(0.001, within(EPS));
        assertThat(s.idleEmissionsGrams()).isCloseTo(0.5, within(EPS));
        assertThat(find(s, "after").resources().instanceSeconds()).isCloseTo(1, within(EPS));
        AttributionTotals t = priced.totals();
        assertThat(t.measured()).isEqualTo(new ResourceUsage(2, 0, 0, 3_600));
        assertThat(t.idle().instanceSeconds() + t.attributed().instanceSeconds()).isCloseTo(2, within(EPS));
    }

    @Test
    void concurrentRequestsOverRandomIntervalsConserveEveryTotal() {
        Random random = new Random(42);
        List<RequestAttribution<String>> settled = new ArrayList<>();
        double idleGpu = 0;
        double idleEnergy = 0;
        double idleCpu = 0;
        double idleInstance = 0;
        double[] fed = new double[4];
        long cpuEnd = 0;
        for (int second = 0; second < 60; second++) {
            long from = second * S;
            for (int i = 0; i < 50; i++) {
                long start = from + (long) (random.nextDouble() * S);
                long end = start + (long) (random.nextDouble() * random.nextDouble() * 3 * S);
                attributor.addRequest("r" + second + "-" + i, start, end, TokenUsage.NONE);
            }
            double busy = random.nextDouble();
            double joules = random.nextDouble() * 700;
            attributor.addGpuInterval(new GpuInterval(from, from + S, List.of(new GpuInterval.Device(
                    new GpuDevice(0, "H200", "GPU-0"), busy, busy, joules))));
            fed[2] += busy;
            fed[3] += joules;
            while (cpuEnd < from + S) { // CPU on its own 300 ms grid, with a 50 ms gap now and then
                long gap = random.nextInt(5) == 0 ? ms(50) : 0;
                double cpu = random.nextDouble() * 1.2;
                attributor.addCpuInterval(new CpuInterval(cpuEnd + gap, cpuEnd + ms(300), cpu, 2));
                fed[1] += cpu;
                cpuEnd += ms(300);
            }
            attributor.addInstanceTime(from, from + S);
            fed[0] += 1;
            Settlement<String> s = attributor.settle(from - 3 * S);
            settled.addAll(s.requests());
            idleGpu += s.idle().gpuSeconds();
            idleEnergy += s.idle().gpuEnergyJoules();
            idleCpu += s.idle().cpuSeconds();
            idleInstance += s.idle().instanceSeconds();
        }
        Settlement<String> last = attributor.settle(Long.MAX_VALUE);
        settled.addAll(last.requests());
        idleGpu += last.idle().gpuSeconds();
        idleEnergy += last.idle().gpuEnergyJoules();
        idleCpu += last.idle().cpuSeconds();
        idleInstance += last.idle().instanceSeconds();

        assertThat(settled).hasSize(3_000);
        assertThat(settled.stream().mapToDouble(r -> r.resources().instanceSeconds()).sum() + idleInstance)
                .isCloseTo(fed[0], within(EPS));
        assertThat(settled.stream().mapToDouble(r -> r.resources().cpuSeconds()).sum() + idleCpu)
                .isCloseTo(fed[1], within(EPS));
        assertThat(settled.stream().mapToDouble(r -> r.resources().gpuSeconds()).sum() + idleGpu)
                .isCloseTo(fed[2], within(EPS));
        assertThat(settled.stream().mapToDouble(r -> r.resources().gpuEnergyJoules()).sum() + idleEnergy)
                .isCloseTo(fed[3], within(1e-7 * fed[3]));
        AttributionTotals t = attributor.totals();
        assertThat(t.settledRequests()).isEqualTo(3_000);
        assertThat(t.measured().gpuSeconds()).isCloseTo(fed[2], within(EPS));
        assertThat(t.attributed().gpuSeconds() + t.idle().gpuSeconds()).isCloseTo(fed[2], within(EPS));
        assertThat(t.lateRequests()).isZero();
    }

    @Test
    void requestsArePricedByTheirKeysCostModelAndIdleByTheHosts() {
        CostModel host = CostModel.builder().gpuPerHour(3.6).build();
        CostModel llm = CostModel.builder().inputPerMillionTokens(1).outputPerMillionTokens(2).perCall(0.5)
                .gpuPerHour(3.6).carbonGramsPerKwh(1_000).build();
        ResourceAttributor<String> priced = ResourceAttributor.<String>builder(host)
                .pricing(Map.of("llm", llm)::get).build();
        priced.addRequest("llm", 0, S, new TokenUsage(1_000_000, 500_000, 0));
        priced.addRequest("other", 0, S, TokenUsage.of(1_000_000, 0));
        priced.addMeasurement(Resource.GPU_TIME, 0, S, 1.0);
        priced.addMeasurement(Resource.GPU_ENERGY, 0, S, 7_200);

        Settlement<String> s = priced.settle(S);

        RequestAttribution<String> a = find(s, "llm");
        assertThat(a.cost().tokens()).isCloseTo(2.0, within(EPS));
        assertThat(a.cost().calls()).isEqualTo(0.5);
        assertThat(a.cost().gpu()).isCloseTo(0.0005, within(EPS));
        assertThat(a.emissionsGrams()).isCloseTo(1.0, within(EPS)); // 3600 J = 1/1000 kWh at 1000 g/kWh
        assertThat(a.tokens()).isEqualTo(new TokenUsage(1_000_000, 500_000, 0));
        RequestAttribution<String> b = find(s, "other");
        assertThat(b.cost().tokens()).isZero();
        assertThat(b.cost().total()).isCloseTo(0.0005, within(EPS));
        assertThat(b.emissionsGrams()).isZero();
    }

    @Test
    void aRequestAddedAfterItsFirstIntervalWasSettledIsLateAndGetsOnlyTheRest() {
        attributor.addMeasurement(Resource.GPU_TIME, 0, S, 1.0);
        attributor.addMeasurement(Resource.GPU_TIME, S, 2 * S, 1.0);
        Settlement<String> early = attributor.settle(S);
        attributor.addRequest("slow", ms(500), ms(1_500), TokenUsage.NONE);

        Settlement<String> s = attributor.settle(2 * S);

        assertThat(early.idle().gpuSeconds()).isEqualTo(1.0);
        assertThat(find(s, "slow").late()).isTrue();
        assertThat(find(s, "slow").resources().gpuSeconds()).isCloseTo(1.0, within(EPS));
        assertThat(attributor.totals().lateRequests()).isEqualTo(1);
    }

    @Test
    void anIntervalAddedAfterItsTimeWasSettledIsCountedAndFinalizedAtTheNextSettlement() {
        attributor.settle(2 * S);
        attributor.addRequest("a", ms(2_500), 3 * S, TokenUsage.NONE);
        attributor.addMeasurement(Resource.GPU_TIME, S, 2 * S, 0.5);

        Settlement<String> s = attributor.settle(3 * S);

        assertThat(attributor.totals().lateIntervals()).isEqualTo(1);
        assertThat(s.idle().gpuSeconds()).isEqualTo(0.5);
        assertThat(s.requests()).extracting(RequestAttribution::key).containsExactly("a");
    }

    @Test
    void tooManyPendingRequestsForceTheOldestIntervalsToFinalize() {
        ResourceAttributor<String> small = ResourceAttributor.<String>builder(CostModel.free())
                .maxPendingRequests(2).build();
        for (int i = 0; i < 4; i++) {
            small.addRequest("r" + i, i * S, (i + 1) * S, TokenUsage.NONE);
            small.addMeasurement(Resource.CPU_TIME, i * S, (i + 1) * S, 1.0);
        }

        Settlement<String> s = small.settle(0);

        assertThat(s.requests()).extracting(RequestAttribution::key).containsExactly("r0", "r1");
        assertThat(s.requests()).allSatisfy(r -> assertThat(r.resources().cpuSeconds()).isEqualTo(1.0));
        assertThat(small.pendingRequests()).isEqualTo(2);
        assertThat(s.settledToNanos()).isEqualTo(2 * S);
        assertThat(small.totals().forcedIntervals()).isEqualTo(2);
    }

    @Test
    void aWatermarkGoingBackIsTreatedAsTheEarlierOne() {
        attributor.settle(5 * S);

        assertThat(attributor.settle(S).settledToNanos()).isEqualTo(5 * S);
    }

    @Test
    void aZeroLengthRequestCostsOnlyItsTokensAndCall() {
        ResourceAttributor<String> priced = ResourceAttributor.create(CostModel.builder().perCall(0.01)
                .gpuPerHour(100).build());
        priced.addRequest("instant", ms(500), ms(500), TokenUsage.NONE);
        priced.addMeasurement(Resource.GPU_TIME, 0, S, 1.0);

        Settlement<String> s = priced.settle(S);

        assertThat(find(s, "instant").cost().total()).isEqualTo(0.01);
        assertThat(s.idle().gpuSeconds()).isEqualTo(1.0);
    }

    @Test
    void anUnmeasuredAmountIsIgnored() {
        attributor.addMeasurement(Resource.GPU_ENERGY, 0, S, Double.NaN);

        assertThat(attributor.pendingIntervals()).isZero();
    }

    @Test
    void overlappingIntervalsOfOneResourceAreRejected() {
        attributor.addMeasurement(Resource.GPU_TIME, 0, S, 1);
        attributor.addMeasurement(Resource.CPU_TIME, ms(500), S, 1); // another resource: independent

        assertThatIllegalArgumentException()
                .isThrownBy(() -> attributor.addMeasurement(Resource.GPU_TIME, ms(900), 2 * S, 1))
                .withMessage("GPU_TIME intervals must come in time order without overlapping: [900000000,"
                        + " 2000000000) starts before the previous one ends at 1000000000");
    }

    @Test
    void invalidRequestsAndAmountsAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> attributor.addRequest("x", S, 0, TokenUsage.NONE))
                .withMessage("a request must not end before it starts, was [1000000000, 0)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> attributor.addMeasurement(Resource.CPU_TIME, 0, S, -1))
                .withMessage("CPU_TIME amount must be finite and >= 0, was -1.0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> attributor.addMeasurement(Resource.CPU_TIME, S, S, 1))
                .withMessage("CPU_TIME interval must end after it starts, was [1000000000, 1000000000)");
    }
}
