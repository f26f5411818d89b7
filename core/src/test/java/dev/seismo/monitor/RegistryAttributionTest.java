package dev.seismo.monitor;

import dev.seismo.cost.AttributionTotals;
import dev.seismo.cost.Cost;
import dev.seismo.cost.CostModel;
import dev.seismo.cost.ResourceUsage;
import dev.seismo.resource.GpuSample;
import dev.seismo.resource.GpuSampler;
import dev.seismo.resource.InMemoryGpuReader;
import dev.seismo.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/** The registry's side of attribution: what it exposes, what it checks, and how it fails. */
class RegistryAttributionTest {

    /** One currency unit per instance second and per GPU-busy second. */
    private static final CostModel PER_SECOND = CostModel.builder().instancePerHour(3_600).gpuPerHour(3_600).build();

    private final ManualClock clock = ManualClock.create();
    private final InMemoryGpuReader gpus = InMemoryGpuReader.withDevices("H200");
    private final GpuSampler sampler = GpuSampler.builder().reader(gpus).clock(clock).build();
    private final List<ResourceUsage> heard = new ArrayList<>();

    /** Aggregated and settled only when a test asks (the thread's interval is a minute). */
    private MonitorRegistry.Builder registry() {
        return MonitorRegistry.builder().clock(clock).aggregationInterval(Duration.ofMinutes(1));
    }

    /** A monitor whose windows stay open through a test. */
    private static ModelMonitor monitor(MonitorRegistry registry, String name) {
        return ModelMonitor.builder(name).noWindowDuration().windowMaxRecords(1_000).register(registry);
    }

    private void listen(MonitorRegistry registry) {
        registry.addObserver(new MonitorObserver() {
            @Override
            public void onCost(ModelMonitor monitor, ResourceUsage used, Cost cost, double emissionsGrams) {
                heard.add(used);
            }
        });
    }

    private void busyGpu(double powerWatts) {
        gpus.set(new GpuSample(gpus.devices().get(0), 1.0, 1L << 30, 80L << 30, powerWatts, Double.NaN, 60,
                List.of()));
        sampler.sample();
    }

    private static AttributionTotals totals(MonitorRegistry registry) {
        return registry.attribution().orElseThrow().totals();
    }

    @Test
    void identicalCallsGetIdenticalInstanceTimeWhateverTheCycleTimingAndTheRestIsIdle() {
        try (MonitorRegistry registry = registry().attributionLateness(Duration.ZERO).costModel(PER_SECOND)
                .build()) {
            listen(registry);
            ModelMonitor monitor = monitor(registry, "m");
            clock.advance(Duration.ofMillis(10));
            monitor.record(monitor.newInference().latency(Duration.ofMillis(10))); // alone in a 100 ms cycle
            clock.advance(Duration.ofMillis(90));
            monitor.flush();
            registry.accounting().cycle(clock.nanoTime());
            clock.advance(Duration.ofMillis(10));
            monitor.record(monitor.newInference().latency(Duration.ofMillis(10))); // the cycle runs at its end
            monitor.flush();
            registry.accounting().cycle(clock.nanoTime());
            clock.advance(Duration.ofMillis(90));
            registry.accounting().cycle(clock.nanoTime());

            assertThat(heard).extracting(ResourceUsage::instanceSeconds).containsExactly(0.01, 0.01);
            AttributionTotals totals = totals(registry);
            assertThat(totals.measured().instanceSeconds()).isCloseTo(0.2, within(1e-12));
            assertThat(totals.idle().instanceSeconds()).isCloseTo(0.18, within(1e-12));
            assertThat(totals.idleCost().instance()).isCloseTo(0.18, within(1e-12));
            assertThat(registry.idleCost()).hasValueCloseTo(0.18, within(1e-12));
        }
    }

    /** A 120 s call on a fully busy GPU, recorded when it ends, as every call is. */
    private AttributionTotals longCall(Duration lateness) {
        try (MonitorRegistry registry = registry().gpu(sampler).costModel(PER_SECOND).attributionLateness(lateness)
                .build()) {
            listen(registry);
            ModelMonitor llm = monitor(registry, "chat");
            for (int second = 0; second <= 120; second++) {
                busyGpu(700);
                if (second == 120) {
                    llm.record(llm.newInference().latency(Duration.ofSeconds(120)));
                    llm.flush();
                }
                registry.accounting().cycle(clock.nanoTime());
                if (second < 120) {
                    clock.advance(Duration.ofSeconds(1));
                }
            }
            registry.close();
            return totals(registry);
        }
    }

    @Test
    void aCallLongerThanTheLatenessLosesItsEarlySharesVisibly() {
        AttributionTotals totals = longCall(Duration.ofSeconds(61));

        // When it ended, [0 s, 58 s) had been settled (at 119 s, watermark 119 - 61): idle, since nothing ran.
        assertThat(heard).singleElement().satisfies(used -> assertThat(used.gpuSeconds()).isEqualTo(62.0));
        assertThat(totals.lateRequests()).isEqualTo(1);
        assertThat(totals.idle().gpuSeconds()).isEqualTo(58.0);
        assertThat(totals.idleCost().gpu()).isCloseTo(58.0, within(1e-9));
        assertThat(totals.measured().gpuSeconds()).isEqualTo(120.0);
    }

    @Test
    void aLatenessAboveTheLongestCallAttributesAllOfIt() {
        AttributionTotals totals = longCall(Duration.ofMinutes(3));

        assertThat(heard).singleElement().satisfies(used -> {
            assertThat(used.gpuSeconds()).isEqualTo(120.0);
            assertThat(used.instanceSeconds()).isEqualTo(120.0);
        });
        assertThat(totals.lateRequests()).isZero();
        assertThat(totals.idle().gpuSeconds()).isZero();
    }

    @Test
    void theSnapshotShowsTheLatenessAndIdleAmountsWithoutARegistryCostModel() {
        try (MonitorRegistry registry = registry().build()) {
            assertThat(registry.attribution()).isEmpty();
            ModelMonitor monitor = ModelMonitor.builder("m").costModel(CostModel.builder().perCall(1).build())
                    .register(registry);
            clock.advance(Duration.ofSeconds(4));
            monitor.record(monitor.newInference().latency(Duration.ofSeconds(1)));
            monitor.flush();
            registry.accounting().cycle(clock.nanoTime());

            AttributionSnapshot snapshot = registry.attribution().orElseThrow();
            assertThat(snapshot.lateness()).isEqualTo(Duration.ofSeconds(10));
            assertThat(snapshot.maxPendingCalls()).isEqualTo(100_000);
            assertThat(snapshot.totals().pendingRequests()).isEqualTo(1);
            registry.close();
            AttributionTotals totals = totals(registry);
            assertThat(totals.idle().instanceSeconds()).isEqualTo(3.0);
            assertThat(totals.attributed().instanceSeconds()).isEqualTo(1.0);
            assertThat(totals.idleCost().total()).isZero(); // the registry has no prices for idle time
            assertThat(totals.pendingRequests()).isZero();
        }
    }

    @Test
    void theCapOnPendingCallsIsSetInTheBuilderAndCallsSettledEarlyAreCounted() {
        try (MonitorRegistry registry = registry().costModel(PER_SECOND).maxPendingCalls(2).build()) {
            ModelMonitor monitor = monitor(registry, "m");
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofSeconds(1));
                monitor.record(monitor.newInference().latency(Duration.ofMillis(500)));
            }
            monitor.flush();
            registry.accounting().cycle(clock.nanoTime());

            AttributionSnapshot snapshot = registry.attribution().orElseThrow();
            assertThat(snapshot.maxPendingCalls()).isEqualTo(2);
            assertThat(snapshot.totals().forcedRequests()).isEqualTo(3);
            assertThat(snapshot.totals().pendingRequests()).isEqualTo(2);
        }
        assertThatIllegalArgumentException().isThrownBy(() -> registry().maxPendingCalls(0))
                .withMessage("maxPendingCalls must be >= 1, was 0");
    }

    @Test
    void aLatenessShorterThanTheGpuIntervalPlusTheAggregationIntervalIsRejected() {
        GpuSampler everySecond = GpuSampler.builder().reader(gpus).clock(clock).build();
        MonitorRegistry.Builder builder = MonitorRegistry.builder().gpu(everySecond)
                .aggregationInterval(Duration.ofMillis(100)).attributionLateness(Duration.ofSeconds(1));

        assertThatIllegalArgumentException().isThrownBy(builder::build).withMessage("attributionLateness PT1S is"
                + " shorter than the GPU sampler's interval (PT1S) plus the aggregation interval (PT0.1S): calls"
                + " would be settled before the GPU intervals they ran in arrive, and their GPU time charged to idle."
                + " Set attributionLateness to at least PT1.1S, and above the longest call");
        builder.attributionLateness(Duration.ofMillis(1_100)).build().close();
    }

    @Test
    void theDefaultLatenessCoversASlowGpuSamplerAndAggregator() {
        try (MonitorRegistry registry = registry().gpu(sampler).costModel(PER_SECOND).build()) {
            ModelMonitor.builder("m").register(registry);

            assertThat(registry.attribution().orElseThrow().lateness()).isEqualTo(Duration.ofSeconds(61));
        }
    }

    @Test
    void aNegativePowerReadingLeavesTheGpuTimeAttributedAndTheEnergyUnmeasured() {
        try (MonitorRegistry registry = registry().gpu(sampler).costModel(PER_SECOND)
                .attributionLateness(Duration.ofSeconds(61)).build()) {
            listen(registry);
            ModelMonitor monitor = monitor(registry, "m");
            busyGpu(-5);
            clock.advance(Duration.ofSeconds(1));
            busyGpu(-5);
            clock.advance(Duration.ofSeconds(1));
            busyGpu(-5); // two intervals drained in one cycle
            monitor.record(monitor.newInference().latency(Duration.ofSeconds(2)));
            monitor.flush();
            registry.accounting().cycle(clock.nanoTime());
            registry.close();

            assertThat(heard).singleElement().satisfies(used -> {
                assertThat(used.gpuSeconds()).isEqualTo(2.0);
                assertThat(used.gpuEnergyJoules()).isZero();
            });
            assertThat(registry.attribution().orElseThrow().failures()).isZero();
        }
    }

    @Test
    void aMonitorFailingToTakeItsCostsCostsNoOtherCallItsOwnAndIsCounted() {
        try (MonitorRegistry registry = registry().attributionLateness(Duration.ZERO).costModel(PER_SECOND)
                .build()) {
            List<String> told = new ArrayList<>();
            registry.addObserver(new MonitorObserver() {
                @Override
                public void onCost(ModelMonitor monitor, ResourceUsage used, Cost cost, double emissionsGrams) {
                    if (monitor.name().equals("broken")) {
                        throw new NoClassDefFoundError("io/exporter/Missing"); // an Error: not an observer failure
                    }
                    told.add(monitor.name());
                }
            });
            ModelMonitor broken = monitor(registry, "broken");
            ModelMonitor fine = monitor(registry, "fine");
            for (int cycle = 0; cycle < 2; cycle++) {
                clock.advance(Duration.ofSeconds(1));
                broken.record(broken.newInference().latency(Duration.ofMillis(100)));
                broken.flush();
                fine.record(fine.newInference().latency(Duration.ofMillis(100)));
                fine.flush();
                registry.accounting().cycle(clock.nanoTime());
            }

            assertThat(told).containsExactly("fine", "fine");
            assertThat(registry.attribution().orElseThrow().failures()).isEqualTo(2);
        }
    }

    @Test
    void aCycleAfterTheRegistryClosedChangesNothing() {
        MonitorRegistry registry = registry().costModel(PER_SECOND).build();
        listen(registry);
        ModelMonitor monitor = ModelMonitor.builder("m").register(registry);
        clock.advance(Duration.ofSeconds(1));
        monitor.record(monitor.newInference().latency(Duration.ofMillis(100)));
        registry.close();
        AttributionSnapshot closed = registry.attribution().orElseThrow();

        // An aggregation thread that outlived close()'s join runs its cycle now.
        clock.advance(Duration.ofSeconds(5));
        registry.accounting().cycle(clock.nanoTime());

        assertThat(registry.attribution()).contains(closed);
        assertThat(heard).hasSize(1);
    }
}
