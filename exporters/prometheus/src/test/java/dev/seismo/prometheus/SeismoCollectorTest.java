package dev.seismo.prometheus;

import dev.seismo.cost.Cost;
import dev.seismo.cost.ResourceUsage;
import dev.seismo.export.CardinalityLimit;
import dev.seismo.export.Metric;
import dev.seismo.monitor.Inference;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorObserver;
import dev.seismo.resource.GpuSample;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SeismoCollectorTest {

    private static final String FRAUD = "fraud";
    private static final String ISE = IllegalStateException.class.getName();

    private final Scenario scenario = new Scenario();
    private final PrometheusRegistry prometheus = new PrometheusRegistry();

    @AfterEach
    void close() {
        scenario.close();
    }

    private SeismoCollector bind() {
        return SeismoCollector.builder(scenario.registry).bind(prometheus);
    }

    @Test
    void everyMetricAppearsUnderItsPrometheusNameWithItsTypeUnitAndLabels() {
        MonitorObserver observer = bind().observer();
        ModelMonitor fraud = scenario.fraud();
        scenario.window(fraud, 3, 0);
        observer.onCost(fraud, new ResourceUsage(1, 0.5, 0.25, 90), new Cost("USD", 0.01, 0.002, 0, 0, 0), 0.3);

        Exposition text = Exposition.scrape(prometheus);
        String openMetrics = Exposition.openMetrics(prometheus);

        for (Metric metric : Metric.values()) {
            String name = metric.prometheusName();
            String type = metric.kind().name().toLowerCase(Locale.ROOT);
            assertThat(text.text()).as(metric.name()).contains("\n# TYPE " + name + " " + type + "\n");
            String sample = metric.kind() == Metric.Kind.HISTOGRAM ? name + "_count" : name;
            List<Exposition.Sample> samples = text.find(sample);
            assertThat(samples).as(metric.name()).isNotEmpty();
            Set<String> labels = metric.attributes().stream().map(k -> k.replace('.', '_'))
                    .collect(Collectors.toSet());
            assertThat(samples).as(metric.name()).allSatisfy(s -> assertThat(s.labels().keySet()).isEqualTo(labels));

            // OpenMetrics names the family without _total and is the one format with a UNIT line.
            String family = name.replaceFirst("_total$", "");
            String unit = expectedUnit(metric);
            assertThat(openMetrics).as(metric.name()).contains("# TYPE " + family + " " + type + "\n");
            if (unit == null) {
                assertThat(openMetrics).as(metric.name()).doesNotContain("# UNIT " + family + " ");
            } else {
                assertThat(openMetrics).as(metric.name()).contains("# UNIT " + family + " " + unit + "\n");
            }
        }
    }

    /** Written out rather than derived, so a change of the model's units shows up here. */
    private static String expectedUnit(Metric metric) {
        return switch (metric) {
            case INFERENCE_DURATION, INFERENCE_CPU_TIME, INFERENCE_GPU_TIME -> "seconds";
            case INFERENCE_ENERGY, GPU_ENERGY -> "joules";
            case INFERENCE_EMISSIONS -> "grams";
            case DATASET_DRIFT_SHARE, FEATURE_MISSING_RATIO, FEATURE_INVALID_RATIO, GPU_UTILIZATION -> "ratio";
            case GPU_MEMORY_USAGE, GPU_MEMORY_LIMIT -> "bytes";
            case GPU_POWER -> "watts";
            case GPU_TEMPERATURE -> "celsius";
            case INFERENCE_CALLS, INFERENCE_SHED, TOKEN_USAGE, FEATURE_DRIFT_SCORE, FEATURE_DRIFTED,
                 INFERENCE_COST -> null;
        };
    }

    @Test
    void callsAreCountedByOutcomeAndErrorTypeAndTimedInSeconds() {
        bind();
        ModelMonitor fraud = scenario.fraud();
        scenario.window(fraud, 3, 0); // 401 calls of 3 ms, 3 of them failed

        Exposition e = Exposition.scrape(prometheus);

        assertThat(e.value("model_inference_calls_total", "model_name", FRAUD, "model_version", "3",
                "outcome", "success", "error_type", "none")).isEqualTo(398);
        assertThat(e.value("model_inference_calls_total", "outcome", "error", "error_type", ISE)).isEqualTo(3);
        assertThat(e.value("model_inference_duration_seconds_bucket", "outcome", "success", "le", "0.0025"))
                .isZero();
        assertThat(e.value("model_inference_duration_seconds_bucket", "outcome", "success", "le", "0.005"))
                .isEqualTo(398);
        assertThat(e.value("model_inference_duration_seconds_count", "outcome", "error")).isEqualTo(3);
        assertThat(e.value("model_inference_duration_seconds_sum", "outcome", "success"))
                .isCloseTo(398 * 0.003, within(1e-9));
        assertThat(e.value("gen_ai_client_token_usage_count", "gen_ai_token_type", "input")).isEqualTo(401);
        assertThat(e.value("gen_ai_client_token_usage_sum", "gen_ai_token_type", "input")).isEqualTo(401 * 120);
        assertThat(e.value("gen_ai_client_token_usage_sum", "gen_ai_token_type", "output")).isEqualTo(401 * 8);
        assertThat(e.value("model_inference_shed_total", "model_name", FRAUD)).isZero();
    }

    @Test
    void overflowedCallsGroupedByLatencyCountOnceEach() {
        MonitorObserver observer = bind().observer();
        ModelMonitor fraud = scenario.fraud();

        observer.onCalls(fraud, 20_000_000, null, 5);
        observer.onCalls(fraud, 2_000_000_000L, ISE, 2);
        observer.onShed(fraud, 7, 14);

        Exposition e = Exposition.scrape(prometheus);
        assertThat(e.value("model_inference_calls_total", "outcome", "success")).isEqualTo(5);
        assertThat(e.value("model_inference_duration_seconds_bucket", "outcome", "success", "le", "0.025"))
                .isEqualTo(5);
        assertThat(e.value("model_inference_duration_seconds_sum", "outcome", "success"))
                .isCloseTo(0.1, within(1e-12));
        assertThat(e.value("model_inference_calls_total", "error_type", ISE)).isEqualTo(2);
        assertThat(e.value("model_inference_duration_seconds_bucket", "error_type", ISE, "le", "1.0")).isZero();
        assertThat(e.value("model_inference_duration_seconds_bucket", "error_type", ISE, "le", "2.5"))
                .isEqualTo(2);
        assertThat(e.value("model_inference_shed_total", "model_name", FRAUD)).isEqualTo(7);
    }

    @Test
    void gaugesShowTheLatestClosedWindowsDriftAndMissingValues() {
        bind();
        ModelMonitor fraud = scenario.fraud();
        scenario.window(fraud, 0, 0);
        Exposition quiet = Exposition.scrape(prometheus);
        scenario.window(fraud, 0, 3); // the amount moves by 3 standard deviations

        Exposition e = Exposition.scrape(prometheus);

        assertThat(quiet.value("model_feature_drifted", "model_feature", "amount")).isZero();
        assertThat(e.value("model_feature_drifted", "model_feature", "amount",
                "model_drift_method", "wasserstein_normed")).isEqualTo(1);
        assertThat(e.value("model_feature_drifted", "model_feature", "country")).isZero();
        assertThat(e.value("model_feature_drift_score", "model_feature", "amount"))
                .isGreaterThan(quiet.value("model_feature_drift_score", "model_feature", "amount"))
                .isEqualTo(fraud.latestWindow().orElseThrow().drift().orElseThrow().feature("amount").score());
        assertThat(e.value("model_dataset_drift_share_ratio", "model_name", FRAUD)).isEqualTo(0.5);
        assertThat(e.value("model_feature_missing_ratio", "model_feature", "amount")).isEqualTo(0.1);
        assertThat(e.value("model_feature_missing_ratio", "model_feature", "country")).isZero();
        assertThat(e.value("model_feature_invalid_ratio", "model_feature", "amount")).isZero();
    }

    @Test
    void gpuReadingsAreReadAtScrapeTimeAndMissingReadingsAreLeftOut() {
        bind();
        assertThat(Exposition.scrape(prometheus).value("hw_gpu_utilization_ratio", "hw_id", "GPU-in-memory-0",
                "hw_name", "NVIDIA H100")).isEqualTo(0.75);

        scenario.gpus.set(new GpuSample(scenario.gpus.devices().get(0), 0.25, 1L << 30, 80L << 30, Double.NaN,
                1.6e6, Double.NaN, List.of()));
        scenario.sampler.sample();
        Exposition e = Exposition.scrape(prometheus);

        assertThat(e.value("hw_gpu_utilization_ratio")).isEqualTo(0.25);
        assertThat(e.value("hw_gpu_memory_usage_bytes")).isEqualTo(1L << 30);
        assertThat(e.value("hw_gpu_memory_limit_bytes")).isEqualTo(80L << 30);
        assertThat(e.value("hw_energy_joules_total")).isEqualTo(1.6e6);
        assertThat(e.find("hw_power_watts")).isEmpty();
        assertThat(e.find("hw_temperature_celsius")).isEmpty();
    }

    @Test
    void costAndResourcesAddUpPerModelAndCurrencyAndUnmeasuredSharesAddNothing() {
        MonitorObserver observer = bind().observer();
        ModelMonitor fraud = scenario.fraud();

        observer.onCost(fraud, new ResourceUsage(1, 0.5, 0.25, 90), new Cost("USD", 0.01, 0.002, 0, 0, 0), 0.3);
        observer.onCost(fraud, new ResourceUsage(1, 0.25, Double.NaN, Double.NaN),
                new Cost("USD", 0.02, 0.002, 0, 0, 0), Double.NaN);
        observer.onCost(fraud, ResourceUsage.NONE, new Cost("EUR", 0.5, 0, 0, 0, 0), 0);

        Exposition e = Exposition.scrape(prometheus);
        assertThat(e.value("model_inference_cost_total", "model_name", FRAUD, "currency", "USD"))
                .isCloseTo(0.034, within(1e-12));
        assertThat(e.value("model_inference_cost_total", "currency", "EUR")).isEqualTo(0.5);
        assertThat(e.value("model_inference_cpu_time_seconds_total", "model_name", FRAUD)).isEqualTo(0.75);
        assertThat(e.value("model_inference_gpu_time_seconds_total", "model_name", FRAUD)).isEqualTo(0.25);
        assertThat(e.value("model_inference_energy_joules_total", "model_name", FRAUD)).isEqualTo(90);
        assertThat(e.value("model_inference_emissions_grams_total", "model_name", FRAUD)).isEqualTo(0.3);
    }

    @Test
    void aMonitorWithoutPricesShowsItsResourcesButNoCostSeries() {
        MonitorObserver observer = bind().observer();
        ModelMonitor free = ModelMonitor.builder("free").register(scenario.registry);

        observer.onCost(free, new ResourceUsage(1, 0.5, 0.25, 90), Cost.UNPRICED, Double.NaN);

        Exposition e = Exposition.scrape(prometheus);
        assertThat(e.value("model_inference_gpu_time_seconds_total", "model_name", "free")).isEqualTo(0.25);
        assertThat(e.find("model_inference_cost_total", "model_name", "free")).isEmpty();
    }

    @Test
    void monitorsRegisteredBeforeAndAfterBindingAppearFromTheStart() {
        ModelMonitor early = ModelMonitor.builder("early").register(scenario.registry);
        bind();
        ModelMonitor.builder("late").version("2").register(scenario.registry);

        Exposition e = Exposition.scrape(prometheus);

        assertThat(e.value("model_inference_calls_total", "model_name", "early", "model_version", "unversioned",
                "outcome", "success")).isZero();
        assertThat(e.value("model_inference_calls_total", "model_name", "late", "model_version", "2")).isZero();
        assertThat(e.value("model_inference_shed_total", "model_name", "late")).isZero();
        assertThat(e.find("gen_ai_client_token_usage_count")).isEmpty();

        early.record(early.newInference().latency(1_000));
        early.flush();
        assertThat(Exposition.scrape(prometheus).value("model_inference_calls_total", "model_name", "early"))
                .isEqualTo(1);
    }

    @Test
    void valuesPastTheCardinalityLimitFoldIntoOneOtherSeries() {
        SeismoCollector.builder(scenario.registry).cardinalityLimit(2).bind(prometheus);
        double[] missingShares = {0, 0, 0, 0.5};
        String[] names = {"a", "b", "c", "d"};
        for (int m = 0; m < names.length; m++) {
            ModelMonitor monitor = ModelMonitor.builder(names[m]).numericFeature("x").noWindowDuration()
                    .windowMaxRecords(2).register(scenario.registry);
            Inference inference = monitor.newInference();
            monitor.record(inference.numeric(0, missingShares[m] > 0 ? Double.NaN : 1).latency(1_000));
            monitor.record(inference.numeric(0, 1).latency(1_000));
            monitor.record(inference.numeric(0, 1).latency(1_000)); // closes the window of two
            monitor.flush();
        }
        Exposition e = Exposition.scrape(prometheus);

        assertThat(e.value("model_inference_calls_total", "model_name", "a")).isEqualTo(3);
        assertThat(e.value("model_inference_calls_total", "model_name", "b")).isEqualTo(3);
        assertThat(e.value("model_inference_calls_total", "model_name", CardinalityLimit.OVERFLOW)).isEqualTo(6);
        assertThat(e.find("model_inference_calls_total", "model_name", "c")).isEmpty();
        assertThat(e.find("model_inference_calls_total")).hasSize(3);
        // Gauges of folded models merge into one series that shows the worst of them.
        assertThat(e.value("model_feature_missing_ratio", "model_name", CardinalityLimit.OVERFLOW,
                "model_feature", "x")).isEqualTo(0.5);
        assertThat(e.find("model_feature_missing_ratio", "model_feature", "x")).hasSize(3);
    }

    @Test
    void errorTypesPastTheLimitFoldWhileSuccessKeepsItsOwnSeries() {
        MonitorObserver observer = SeismoCollector.builder(scenario.registry).cardinalityLimit(1).bind(prometheus)
                .observer();
        ModelMonitor fraud = scenario.fraud();

        observer.onCalls(fraud, 1_000, null, 4);
        observer.onCalls(fraud, 1_000, ISE, 1);
        observer.onCalls(fraud, 1_000, "java.io.IOException", 2);
        observer.onCalls(fraud, 1_000, "java.lang.OutOfMemoryError", 3);

        Exposition e = Exposition.scrape(prometheus);
        assertThat(e.value("model_inference_calls_total", "outcome", "success", "error_type", "none"))
                .isEqualTo(4);
        assertThat(e.value("model_inference_calls_total", "error_type", ISE)).isEqualTo(1);
        assertThat(e.value("model_inference_calls_total", "outcome", "error",
                "error_type", CardinalityLimit.OVERFLOW)).isEqualTo(5);
        assertThat(e.value("model_inference_duration_seconds_count", "error_type", CardinalityLimit.OVERFLOW))
                .isEqualTo(5);
    }

    @Test
    void aNameTakenInTheRegistryFailsTheBindingAndLeavesNoSeismoMetricBehind() {
        Gauge.builder().name("hw_temperature_celsius").help("Someone else's.").register(prometheus).set(30);
        ModelMonitor fraud = scenario.fraud();

        assertThatThrownBy(() -> SeismoCollector.builder(scenario.registry).register(prometheus))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already registered");
        fraud.record(fraud.newInference().latency(1_000));
        fraud.flush();

        Exposition e = Exposition.scrape(prometheus);
        assertThat(e.samples()).extracting(Exposition.Sample::name).containsExactly("hw_temperature_celsius");
        assertThat(e.value("hw_temperature_celsius")).isEqualTo(30);
    }

    @Test
    void aCardinalityLimitBelowOneIsRejectedWithTheValueGiven() {
        assertThatThrownBy(() -> SeismoCollector.builder(scenario.registry).cardinalityLimit(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxValues must be >= 1, was 0");
    }
}
