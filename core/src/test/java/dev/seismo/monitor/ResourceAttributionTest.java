package dev.seismo.monitor;

import dev.seismo.cost.BudgetEvent;
import dev.seismo.cost.Cost;
import dev.seismo.cost.CostBudget;
import dev.seismo.cost.CostModel;
import dev.seismo.cost.ResourceUsage;
import dev.seismo.profile.NumericProfile;
import dev.seismo.profile.Profile;
import dev.seismo.resource.GpuSample;
import dev.seismo.resource.GpuSampler;
import dev.seismo.resource.InMemoryGpuReader;
import dev.seismo.resource.ThreadCpuTime;
import dev.seismo.schema.Role;
import dev.seismo.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ResourceAttributionTest {

    /** 0.001 per second of instance, 0.002 per GPU-busy second, 0.01 per call, 1 and 2 per million tokens. */
    private static final CostModel PRICES = CostModel.builder().currency("EUR").instancePerHour(3.6)
            .gpuPerHour(7.2).perCall(0.01).inputPerMillionTokens(1).outputPerMillionTokens(2)
            .energyPerKwh(0.36).carbonGramsPerKwh(360).build();

    /** The least lateness the GPU sampler's 1 s interval and the 1 min aggregation interval allow. */
    private static final Duration LATENESS = Duration.ofSeconds(61);

    private final ManualClock clock = ManualClock.create();
    private final InMemoryGpuReader gpus = InMemoryGpuReader.withDevices("H200");
    private final GpuSampler sampler = GpuSampler.builder().reader(gpus).clock(clock).build();
    /** Aggregated and settled only when a test asks: the registry's thread would drain at moments of its own. */
    private final MonitorRegistry registry = MonitorRegistry.builder().clock(clock).costModel(PRICES).gpu(sampler)
            .attributionLateness(LATENESS).aggregationInterval(Duration.ofMinutes(1)).build();
    private final List<Cost> costs = new ArrayList<>();
    private final List<ResourceUsage> resources = new ArrayList<>();

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    /** Cycles now, and again once the lateness has passed, so that everything recorded so far is settled. */
    private void settle(MonitorRegistry r) {
        r.accounting().cycle(clock.nanoTime());
        clock.advance(LATENESS);
        r.accounting().cycle(clock.nanoTime());
    }

    private void gpu(double utilization, double joules) {
        gpus.set(new GpuSample(gpus.devices().get(0), utilization, 1L << 30, 80L << 30, 500, joules, 60,
                List.of()));
        sampler.sample();
    }

    @Test
    void measuredResourcesAreSharedAmongTheCallsAndEveryCallIsPricedWithTotalsConserved() {
        registry.addObserver(new MonitorObserver() {
            @Override
            public void onCost(ModelMonitor monitor, ResourceUsage used, Cost cost, double emissionsGrams) {
                costs.add(cost);
                resources.add(used);
            }
        });
        ModelMonitor monitor = ModelMonitor.builder("llm").noWindowDuration().windowMaxRecords(1_000)
                .register(registry);
        gpu(0.5, 1_000);
        clock.advance(Duration.ofSeconds(1));
        monitor.record(monitor.newInference().latency(Duration.ofSeconds(1)).usage(1_000, 500)); // [0 s, 1 s)
        clock.advance(Duration.ofSeconds(1));
        monitor.record(monitor.newInference().latency(Duration.ofMillis(500))); // [1.5 s, 2 s)
        gpu(0.5, 1_360); // 1 busy second and 360 J over [0 s, 2 s)
        monitor.flush();
        settle(registry);

        // Instance time is each call's own time (they never run together; [1 s, 1.5 s) is idle). Over the GPU's
        // [0 s, 2 s) the calls overlap 1 s and 0.5 s: shares 2/3 and 1/3 of its busy time and energy.
        assertThat(costs).hasSize(2);
        assertThat(resources.get(0).instanceSeconds()).isEqualTo(1.0);
        assertThat(resources.get(1).instanceSeconds()).isEqualTo(0.5);
        assertThat(resources.get(0).gpuSeconds()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(resources.get(0).gpuEnergyJoules()).isCloseTo(240, within(1e-9));
        assertThat(costs.get(0).tokens()).isCloseTo(0.002, within(1e-12));
        assertThat(costs.get(0).currency()).isEqualTo("EUR");
        double measured = 1.5 * 0.001 + 1 * 0.002 + 360 / 3.6e6 * 0.36 + 2 * 0.01 + 0.002;
        assertThat(costs.stream().mapToDouble(Cost::total).sum()).isCloseTo(measured, within(1e-12));

        Profile window = monitor.snapshot().current().profile();
        NumericProfile cost = window.numeric(ModelMonitor.COST);
        assertThat(cost.feature().role()).isEqualTo(Role.RESOURCE);
        assertThat(cost.count()).isEqualTo(2);
        assertThat(cost.mean() * cost.count()).isCloseTo(measured, within(1e-12));
        assertThat(window.numeric(ModelMonitor.EMISSIONS).mean() * 2).isCloseTo(360 / 3.6e6 * 360, within(1e-12));
        assertThat(window.numeric(ModelMonitor.COST).missing()).isZero();
    }

    @Test
    void onlyTheSelectedGpusBusyTimeAndEnergyAreAttributed() {
        InMemoryGpuReader host = InMemoryGpuReader.withDevices("H200", "H200");
        GpuSampler ours = GpuSampler.builder().reader(host).clock(clock).devices("GPU-in-memory-1").build();
        MonitorRegistry shared = MonitorRegistry.builder().clock(clock).costModel(PRICES).gpu(ours)
                .attributionLateness(LATENESS).aggregationInterval(Duration.ofMinutes(1)).build();
        try {
            shared.addObserver(new MonitorObserver() {
                @Override
                public void onCost(ModelMonitor monitor, ResourceUsage used, Cost cost, double emissionsGrams) {
                    resources.add(used);
                }
            });
            ModelMonitor monitor = ModelMonitor.builder("llm").register(shared);
            // GPU 0 runs another service's work at full tilt; GPU 1, ours, is half busy.
            host.set(new GpuSample(host.devices().get(0), 1.0, 1L << 30, 80L << 30, 690, 50_000, 70, List.of()));
            host.set(new GpuSample(host.devices().get(1), 0.5, 1L << 30, 80L << 30, 300, 1_000, 60, List.of()));
            ours.sample();
            clock.advance(Duration.ofSeconds(2));
            monitor.record(monitor.newInference().latency(Duration.ofSeconds(2)));
            host.set(new GpuSample(host.devices().get(0), 1.0, 1L << 30, 80L << 30, 690, 51_380, 70, List.of()));
            host.set(new GpuSample(host.devices().get(1), 0.5, 1L << 30, 80L << 30, 300, 1_600, 60, List.of()));
            ours.sample();
            monitor.flush();
            settle(shared);

            assertThat(resources).singleElement().satisfies(used -> {
                assertThat(used.gpuSeconds()).isCloseTo(1.0, within(1e-9));
                assertThat(used.gpuEnergyJoules()).isCloseTo(600, within(1e-9));
            });
            assertThat(host.reads(0)).isZero();
        } finally {
            shared.close();
        }
    }

    @Test
    void aBudgetHearsOnceWhenAWindowCostsTooMuchAndOnceWhenBackUnder() {
        // No hardware prices, so a window costs exactly its calls.
        MonitorRegistry callsOnly = MonitorRegistry.builder().clock(clock)
                .costModel(CostModel.builder().currency("EUR").build()).attributionLateness(Duration.ZERO)
                .aggregationInterval(Duration.ofMinutes(1)).build();
        List<BudgetEvent> events = new ArrayList<>();
        try {
            ModelMonitor monitor = ModelMonitor.builder("llm").noWindowDuration().windowMaxRecords(2)
                    .costModel(CostModel.builder().currency("EUR").perCall(0.01).build())
                    .budget(CostBudget.builder().maxCostPerWindow(0.015).listener(events::add).build())
                    .register(callsOnly);
            for (int window = 0; window < 3; window++) {
                clock.advance(Duration.ofSeconds(1));
                monitor.record(monitor.newInference().latency(1_000));
                monitor.record(monitor.newInference().latency(1_000));
                monitor.flush();
                callsOnly.accounting().cycle(clock.nanoTime());
            }
            monitor.record(monitor.newInference().latency(1_000)); // closes the third window
            monitor.flush();

            assertThat(events).extracting(BudgetEvent::type).containsExactly(BudgetEvent.Type.EXCEEDED);
            assertThat(events.get(0).observed()).isCloseTo(0.02, within(1e-12));
        } finally {
            callsOnly.close();
        }
    }

    @Test
    void perThreadCpuTimeIsMeasuredAroundScopesWithoutACostModel() {
        MonitorRegistry plain = MonitorRegistry.create();
        try {
            ModelMonitor monitor = ModelMonitor.builder("cpu").cpuTime(ThreadCpuTime.everyCall()).register(plain);
            try (Inference call = monitor.start()) {
                long sink = 0;
                for (int i = 0; i < 5_000_000; i++) {
                    sink += i * 31L ^ sink;
                }
                call.set("unused", sink);
            }

            NumericProfile cpu = monitor.snapshot().current().profile().numeric(ModelMonitor.CPU_TIME);
            assertThat(cpu.count()).isEqualTo(1);
            assertThat(cpu.mean()).isPositive().isLessThan(10);
            assertThat(monitor.schema().find(ModelMonitor.COST)).isEmpty();
        } finally {
            plain.close();
        }
    }

    @Test
    void resourceSignalsCannotBeSetByTheCaller() {
        ModelMonitor monitor = ModelMonitor.builder("llm").numericFeature("x").register(registry);

        monitor.record(monitor.newInference().latency(1).set(ModelMonitor.COST, 99.0));

        MonitorSnapshot snapshot = monitor.snapshot();
        assertThat(snapshot.unknownNames()).isEqualTo(1);
        assertThat(snapshot.current().profile().numeric(ModelMonitor.COST).count()).isZero();
    }

    @Test
    void aBudgetWithoutACostModelIsAConfigurationError() {
        MonitorRegistry plain = MonitorRegistry.create();
        try {
            assertThatThrownBy(() -> ModelMonitor.builder("m")
                    .budget(CostBudget.builder().maxCostPerWindow(1).build()).register(plain))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("a budget needs a cost model");
        } finally {
            plain.close();
        }
    }
}
