package dev.seismo.micrometer;

import dev.seismo.cost.Cost;
import dev.seismo.cost.ResourceUsage;
import dev.seismo.drift.FeatureDrift;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.Window;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.tck.MeterRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

class SeismoMetricsTest {

    private final Traffic traffic = new Traffic();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        traffic.registry.close();
        meters.close();
    }

    private Timer timer(String model, String outcome, String errorType) {
        return meters.get("model.inference.duration")
                .tags("model.name", model, "outcome", outcome, "error.type", errorType).timer();
    }

    private double calls(String model, String outcome, String errorType) {
        return meters.get("model.inference.calls")
                .tags("model.name", model, "outcome", outcome, "error.type", errorType).counter().count();
    }

    @Test
    void eachCallIsTimedAndCountedByOutcomeAndErrorType() {
        SeismoMetrics.of(traffic.registry).bindTo(meters);
        ModelMonitor monitor = ModelMonitor.builder("fraud").version("3").register(traffic.registry);

        monitor.record(monitor.newInference().latency(Duration.ofMillis(1)));
        monitor.record(monitor.newInference().latency(Duration.ofMillis(3)));
        monitor.record(monitor.newInference().latency(Duration.ofMillis(5)).error(new IllegalStateException()));
        monitor.flush();

        Timer success = timer("fraud", "success", "none");
        assertThat(success.getId().getTag("model.version")).isEqualTo("3");
        assertThat(success.count()).isEqualTo(2);
        assertThat(success.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(4);
        assertThat(success.max(TimeUnit.MILLISECONDS)).isEqualTo(3);
        Timer error = timer("fraud", "error", "java.lang.IllegalStateException");
        assertThat(error.count()).isEqualTo(1);
        assertThat(error.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5);
        assertThat(calls("fraud", "success", "none")).isEqualTo(2);
        assertThat(calls("fraud", "error", "java.lang.IllegalStateException")).isEqualTo(1);
    }

    @Test
    void callsReportedTogetherAreTimedOneByOne() {
        ModelMonitor monitor = ModelMonitor.builder("fraud").register(traffic.registry);
        MeterBinding binding = SeismoMetrics.of(traffic.registry).binding(meters);

        binding.onCalls(monitor, TimeUnit.MILLISECONDS.toNanos(2), null, 5);

        Timer success = timer("fraud", "success", "none");
        assertThat(success.count()).isEqualTo(5);
        assertThat(success.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(10);
        assertThat(calls("fraud", "success", "none")).isEqualTo(5);
    }

    @Test
    void tokenUsageIsSummarizedPerCallByDirection() {
        SeismoMetrics.of(traffic.registry).bindTo(meters);
        ModelMonitor monitor = ModelMonitor.builder("chat").register(traffic.registry);

        monitor.record(monitor.newInference().latency(1).usage(30, 4));
        monitor.record(monitor.newInference().latency(1).usage(10, 6));
        monitor.flush();

        DistributionSummary input = meters.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "input")
                .summary();
        DistributionSummary output = meters.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "output")
                .summary();
        assertThat(input.count()).isEqualTo(2);
        assertThat(input.totalAmount()).isEqualTo(40);
        assertThat(input.max()).isEqualTo(30);
        assertThat(output.totalAmount()).isEqualTo(10);
        assertThat(output.getId().getTag("model.name")).isEqualTo("chat");
    }

    @Test
    void shedCallsCostsEmissionsAndResourcesAreCountedPerModel() {
        ModelMonitor monitor = ModelMonitor.builder("fraud").register(traffic.registry);
        MeterBinding binding = SeismoMetrics.of(traffic.registry).binding(meters);

        binding.onShed(monitor, 7, 21);
        binding.onCost(monitor, new ResourceUsage(2, 0.5, 0.25, 100), new Cost("USD", 0.01, 0.002, 0, 0.003, 0.001),
                2.5);
        binding.onCost(monitor, new ResourceUsage(2, 0.5, 0.25, Double.NaN), new Cost("USD", 0.01, 0, 0, 0, 0), 2.5);
        binding.onCost(monitor, ResourceUsage.NONE, new Cost("EUR", 0.5, 0, 0, 0, 0), 0);

        assertThat(meters.get("model.inference.shed").tag("model.name", "fraud").counter().count()).isEqualTo(7);
        assertThat(meters.get("model.inference.cost").tag("currency", "USD").counter().count())
                .isCloseTo(0.026, within(1e-12));
        assertThat(meters.get("model.inference.cost").tag("currency", "EUR").counter().count()).isEqualTo(0.5);
        assertThat(meters.get("model.inference.emissions").counter().count()).isEqualTo(5);
        assertThat(meters.get("model.inference.cpu.time").counter().count()).isEqualTo(1);
        assertThat(meters.get("model.inference.gpu.time").counter().count()).isEqualTo(0.5);
        assertThat(meters.get("model.inference.energy").counter().count()).as("a NaN reading adds nothing")
                .isEqualTo(100);
    }

    @Test
    void aMonitorWithoutPricesShowsItsResourcesButNoCostSeries() {
        ModelMonitor monitor = ModelMonitor.builder("free").register(traffic.registry);
        MeterBinding binding = SeismoMetrics.of(traffic.registry).binding(meters);

        binding.onCost(monitor, new ResourceUsage(2, 0.5, 0.25, 100), Cost.UNPRICED, Double.NaN);

        assertThat(meters.get("model.inference.gpu.time").tag("model.name", "free").counter().count())
                .isEqualTo(0.25);
        assertThat(meters.find("model.inference.cost").tag("model.name", "free").counter()).isNull();
    }

    @Test
    void gaugesShowTheLatestClosedWindowsDriftAndMissingAndInvalidRatios() {
        SeismoMetrics.of(traffic.registry).bindTo(meters);
        ModelMonitor monitor = traffic.fraud().reference(traffic.reference()).register(traffic.registry);
        assertThat(meters.find("model.feature.drift.score").gauges()).as("before a window closed").isEmpty();

        traffic.closeWindow(monitor, 0, 100, 50);
        Window quiet = monitor.latestWindow().orElseThrow();
        FeatureDrift amount = quiet.drift().orElseThrow().feature("amount");

        Gauge score = meters.get("model.feature.drift.score").tags("model.name", "fraud", "model.version", "3",
                "model.feature", "amount", "model.drift.method", amount.method().key()).gauge();
        Gauge drifted = meters.get("model.feature.drifted").tags("model.feature", "amount").gauge();
        assertThat(score.value()).isEqualTo(amount.score());
        assertThat(drifted.value()).isZero();
        assertThat(meters.get("model.dataset.drift.share").gauge().value()).isZero();
        assertThat(meters.get("model.feature.missing.ratio").tag("model.feature", "amount").gauge().value())
                .isEqualTo(0.1);
        assertThat(meters.get("model.feature.invalid.ratio").tag("model.feature", "amount").gauge().value())
                .isEqualTo(0.05);
        assertThat(meters.get("model.feature.missing.ratio").tag("model.feature", "country").gauge().value())
                .isZero();
        assertThat(meters.find("model.feature.drift.score").gauges()).extracting(g -> g.getId().getTag("model.feature"))
                .containsExactlyInAnyOrder("amount", "country", "score");

        traffic.closeWindow(monitor, 1.0, 0, 0);
        FeatureDrift shifted = monitor.latestWindow().orElseThrow().drift().orElseThrow().feature("amount");

        Gauge shiftedScore = meters.get("model.feature.drift.score").tags("model.feature", "amount",
                "model.drift.method", shifted.method().key()).gauge();
        assertThat(shiftedScore.value()).as("read at collection time").isEqualTo(shifted.score());
        assertThat(drifted.value()).isEqualTo(1);
        assertThat(meters.get("model.dataset.drift.share").gauge().value()).isEqualTo(1.0 / 3);
        assertThat(meters.get("model.feature.missing.ratio").tag("model.feature", "amount").gauge().value())
                .isZero();
    }

    @Test
    void gpuGaugesAndTheEnergyCounterReadTheSamplersLatestReadings() {
        traffic.readGpu(0.75, 10L << 30, 300, 1_000, 55);
        SeismoMetrics.of(traffic.registry).bindTo(meters);
        Tags gpu = Tags.of("hw.id", "GPU-in-memory-0", "hw.name", "NVIDIA H200");

        assertThat(meters.get("hw.gpu.utilization").tags(gpu).gauge().value()).isEqualTo(0.75);
        assertThat(meters.get("hw.gpu.memory.usage").tags(gpu).gauge().value()).isEqualTo(10L << 30);
        assertThat(meters.get("hw.gpu.memory.limit").tags(gpu).gauge().value()).isEqualTo(80L << 30);
        assertThat(meters.get("hw.power").tags(gpu).gauge().value()).isEqualTo(300);
        assertThat(meters.get("hw.temperature").tags(gpu).gauge().value()).isEqualTo(55);
        FunctionCounter energy = meters.get("hw.energy").tags(gpu).functionCounter();
        assertThat(energy.count()).isEqualTo(1_000);

        traffic.readGpu(0.5, 12L << 30, 250, 1_600, 60);

        assertThat(meters.get("hw.gpu.utilization").tags(gpu).gauge().value()).isEqualTo(0.5);
        assertThat(energy.count()).isEqualTo(1_600);
    }

    @Test
    void gpuReadingsTheBoardLacksGetNoMeter() {
        traffic.readGpu(0.75, 10L << 30, Double.NaN, Double.NaN, Double.NaN);
        SeismoMetrics.of(traffic.registry).bindTo(meters);

        assertThat(meters.find("hw.gpu.utilization").gauge()).isNotNull();
        assertThat(meters.find("hw.power").meters()).isEmpty();
        assertThat(meters.find("hw.temperature").meters()).isEmpty();
        assertThat(meters.find("hw.energy").meters()).isEmpty();
    }

    @Test
    void gpuMetersAppearOnceTheSamplerHasReadTheGpus() {
        SeismoMetrics.of(traffic.registry).bindTo(meters);
        ModelMonitor monitor = ModelMonitor.builder("fraud").register(traffic.registry);
        assertThat(meters.find("hw.gpu.utilization").meters()).isEmpty();

        traffic.readGpu(0.25, 1, 100, 10, 40);
        monitor.record(monitor.newInference().latency(1));
        monitor.flush();

        assertThat(meters.get("hw.gpu.utilization").gauge().value()).isEqualTo(0.25);
    }

    @Test
    void aMonitorRegisteredAfterBindingAppears() {
        ModelMonitor early = ModelMonitor.builder("early").register(traffic.registry);
        SeismoMetrics.of(traffic.registry).bindTo(meters);
        ModelMonitor late = ModelMonitor.builder("late").version("2").register(traffic.registry);

        MeterRegistryAssert.assertThat(meters).hasTimerWithNameAndTags("model.inference.duration",
                Tags.of("model.name", "late", "model.version", "2", "outcome", "success", "error.type", "none"));
        late.record(late.newInference().latency(1));
        early.record(early.newInference().latency(1));
        late.flush();
        early.flush();

        assertThat(calls("late", "success", "none")).isEqualTo(1);
        assertThat(calls("early", "success", "none")).isEqualTo(1);
    }

    @Test
    void aMonitorWithClosedWindowsShowsItsGaugesWhenBoundLate() {
        ModelMonitor monitor = traffic.fraud().reference(traffic.reference()).register(traffic.registry);
        traffic.closeWindow(monitor, 0, 100, 0);

        SeismoMetrics.of(traffic.registry).bindTo(meters);

        assertThat(meters.get("model.feature.missing.ratio").tag("model.feature", "amount").gauge().value())
                .isEqualTo(0.1);
        assertThat(meters.find("model.feature.drift.score").gauges()).hasSize(3);
    }

    @Test
    void errorTypesPastTheCardinalityLimitAreFoldedIntoOther() {
        SeismoMetrics.of(traffic.registry).cardinalityLimit(2).bindTo(meters);
        ModelMonitor monitor = ModelMonitor.builder("fraud").register(traffic.registry);

        for (RuntimeException e : new RuntimeException[] {new IllegalStateException(), new IllegalArgumentException(),
                new ArithmeticException(), new UnsupportedOperationException(), new IllegalStateException()}) {
            monitor.record(monitor.newInference().latency(1).error(e));
        }
        monitor.record(monitor.newInference().latency(1));
        monitor.flush();

        assertThat(meters.find("model.inference.calls").counters())
                .extracting(c -> c.getId().getTag("error.type"), Counter::count)
                .containsExactlyInAnyOrder(
                        tuple("none", 1.0),
                        tuple("java.lang.IllegalStateException", 2.0),
                        tuple("java.lang.IllegalArgumentException", 1.0),
                        tuple("_other", 2.0));
        assertThat(timer("fraud", "error", "_other").count()).isEqualTo(2);
    }

    @Test
    void modelsPastTheCardinalityLimitAddUpUnderOtherAndShowNoGauges() {
        SeismoMetrics.of(traffic.registry).cardinalityLimit(1).bindTo(meters);
        ModelMonitor first = traffic.fraud().reference(traffic.reference()).register(traffic.registry);
        ModelMonitor second = ModelMonitor.builder("churn").version("3").numericFeature("amount")
                .register(traffic.registry);
        ModelMonitor third = ModelMonitor.builder("spam").version("3").register(traffic.registry);

        traffic.closeWindow(first, 0, 0, 0);
        second.record(second.newInference().numeric(0, 1).latency(1));
        third.record(third.newInference().latency(1));
        second.flush();
        third.flush();
        traffic.clock.advance(Traffic.WINDOW);
        second.flush();

        assertThat(calls("fraud", "success", "none")).isEqualTo(Traffic.CALLS_PER_WINDOW);
        assertThat(calls("_other", "success", "none")).isEqualTo(2);
        assertThat(second.latestWindow()).isPresent();
        assertThat(meters.find("model.feature.missing.ratio").gauges()).as("the limit holds features to one too")
                .extracting(g -> g.getId().getTag("model.name"), g -> g.getId().getTag("model.feature"))
                .containsExactly(tuple("fraud", "amount"));
    }

    @Test
    void commonTagsAreOnEverySeismoMeter() {
        traffic.readGpu(0.5, 1, 100, 10, 40);
        SeismoMetrics.of(traffic.registry).commonTags("region", "eu-west-1").bindTo(meters);
        ModelMonitor monitor = traffic.fraud().reference(traffic.reference()).register(traffic.registry);
        traffic.closeWindow(monitor, 0, 0, 0);

        assertThat(meters.getMeters()).hasSizeGreaterThan(20)
                .allSatisfy(m -> assertThat(m.getId().getTag("region")).isEqualTo("eu-west-1"));
    }

    @Test
    void commonTagsMayNotReuseSeismosOwnTagKeys() {
        SeismoMetrics metrics = SeismoMetrics.of(traffic.registry);

        assertThatThrownBy(() -> metrics.commonTags(Tags.of(Tag.of("model.name", "x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("common tag 'model.name' is a tag Seismo sets itself");
        assertThatThrownBy(() -> metrics.cardinalityLimit(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cardinalityLimit must be >= 1 value per tag, was 0");
    }

    @Test
    void gaugesAndTheEnergyCounterKeepReadingAfterGarbageCollection() {
        traffic.readGpu(0.5, 1, 100, 10, 40);
        bindAndForget();
        ModelMonitor monitor = traffic.fraud().reference(traffic.reference()).register(traffic.registry);
        traffic.closeWindow(monitor, 0, 100, 0);

        System.gc();

        assertThat(meters.get("model.feature.missing.ratio").tag("model.feature", "amount").gauge().value())
                .isEqualTo(0.1);
        assertThat(meters.get("hw.gpu.utilization").gauge().value()).isEqualTo(0.5);
        assertThat(meters.get("hw.energy").functionCounter().count()).as("Micrometer holds its object weakly")
                .isEqualTo(10);
    }

    /** Binds without keeping any reference to the binder: only the registries hold what it made. */
    private void bindAndForget() {
        SeismoMetrics.of(traffic.registry).bindTo(meters);
    }
}
