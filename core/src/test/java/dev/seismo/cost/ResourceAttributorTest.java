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
    void instanceTimeIsSharedPerMomentAmongTheRequestsRunningThen() {
        attributor.addRequest("whole", 0, S, TokenUsage.NONE);
        attributor.addRequest("half", ms(500), S, TokenUsage.NONE);
        attributor.addRequest("quarter", ms(750), ms(1_250), TokenUsage.NONE);
        attributor.addInstanceTime(0, 2 * S);

        Settlement<String> s = attributor.settle(2 * S);

        // [0, 500): whole alone; [500, 750): whole and half; [750, 1000): all three; [1000, 1250): quarter alone;
        // [1250, 2000): nobody, idle.
        assertThat(find(s, "whole").resources().instanceSeconds()).isCloseTo(0.5 + 0.125 + 0.25 / 3, within(EPS));
        assertThat(find(s, "half").resources().instanceSeconds()).isCloseTo(0.125 + 0.25 / 3, within(EPS));
        assertThat(find(s, "quarter").resources().instanceSeconds()).isCloseTo(0.25 / 3 + 0.25, within(EPS));
        assertThat(s.idle().instanceSeconds()).isCloseTo(0.75, within(EPS));
    }

    @Test
    void identicalRequestsGetIdenticalInstanceTimeWhereverTheIntervalsAreCut() {
        attributor.addInstanceTime(0, ms(1)); // the cycle before
        attributor.addRequest("a", ms(1), ms(11), TokenUsage.NONE);
        attributor.addInstanceTime(ms(1), ms(101)); // "a" alone in a 100 ms cycle
        attributor.addRequest("b", ms(101), ms(111), TokenUsage.NONE);
        attributor.addInstanceTime(ms(101), ms(111)); // the cycle ran right at the end of "b"
        attributor.addRequest("c", ms(111), ms(121), TokenUsage.NONE);
        attributor.addInstanceTime(ms(111), ms(115)); // and through the middle of "c"
        attributor.addInstanceTime(ms(115), ms(200));

        Settlement<String> s = attributor.settle(ms(200));

        assertThat(find(s, "a").resources().instanceSeconds()).isEqualTo(0.01);
        assertThat(find(s, "b").resources().instanceSeconds()).isEqualTo(0.01);
        assertThat(find(s, "c").resources().instanceSeconds()).isCloseTo(0.01, within(1e-15));
        assertThat(s.idle().instanceSeconds()).isCloseTo(0.2 - 0.03, within(1e-15));
    }

    @Test
    void anIdleHostsInstanceTimeIsAllIdle() {
        ResourceAttributor<String> priced = ResourceAttributor.create(CostModel.builder().instancePerHour(3_600)
                .build());
        priced.addInstanceTime(0, 10 * S);

        Settlement<String> s = priced.settle(10 * S);

        assertThat(s.idle().instanceSeconds()).isEqualTo(10.0);
        assertThat(s.idleCost().instance()).isCloseTo(10.0, within(EPS));
        assertThat(priced.totals().attributed().instanceSeconds()).isZero();
    }

    @Test
    void aMomentsShareOfAnInstanceIntervalScalesWithItsAmount() {
        attributor.addRequest("a", 0, S, TokenUsage.NONE);
        attributor.addRequest("b", ms(500), S, TokenUsage.NONE);
        attributor.addMeasurement(Resource.INSTANCE_TIME, 0, 2 * S, 8); // four instances: 4 s per second

        Settlement<String> s = attributor.settle(2 * S);

        assertThat(find(s, "a").resources().instanceSeconds()).isCloseTo(2 + 1, within(EPS));
        assertThat(find(s, "b").resources().instanceSeconds()).isCloseTo(1, within(EPS));
        assertThat(s.idle().instanceSeconds()).isCloseTo(4, within(EPS));
    }

    /** The sweep against the definition: at each nanosecond, 1/n to each of the n requests running. */
    @Test
    void instanceSharesMatchAMomentByMomentCountOnRandomRequests() {
        for (int seed = 0; seed < 100; seed++) {
            Random random = new Random(seed);
            ResourceAttributor<Integer> a = ResourceAttributor.create(CostModel.free());
            int n = 1 + random.nextInt(40);
            long[][] requests = new long[n][];
            for (int i = 0; i < n; i++) {
                long start = random.nextInt(1_000);
                long end = start + (random.nextInt(5) == 0 ? 0 : random.nextInt(400));
                requests[i] = new long[] {start, end};
                a.addRequest(i, start, end, TokenUsage.NONE);
            }
            long cut = 1 + random.nextInt(1_400);
            a.addInstanceTime(0, cut);
            a.addInstanceTime(cut, 1_500);
            double[] expected = new double[n];
            double expectedIdle = 0;
            for (long t = 0; t < 1_500; t++) {
                int running = 0;
                for (long[] r : requests) {
                    running += r[0] <= t && t < r[1] ? 1 : 0;
                }
                for (int i = 0; i < n; i++) {
                    expected[i] += requests[i][0] <= t && t < requests[i][1] ? 1e-9 / running : 0;
                }
                expectedIdle += running == 0 ? 1e-9 : 0;
            }

            Settlement<Integer> s = a.settle(Long.MAX_VALUE);

            for (RequestAttribution<Integer> r : s.requests()) {
                assertThat(r.resources().instanceSeconds()).as("seed %d request %d", seed, r.key())
                        .isCloseTo(expected[r.key()], within(1e-18));
            }
            assertThat(s.requests()).hasSize(n);
            assertThat(s.idle().instanceSeconds()).as("seed %d idle", seed).isCloseTo(expectedIdle, within(1e-18));
        }
    }

    /** Random streams, partial overlaps, zero-length and very long requests, random settle points, small caps. */
    @Test
    void everyTotalIsConservedUnderRandomStreamsSettlementsAndCaps() {
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            ResourceAttributor<Integer> a = ResourceAttributor.<Integer>builder(CostModel.free())
                    .maxPendingRequests(1 + random.nextInt(50)).build();
            double[] shares = new double[4];
            double[] fed = new double[4];
            long[] lastEnd = new long[4];
            long t = 0;
            int added = 0;
            int handed = 0;
            for (int step = 0; step < 300; step++) {
                int what = random.nextInt(10);
                if (what < 6) {
                    long start = t - random.nextInt(5_000);
                    long length = random.nextInt(10) == 0 ? 0
                            : random.nextInt(random.nextInt(20) == 0 ? 50_000 : 2_000);
                    a.addRequest(added++, start, start + length, TokenUsage.NONE);
                } else if (what < 9) {
                    int r = random.nextInt(4);
                    long start = Math.max(lastEnd[r], t - 3_000) + random.nextInt(200);
                    long end = start + 1 + random.nextInt(1_500);
                    double amount = r == INSTANCE ? (end - start) / 1e9
                            : random.nextInt(8) == 0 ? 0 : random.nextDouble() * 10;
                    a.addMeasurement(Resource.values()[r], start, end, amount);
                    lastEnd[r] = end;
                    fed[r] += amount;
                } else {
                    handed += add(a.settle(t - random.nextInt(4_000)), shares);
                }
                t += random.nextInt(300);
            }
            handed += add(a.settle(Long.MAX_VALUE), shares);

            AttributionTotals totals = a.totals();
            assertThat(handed).as("seed %d", seed).isEqualTo(added);
            assertThat(totals.settledRequests()).isEqualTo(added);
            assertThat(totals.pendingRequests()).isZero();
            assertThat(totals.pendingIntervals()).isZero();
            for (Resource r : Resource.values()) {
                int i = r.ordinal();
                double scale = Math.max(1, fed[i]);
                assertThat(totals.measured().get(r)).as("seed %d %s measured", seed, r)
                        .isCloseTo(fed[i], within(1e-12 * scale));
                assertThat(totals.attributed().get(r) + totals.idle().get(r)).as("seed %d %s", seed, r)
                        .isCloseTo(fed[i], within(1e-12 * scale));
                assertThat(shares[i]).as("seed %d %s shares", seed, r)
                        .isCloseTo(totals.attributed().get(r), within(1e-12 * scale));
            }
        }
    }

    private static final int INSTANCE = Resource.INSTANCE_TIME.ordinal();

    private static int add(Settlement<Integer> s, double[] shares) {
        for (RequestAttribution<Integer> r : s.requests()) {
            for (Resource resource : Resource.values()) {
                shares[resource.ordinal()] += r.resources().get(resource);
            }
        }
        return s.requests().size();
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
    void aRequestOfNoLengthInSettledTimeLostNothingAndIsNotLate() {
        attributor.addMeasurement(Resource.GPU_TIME, 0, S, 1.0);
        attributor.settle(S);
        attributor.addRequest("instant", ms(500), ms(500), TokenUsage.NONE);

        Settlement<String> s = attributor.settle(2 * S);

        assertThat(find(s, "instant").late()).isFalse();
        assertThat(attributor.totals().lateRequests()).isZero();
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
        assertThat(small.totals().forcedRequests()).isEqualTo(2);
    }

    @Test
    void requestsHandedOutEarlyByTheCapAndTheGpuIntervalArrivingAfterThemAreCounted() {
        ResourceAttributor<Integer> capped = ResourceAttributor.<Integer>builder(CostModel.free())
                .maxPendingRequests(300).build();
        List<RequestAttribution<Integer>> out = new ArrayList<>();
        for (int cycle = 1; cycle <= 10; cycle++) { // 100 requests of 1 ms per 100 ms cycle, lateness 10 s
            for (int i = (cycle - 1) * 100; i < cycle * 100; i++) {
                capped.addRequest(i, ms(i), ms(i + 1), TokenUsage.NONE);
            }
            out.addAll(capped.settle(ms(cycle * 100 - 10_000)).requests());
        }
        capped.addGpuInterval(new GpuInterval(0, S, List.of(new GpuInterval.Device(new GpuDevice(0, "H200",
                "GPU-0"), 1.0, 1.0, Double.NaN))));
        out.addAll(capped.settle(Long.MAX_VALUE).requests());

        AttributionTotals t = capped.totals();
        assertThat(out).hasSize(1_000);
        assertThat(out.stream().filter(r -> r.resources().gpuSeconds() == 0)).hasSize(700);
        assertThat(t.forcedRequests()).isEqualTo(700);
        assertThat(t.lateIntervals()).isEqualTo(1);
        assertThat(t.attributed().gpuSeconds()).isCloseTo(1.0, within(EPS)); // to the 300 still pending
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
