package dev.seismo.monitor;

import dev.seismo.cost.BudgetEvent;
import dev.seismo.cost.Cost;
import dev.seismo.cost.CostBudget;
import dev.seismo.cost.CostModel;
import dev.seismo.cost.ResourceUsage;
import dev.seismo.profile.NumericProfile;
import dev.seismo.resource.GpuSample;
import dev.seismo.resource.GpuSampler;
import dev.seismo.resource.InMemoryGpuReader;
import dev.seismo.resource.ProcessCpuTime;
import dev.seismo.resource.ThreadCpuTime;
import dev.seismo.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

/** How monitors feed the registry's resource attribution: which calls are priced, with which prices, and where. */
class CostWiringTest {

    private final ManualClock clock = ManualClock.create();
    private final List<MonitorRegistry> registries = new ArrayList<>();
    /** What exporters hear through onCost; written by the aggregation thread and by flushing callers alike. */
    private final List<Heard> heard = Collections.synchronizedList(new ArrayList<>());

    private record Heard(String model, ResourceUsage resources, Cost cost, double emissionsGrams) {
    }

    @AfterEach
    void closeRegistries() {
        registries.forEach(MonitorRegistry::close);
    }

    /** A registry driven by the test: its thread waits a minute between cycles, the clock moves when told. */
    private MonitorRegistry registry(MonitorRegistry.Builder builder) {
        MonitorRegistry registry = builder.clock(clock).aggregationInterval(Duration.ofMinutes(1)).build();
        registry.addObserver(new MonitorObserver() {
            @Override
            public void onCost(ModelMonitor monitor, ResourceUsage resources, Cost cost, double emissionsGrams) {
                heard.add(new Heard(monitor.name(), resources, cost, emissionsGrams));
            }
        });
        registries.add(registry);
        return registry;
    }

    /**
     * With a GPU sampler the lateness must cover its interval plus the aggregation interval (1 s + 1 min here):
     * one cycle takes what was measured, the next, a lateness later, settles it.
     */
    private static final Duration GPU_LATENESS = Duration.ofSeconds(61);

    private void settle(MonitorRegistry registry) {
        registry.accounting().cycle(clock.nanoTime());
        clock.advance(GPU_LATENESS);
        registry.accounting().cycle(clock.nanoTime());
    }

    private static double total(NumericProfile p) {
        return p.count() == 0 ? 0 : p.mean() * p.count();
    }

    private static ModelMonitor.Builder countWindows(String name) {
        return ModelMonitor.builder(name).noWindowDuration().windowMaxRecords(1_000_000);
    }

    // ---- #1 overflow -------------------------------------------------------------------------------------------

    @Test
    void callsThatOverflowTheBufferArePricedForTheirTokensAndCallsAndCountedAsUnattributed() throws Exception {
        // Every call costs 5: 2 uncached input tokens at 1, 2 cached at 0.25, 1 output token at 2, and 0.5 per call.
        CostModel prices = CostModel.builder().inputPerMillionTokens(1e6).cachedInputPerMillionTokens(0.25e6)
                .outputPerMillionTokens(2e6).perCall(0.5).build();
        MonitorRegistry registry = registry(MonitorRegistry.builder().costModel(prices));
        ModelMonitor monitor = countWindows("llm").register(registry);
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        registry.addObserver(new MonitorObserver() {
            @Override
            public void onCalls(ModelMonitor m, long latencyNanos, String errorType, long count) {
                if (first.getAndSet(false)) { // holds a drain: the record buffer fills and calls overflow
                    blocked.countDown();
                    awaitQuietly(release);
                }
            }
        });
        Inference inference = monitor.newInference();
        monitor.record(inference.latency(1_000).usage(4, 1, 2));
        Thread drainer = new Thread(monitor::flush);
        drainer.start();
        blocked.await();
        for (int i = 0; i < 20_000; i++) {
            monitor.record(inference.latency(1_000).usage(4, 1, 2));
        }
        release.countDown();
        drainer.join();
        registry.close();

        MonitorSnapshot snapshot = monitor.snapshot();
        Window window = monitor.latestWindow().orElseThrow();
        NumericProfile cost = window.profile().numeric(ModelMonitor.COST);
        assertThat(window.calls().calls()).isEqualTo(20_001);
        assertThat(window.calls().shedRecords()).isPositive();
        assertThat(cost.count()).isEqualTo(20_001);
        assertThat(total(cost)).isCloseTo(5.0 * 20_001, within(1e-6));
        assertThat(cost.min()).isCloseTo(5.0, within(1e-12));
        assertThat(cost.max()).isCloseTo(5.0, within(1e-12));
        assertThat(snapshot.unattributedCalls()).isEqualTo(window.calls().shedRecords());
        // Exporters hear the overflowed calls as groups: their cost, and no resources or emissions (NaN: skipped).
        assertThat(heard.stream().mapToDouble(h -> h.cost().total()).sum()).isCloseTo(5.0 * 20_001, within(1e-6));
        List<Heard> groups = heard.stream().filter(h -> Double.isNaN(h.resources().instanceSeconds())).toList();
        assertThat(groups).isNotEmpty().allSatisfy(g -> {
            assertThat(g.emissionsGrams()).isNaN();
            assertThat(g.resources().gpuSeconds()).isNaN();
        });
        assertThat(groups.stream().mapToDouble(g -> g.cost().total()).sum())
                .isCloseTo(5.0 * snapshot.unattributedCalls(), within(1e-6));
    }

    // ---- #2 CPU time -------------------------------------------------------------------------------------------

    @Test
    void callsWhoseCpuTimeWasNotMeasuredGetNoCpuValueOnceProcessCpuIsNotSpread() {
        MonitorRegistry registry = registry(MonitorRegistry.builder()
                .costModel(CostModel.builder().perCall(1).build()).attributionLateness(Duration.ZERO));
        ModelMonitor sampled = countWindows("sampled").cpuTime(ThreadCpuTime.sampled(Integer.MAX_VALUE))
                .register(registry);
        ModelMonitor plain = countWindows("plain").register(registry);
        assumeThat(ThreadCpuTime.everyCall().isSupported()).isTrue();
        for (int i = 0; i < 10; i++) {
            try (Inference call = sampled.start()) {
                call.latency(1_000);
            }
            plain.record(plain.newInference().latency(1_000));
        }
        clock.advance(Duration.ofSeconds(1));
        sampled.flush();
        plain.flush();
        registry.accounting().cycle(clock.nanoTime());

        // Neither monitor's calls were measured, and process CPU time is not spread (it would count twice).
        assertThat(sampled.snapshot().current().profile().numeric(ModelMonitor.CPU_TIME).count()).isZero();
        assertThat(plain.snapshot().current().profile().numeric(ModelMonitor.CPU_TIME).count()).isZero();
        assertThat(plain.snapshot().current().profile().numeric(ModelMonitor.COST).count()).isEqualTo(10);
        assertThat(heard).hasSize(20).allSatisfy(h -> assertThat(h.resources().cpuSeconds()).isNaN());
    }

    @Test
    void aSampledCallsCpuTimeIsItsOwnInTheProfileAndStandsForNCallsForExporters() {
        MonitorRegistry registry = registry(MonitorRegistry.builder()
                .costModel(CostModel.builder().perCall(1).build()).attributionLateness(Duration.ZERO));
        ModelMonitor monitor = countWindows("sampled").cpuTime(ThreadCpuTime.sampled(2)).register(registry);
        assumeThat(ThreadCpuTime.everyCall().isSupported()).isTrue();
        long sink = 0;
        for (int i = 0; i < 200; i++) {
            try (Inference call = monitor.start()) {
                for (int k = 0; k < 20_000; k++) {
                    sink += k * 31L ^ sink;
                }
                call.latency(1_000);
            }
        }
        clock.advance(Duration.ofSeconds(1));
        monitor.flush();
        registry.accounting().cycle(clock.nanoTime());

        NumericProfile cpu = monitor.snapshot().current().profile().numeric(ModelMonitor.CPU_TIME);
        List<Heard> measured = heard.stream().filter(h -> !Double.isNaN(h.resources().cpuSeconds())).toList();
        assertThat(sink).isNotZero();
        assertThat(cpu.count()).as("1 call in 2 measured, at random").isBetween(1L, 199L);
        assertThat(measured).hasSize((int) cpu.count());
        assertThat(measured.stream().mapToDouble(h -> h.resources().cpuSeconds()).sum())
                .isCloseTo(2 * total(cpu), within(1e-9));
    }

    @Test
    void aRejectedRegistrationDoesNotStopProcessCpuBeingSpread() {
        assumeThat(ProcessCpuTime.create(clock).isAvailable()).isTrue();
        MonitorRegistry registry = registry(MonitorRegistry.builder()
                .costModel(CostModel.builder().perCall(1).build()));
        countWindows("m").register(registry);

        assertThatThrownBy(() -> countWindows("m").cpuTime(ThreadCpuTime.everyCall()).register(registry))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already registered");
        assertThat(registry.accounting().spreadsProcessCpu()).isTrue();
    }

    // ---- #3 windows that hold only settled cost ----------------------------------------------------------------

    /** A 1-minute window with one call at 55 s, not yet settled; the clock then moves to 61 s. */
    private ModelMonitor oneCallLateInTheFirstMinute(MonitorRegistry registry) {
        ModelMonitor monitor = ModelMonitor.builder("m").windowDuration(Duration.ofMinutes(1)).register(registry);
        clock.advance(Duration.ofSeconds(55));
        monitor.record(monitor.newInference().latency(Duration.ofMillis(10)));
        monitor.flush();
        registry.accounting().cycle(clock.nanoTime()); // within the 10 s lateness: not settled yet
        clock.advance(Duration.ofSeconds(6));
        return monitor;
    }

    @Test
    void costSettledAfterTheLastWindowWithCallsClosedIsInTheWindowClosedAtShutdown() {
        MonitorRegistry registry = registry(MonitorRegistry.builder().costModel(CostModel.builder().perCall(1).build()));
        ModelMonitor monitor = oneCallLateInTheFirstMinute(registry);
        monitor.flush(); // closes the first window: its call, no cost yet
        registry.close(); // settles the call into the second window, which has no calls

        Window last = monitor.latestWindow().orElseThrow();
        assertThat(last.sequence()).isEqualTo(1);
        assertThat(last.calls().calls()).isZero();
        assertThat(last.closeReason()).hasValue(Window.CloseReason.SHUTDOWN);
        assertThat(total(last.profile().numeric(ModelMonitor.COST))).isEqualTo(1.0);
    }

    @Test
    void aWindowHoldingOnlySettledCostClosesAtRotation() {
        MonitorRegistry registry = registry(MonitorRegistry.builder().costModel(CostModel.builder().perCall(1).build()));
        ModelMonitor monitor = oneCallLateInTheFirstMinute(registry);
        monitor.flush(); // the first window closes with the call
        clock.advance(Duration.ofSeconds(10));
        registry.accounting().cycle(clock.nanoTime()); // the cost settles into the second window
        clock.advance(Duration.ofMinutes(1));
        monitor.flush();

        Window second = monitor.latestWindow().orElseThrow();
        assertThat(second.sequence()).isEqualTo(1);
        assertThat(second.closeReason()).hasValue(Window.CloseReason.DURATION);
        assertThat(total(second.profile().numeric(ModelMonitor.COST))).isEqualTo(1.0);
    }

    @Test
    void aWindowHoldingOnlyLateCostsLeavesDriftAsItWas() {
        MonitorRegistry registry = registry(MonitorRegistry.builder().costModel(CostModel.builder().perCall(1).build()));
        List<DriftEvent> events = new ArrayList<>();
        ModelMonitor monitor = ModelMonitor.builder("m").numericFeature("x").windowDuration(Duration.ofSeconds(30))
                .bootstrapReference(1).driftListener(events::add).register(registry);
        SplittableRandom random = new SplittableRandom(1);
        for (int window = 0; window < 3; window++) { // the reference, the same, then x shifted by 3 sd
            clock.advance(Duration.ofSeconds(29));
            for (int i = 0; i < 500; i++) {
                try (Inference call = monitor.start()) {
                    call.set("x", random.nextGaussian() + (window == 2 ? 3 : 0));
                }
            }
            monitor.flush();
            registry.accounting().cycle(clock.nanoTime());
            clock.advance(Duration.ofSeconds(1));
        }
        clock.advance(Duration.ofSeconds(15)); // traffic stops; the last calls' costs settle into a window of none
        monitor.flush();
        registry.accounting().cycle(clock.nanoTime());
        clock.advance(Duration.ofSeconds(40));
        monitor.flush();

        Window costOnly = monitor.latestWindow().orElseThrow();
        assertThat(costOnly.sequence()).isEqualTo(3);
        assertThat(costOnly.calls().calls()).isZero();
        assertThat(total(costOnly.profile().numeric(ModelMonitor.COST))).isEqualTo(500);
        assertThat(costOnly.drift()).isEmpty();
        assertThat(events).extracting(e -> e.change() + " " + e.feature() + " " + e.window().sequence())
                .containsExactly("STARTED x 2", "STARTED null 2");
    }

    @Test
    void aListenerClosingTheRegistryWhileCostsAreHandedOutDoesNotDeadlock() throws InterruptedException {
        MonitorRegistry registry = registry(MonitorRegistry.builder().costModel(CostModel.builder().perCall(1).build())
                .attributionLateness(Duration.ZERO));
        AtomicBoolean armed = new AtomicBoolean();
        CountDownLatch handingOut = new CountDownLatch(1);
        CountDownLatch inListener = new CountDownLatch(1);
        ModelMonitor first = countWindows("first").register(registry);
        ModelMonitor closer = ModelMonitor.builder("closer").windowDuration(Duration.ofMinutes(1)).listener((m, w) -> {
            if (armed.get()) {
                inListener.countDown();
                awaitQuietly(handingOut);
                LockSupport.parkNanos(Duration.ofMillis(300).toNanos()); // the cycle reaches this monitor meanwhile
                registry.close();
            }
        }).register(registry);
        registry.addObserver(new MonitorObserver() {
            @Override
            public void onCost(ModelMonitor monitor, ResourceUsage resources, Cost cost, double emissionsGrams) {
                if (armed.get() && monitor == first) {
                    handingOut.countDown();
                    awaitQuietly(inListener);
                }
            }
        });
        for (ModelMonitor m : List.of(first, closer)) {
            m.record(m.newInference().latency(1_000));
            m.flush();
        }
        clock.advance(Duration.ofMinutes(2));
        armed.set(true);
        // The cycle hands out costs (holding the registry's settling) while the closer's window listener, holding
        // the closer's lock, closes the registry (which waits for the settling to finish).
        Thread cycle = new Thread(() -> registry.accounting().cycle(clock.nanoTime()), "cycle");
        Thread user = new Thread(closer::flush, "user");
        cycle.setDaemon(true);
        user.setDaemon(true);
        cycle.start();
        user.start();
        user.join(Duration.ofSeconds(30).toMillis());
        cycle.join(Duration.ofSeconds(5).toMillis());
        registry.close(); // returns once the close the listener started is done

        assertThat(user.isAlive() || cycle.isAlive()).as("deadlocked").isFalse();
        assertThat(closer.snapshot().closed()).extracting(w -> total(w.profile().numeric(ModelMonitor.COST)))
                .containsExactly(0.0, 1.0); // the call's window, then the one its late cost settled into
    }

    // ---- #4 per-1000-requests budget ---------------------------------------------------------------------------

    @Test
    void aPerThousandBudgetDividesAWindowsCostByTheCallsPricedInIt() {
        MonitorRegistry registry = registry(MonitorRegistry.builder().costModel(CostModel.free()));
        List<BudgetEvent> cheapEvents = new ArrayList<>();
        List<BudgetEvent> dearEvents = new ArrayList<>();
        // Every call of "cheap" costs 1.0 per 1000 calls, of "dear" 2.0; both limits are 1.5.
        ModelMonitor cheap = ModelMonitor.builder("cheap").costModel(CostModel.builder().perCall(0.001).build())
                .budget(CostBudget.builder().maxCostPer1000Requests(1.5).listener(cheapEvents::add).build())
                .register(registry);
        ModelMonitor dear = ModelMonitor.builder("dear").costModel(CostModel.builder().perCall(0.002).build())
                .budget(CostBudget.builder().maxCostPer1000Requests(1.5).listener(dearEvents::add).build())
                .register(registry);
        clock.advance(Duration.ofSeconds(55));
        for (ModelMonitor m : List.of(cheap, dear)) {
            for (int i = 0; i < 100; i++) { // fewer than half a stripe: the registry's thread is not woken
                m.record(m.newInference().latency(Duration.ofMillis(10)));
            }
            m.flush();
        }
        registry.accounting().cycle(clock.nanoTime()); // within the 10 s lateness: not settled yet
        clock.advance(Duration.ofSeconds(6)); // the first windows close with 100 calls each, none priced yet
        cheap.flush();
        dear.flush();
        clock.advance(Duration.ofSeconds(10));
        registry.accounting().cycle(clock.nanoTime()); // the 100 calls are priced into the second windows
        for (ModelMonitor m : List.of(cheap, dear)) {
            for (int i = 0; i < 10; i++) {
                m.record(m.newInference().latency(Duration.ofMillis(10)));
            }
            m.flush();
        }
        clock.advance(Duration.ofMinutes(1));
        cheap.flush(); // the second windows close: 10 calls recorded, 100 priced
        dear.flush();

        assertThat(cheap.latestWindow().orElseThrow().calls().calls()).isEqualTo(10);
        assertThat(cheapEvents).isEmpty();
        assertThat(dearEvents).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(BudgetEvent.Type.EXCEEDED);
            assertThat(e.observed()).isCloseTo(2.0, within(1e-9));
            assertThat(e.requests()).isEqualTo(100);
        });
    }

    // ---- #5 every monitor joins the attribution ----------------------------------------------------------------

    @Test
    void aMonitorWithoutPricesTakesItsShareOfTheGpuSoThePricedOneIsNotChargedForIt() {
        InMemoryGpuReader gpus = InMemoryGpuReader.withDevices("H200");
        GpuSampler sampler = GpuSampler.builder().reader(gpus).clock(clock).build();
        MonitorRegistry registry = registry(MonitorRegistry.builder().gpu(sampler)
                .attributionLateness(GPU_LATENESS));
        // Registered first: with a GPU sampler the registry attributes from its build on, not from a priced monitor.
        ModelMonitor unpriced = countWindows("unpriced").register(registry);
        ModelMonitor priced = countWindows("priced").costModel(CostModel.builder().gpuPerHour(3600).build())
                .register(registry);
        gpus.set(new GpuSample(gpus.devices().get(0), 1.0, 1, 2, 500, 0, 60, List.of()));
        sampler.sample();
        clock.advance(Duration.ofSeconds(1));
        priced.record(priced.newInference().latency(Duration.ofSeconds(1)));
        unpriced.record(unpriced.newInference().latency(Duration.ofSeconds(1)));
        gpus.set(new GpuSample(gpus.devices().get(0), 1.0, 1, 2, 500, 100, 60, List.of()));
        sampler.sample(); // 100% busy over [0 s, 1 s), and both calls ran all of it
        priced.flush();
        unpriced.flush();
        settle(registry);

        assertThat(total(priced.snapshot().current().profile().numeric(ModelMonitor.COST)))
                .isCloseTo(0.5, within(1e-9));
        assertThat(unpriced.schema().find(ModelMonitor.COST)).isEmpty();
        assertThat(heard).filteredOn(h -> h.model().equals("unpriced")).singleElement().satisfies(h -> {
            assertThat(h.resources().gpuSeconds()).isCloseTo(0.5, within(1e-9));
            assertThat(h.cost().total()).isNaN(); // no prices: exporters add no cost for it
            assertThat(h.cost().currency()).isEqualTo("XXX");
            assertThat(h.emissionsGrams()).isNaN();
        });
    }

    @Test
    void withoutPricesOrGpusTheRegistryAttributesFromItsFirstPricedMonitorOn() {
        MonitorRegistry registry = registry(MonitorRegistry.builder().attributionLateness(Duration.ZERO));
        ModelMonitor early = countWindows("early").register(registry);
        assertThat(registry.accounting()).isNull();
        ModelMonitor priced = countWindows("priced").costModel(CostModel.builder().perCall(1).build())
                .register(registry);
        ModelMonitor late = countWindows("late").register(registry);
        for (ModelMonitor m : List.of(early, priced, late)) {
            m.record(m.newInference().latency(1_000));
            m.flush();
        }
        clock.advance(Duration.ofSeconds(1));
        registry.accounting().cycle(clock.nanoTime());

        assertThat(heard).extracting(Heard::model).containsExactlyInAnyOrder("priced", "late");
        assertThat(early.schema().find(ModelMonitor.CPU_TIME)).isEmpty();
        assertThat(late.schema().find(ModelMonitor.CPU_TIME)).isPresent();
    }

    @Test
    void aMonitorMeasuringThreadCpuBeforeTheAttributionBeganStillKeepsProcessCpuFromBeingSpread() {
        assumeThat(ThreadCpuTime.everyCall().isSupported()).isTrue();
        MonitorRegistry registry = registry(MonitorRegistry.builder().attributionLateness(Duration.ZERO));
        countWindows("early").cpuTime(ThreadCpuTime.everyCall()).register(registry); // not attributed, but measuring
        countWindows("priced").costModel(CostModel.builder().perCall(1).build()).register(registry);

        assertThat(registry.accounting().spreadsProcessCpu())
                .as("process CPU holds the early monitor's measured threads: spreading it would count them twice")
                .isFalse();
    }

    // ---- #6 layered prices -------------------------------------------------------------------------------------

    @Test
    void aMonitorsTokenPricesLayerOnTheRegistrysHardwarePrices() {
        InMemoryGpuReader gpus = InMemoryGpuReader.withDevices("H200");
        GpuSampler sampler = GpuSampler.builder().reader(gpus).clock(clock).build();
        MonitorRegistry registry = registry(MonitorRegistry.builder().gpu(sampler).attributionLateness(GPU_LATENESS)
                .costModel(CostModel.builder().currency("EUR").gpuPerHour(3600).perCall(100).build()));
        ModelMonitor llm = countWindows("chat")
                .costModel(CostModel.builder().currency("EUR").inputPerMillionTokens(1e6).build())
                .register(registry);
        gpus.set(new GpuSample(gpus.devices().get(0), 1.0, 1, 2, 500, 0, 60, List.of()));
        sampler.sample();
        clock.advance(Duration.ofSeconds(1));
        llm.record(llm.newInference().latency(Duration.ofSeconds(1)).usage(1, 0));
        gpus.set(new GpuSample(gpus.devices().get(0), 1.0, 1, 2, 500, 100, 60, List.of()));
        sampler.sample();
        llm.flush();
        settle(registry);

        // 1 token at 1 (the monitor's), 1 GPU-second at 1 (the registry's), no per-call price (the monitor's: 0).
        assertThat(heard).singleElement().satisfies(h -> {
            assertThat(h.cost().currency()).isEqualTo("EUR");
            assertThat(h.cost().tokens()).isCloseTo(1.0, within(1e-12));
            assertThat(h.cost().gpu()).isCloseTo(1.0, within(1e-9));
            assertThat(h.cost().calls()).isZero();
        });
        assertThat(total(llm.snapshot().current().profile().numeric(ModelMonitor.COST))).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void aMonitorsCostModelInAnotherCurrencyThanTheRegistrysIsRejected() {
        MonitorRegistry registry = registry(MonitorRegistry.builder()
                .costModel(CostModel.builder().currency("EUR").gpuPerHour(2).build()));

        assertThatThrownBy(() -> ModelMonitor.builder("chat")
                .costModel(CostModel.builder().inputPerMillionTokens(3).build()).register(registry))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the cost model of model 'chat' is in USD but the registry's is in EUR;"
                        + " set currency(\"EUR\") on the monitor's cost model");
        assertThat(registry.find("chat", ModelMonitor.Builder.DEFAULT_VERSION)).isEmpty();
    }

    @Test
    void aMonitorsCostModelWithOtherHardwarePricesThanTheRegistrysIsRejected() {
        CostModel hardware = CostModel.builder().gpuPerHour(2).build();
        MonitorRegistry registry = registry(MonitorRegistry.builder().costModel(hardware));

        assertThatThrownBy(() -> ModelMonitor.builder("chat")
                .costModel(CostModel.builder().inputPerMillionTokens(3).instancePerHour(1).build())
                .register(registry))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sets hardware prices")
                .hasMessageContaining("set them on the registry's cost model");
        // The same prices on both (one price file for all) do not conflict.
        assertThat(ModelMonitor.builder("same").costModel(hardware).register(registry).schema()
                .find(ModelMonitor.COST)).isPresent();
    }

    @Test
    void withoutARegistryCostModelTheMonitorsModelPricesEverythingAndIdleTimeIsFree() {
        InMemoryGpuReader gpus = InMemoryGpuReader.withDevices("H200");
        GpuSampler sampler = GpuSampler.builder().reader(gpus).clock(clock).build();
        MonitorRegistry registry = registry(MonitorRegistry.builder().gpu(sampler).attributionLateness(GPU_LATENESS));
        ModelMonitor monitor = countWindows("m").costModel(CostModel.builder().gpuPerHour(3600).build())
                .register(registry);
        gpus.set(new GpuSample(gpus.devices().get(0), 1.0, 1, 2, 500, 0, 60, List.of()));
        sampler.sample();
        clock.advance(Duration.ofSeconds(1));
        gpus.set(new GpuSample(gpus.devices().get(0), 1.0, 1, 2, 500, 100, 60, List.of()));
        sampler.sample(); // [0 s, 1 s): busy, no call, so idle
        clock.advance(Duration.ofSeconds(1));
        monitor.record(monitor.newInference().latency(Duration.ofSeconds(1))); // [1 s, 2 s)
        gpus.set(new GpuSample(gpus.devices().get(0), 1.0, 1, 2, 500, 200, 60, List.of()));
        sampler.sample();
        monitor.flush();
        settle(registry);

        assertThat(heard).singleElement().satisfies(h -> assertThat(h.cost().gpu()).isCloseTo(1.0, within(1e-9)));
        assertThat(registry.idleCost()).hasValue(0.0);
    }

    // ---- #9 cached input tokens --------------------------------------------------------------------------------

    @Test
    void cachedInputTokensArePricedAtTheCachedPrice() {
        MonitorRegistry registry = registry(MonitorRegistry.builder().attributionLateness(Duration.ZERO)
                .costModel(CostModel.builder().inputPerMillionTokens(1e6).cachedInputPerMillionTokens(0.1e6)
                        .outputPerMillionTokens(2e6).build()));
        ModelMonitor monitor = countWindows("llm").register(registry);
        monitor.record(monitor.newInference().latency(1_000).usage(100, 10, 60)); // 40 + 6 + 20
        try (Inference scope = monitor.start()) {
            scope.usage(10, 0, 10); // all cached: 1
        }
        monitor.flush();
        clock.advance(Duration.ofSeconds(1));
        registry.accounting().cycle(clock.nanoTime());

        assertThat(heard).extracting(h -> h.cost().tokens())
                .containsExactly(66.0, 1.0);
        assertThat(monitor.snapshot().invalidUsage()).isZero();
    }

    @Test
    void invalidTokenCountsAreCountedAndRecordedCorrectedNeverThrown() {
        MonitorRegistry registry = registry(MonitorRegistry.builder().attributionLateness(Duration.ZERO)
                .costModel(CostModel.builder().inputPerMillionTokens(1e6).cachedInputPerMillionTokens(0.1e6)
                        .outputPerMillionTokens(2e6).build()));
        ModelMonitor monitor = countWindows("llm").register(registry);
        Inference inference = monitor.newInference();
        monitor.record(inference.latency(1_000).usage(10, 1, 11));  // more cached than input: none cached, 12
        monitor.record(inference.latency(1_000).usage(10, 1, -1));  // negative cached: none cached, 12
        monitor.record(inference.latency(1_000).usage(-5, 1));      // negative input: 0 input, 2
        monitor.record(inference.latency(1_000).usage(10, 1, 10));  // valid: 1 + 2
        monitor.flush();
        clock.advance(Duration.ofSeconds(1));
        registry.accounting().cycle(clock.nanoTime());

        assertThat(heard).extracting(h -> h.cost().tokens()).containsExactly(12.0, 12.0, 2.0, 3.0);
        MonitorSnapshot snapshot = monitor.snapshot();
        assertThat(snapshot.invalidUsage()).isEqualTo(3);
        assertThat(snapshot.current().calls().inputUnits()).isEqualTo(30);
    }

    // ---- budgets -----------------------------------------------------------------------------------------------

    @Test
    void aBudgetCannotBeSharedByTwoMonitors() {
        MonitorRegistry registry = registry(MonitorRegistry.builder().costModel(CostModel.free()));
        CostBudget budget = CostBudget.builder().maxCostPerWindow(1).build();
        ModelMonitor.builder("a").budget(budget).register(registry);

        assertThatThrownBy(() -> ModelMonitor.builder("b").budget(budget).register(registry))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the CostBudget of model 'b' version 'unversioned' is already the budget of model 'a'"
                        + " version 'unversioned'; a budget keeps one monitor's state: build one per monitor");
    }

    @Test
    void aListenerClosingTheRegistryInTheMiddleOfADrainLosesNoCall() throws InterruptedException {
        MonitorRegistry registry = registry(MonitorRegistry.builder().costModel(CostModel.builder().perCall(1).build())
                .attributionLateness(Duration.ZERO));
        ModelMonitor monitor = ModelMonitor.builder("m").noWindowDuration().windowMaxRecords(2)
                .listener((m, w) -> registry.close()) // the first window closes in the middle of the drain
                .register(registry);
        for (int i = 0; i < 5; i++) {
            monitor.record(monitor.newInference().latency(1_000));
        }
        monitor.flush();
        registry.close(); // returns once the close the listener started is done

        List<Window> windows = monitor.snapshot().closed();
        assertThat(windows).extracting(w -> w.calls().calls()).containsExactly(2L, 2L, 1L);
        assertThat(windows).last().satisfies(w -> assertThat(w.closeReason()).hasValue(Window.CloseReason.SHUTDOWN));
        assertThat(windows).extracting(w -> total(w.profile().numeric(ModelMonitor.COST))).containsExactly(0.0, 0.0,
                5.0); // settled at close, into the last window
        assertThat(registry.attribution().orElseThrow().totals().pendingRequests()).isZero();
        assertThat(heard).hasSize(5);
    }

    @Test
    void anObserverThrowingAnErrorForOneWaitingSettledCallCostsTheOthersNothing() throws InterruptedException {
        MonitorRegistry registry = registry(MonitorRegistry.builder().costModel(CostModel.builder().perCall(1).build())
                .attributionLateness(Duration.ZERO));
        AtomicBoolean holdDrain = new AtomicBoolean();
        AtomicBoolean failOnce = new AtomicBoolean(true);
        CountDownLatch draining = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        registry.addObserver(new MonitorObserver() {
            @Override
            public void onCalls(ModelMonitor monitor, long latencyNanos, String errorType, long count) {
                if (holdDrain.getAndSet(false)) { // holds the monitor's lock, as a slow listener would
                    draining.countDown();
                    awaitQuietly(release);
                }
            }

            @Override
            public void onCost(ModelMonitor monitor, ResourceUsage resources, Cost cost, double emissionsGrams) {
                if (failOnce.getAndSet(false)) {
                    throw new AssertionError("an observer's bug");
                }
            }
        });
        ModelMonitor monitor = countWindows("m").register(registry);
        for (int i = 0; i < 3; i++) {
            monitor.record(monitor.newInference().latency(1_000));
        }
        monitor.flush();
        holdDrain.set(true);
        monitor.record(monitor.newInference().latency(1_000));
        Thread slow = new Thread(monitor::flush, "slow-drain");
        slow.start();
        draining.await();
        registry.accounting().cycle(clock.nanoTime()); // the 3 calls find the monitor busy and wait in its inbox
        release.countDown();
        slow.join();

        monitor.flush(); // applies them: the first one's observer throws
        registry.close();

        assertThat(total(monitor.latestWindow().orElseThrow().profile().numeric(ModelMonitor.COST))).isEqualTo(4.0);
        assertThat(registry.attribution().orElseThrow().failures()).isOne();
    }

    @Test
    void closeFromAListenerMarksTheRegistryClosedAtOnceAndALaterCloseWaitsForItToFinish() throws Exception {
        MonitorRegistry registry = registry(MonitorRegistry.builder());
        AtomicBoolean closedInside = new AtomicBoolean();
        AtomicBoolean registryClosedHeard = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch listenerClosed = new CountDownLatch(1);
        registry.addObserver(new MonitorObserver() {
            @Override
            public void onRegistryClosed() {
                registryClosedHeard.set(true);
            }
        });
        ModelMonitor monitor = ModelMonitor.builder("m").noWindowDuration().windowMaxRecords(1)
                .listener((m, w) -> {
                    if (!registry.isClosed()) {
                        registry.close();
                        closedInside.set(registry.isClosed());
                        listenerClosed.countDown();
                        awaitQuietly(release); // keeps the monitor's lock: the closing waits for this callback
                    }
                }).register(registry);
        monitor.record(monitor.newInference().latency(1_000));
        monitor.record(monitor.newInference().latency(1_000)); // closes the first window in the drain
        Thread user = new Thread(monitor::flush, "user");
        user.start();
        AtomicBoolean heardWhenSecondCloseReturned = new AtomicBoolean();
        Thread owner = new Thread(() -> {
            registry.close(); // as a try-with-resources would, while the listener's close is still under way
            heardWhenSecondCloseReturned.set(registryClosedHeard.get());
        }, "owner");
        assertThat(listenerClosed.await(30, TimeUnit.SECONDS)).isTrue();
        owner.start();
        release.countDown();
        owner.join(Duration.ofSeconds(30).toMillis());
        user.join(Duration.ofSeconds(30).toMillis());

        assertThat(closedInside).isTrue();
        assertThat(heardWhenSecondCloseReturned).as("the second close() returned only once closing was done")
                .isTrue();
        assertThatThrownBy(() -> ModelMonitor.builder("late").register(registry))
                .isInstanceOf(IllegalStateException.class);
        assertThat(monitor.snapshot().closed()).extracting(w -> w.calls().calls()).containsExactly(1L, 1L);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
