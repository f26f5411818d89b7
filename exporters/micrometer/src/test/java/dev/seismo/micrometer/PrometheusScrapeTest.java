package dev.seismo.micrometer;

import dev.seismo.cost.Cost;
import dev.seismo.cost.ResourceUsage;
import dev.seismo.export.Metric;
import dev.seismo.monitor.ModelMonitor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusScrapeTest {

    private final Traffic traffic = new Traffic();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @AfterEach
    void close() {
        traffic.registry.close();
        prometheus.close();
    }

    /** Every signal at least once: calls with errors, usage, drift, shed records, costs and a GPU reading. */
    private void recordEverything() {
        traffic.readGpu(0.75, 10L << 30, 300, 1_000, 55);
        SeismoMetrics metrics = SeismoMetrics.of(traffic.registry);
        MeterBinding binding = metrics.binding(prometheus);
        traffic.registry.addObserver(binding);
        ModelMonitor monitor = traffic.fraud().reference(traffic.reference()).register(traffic.registry);
        traffic.closeWindow(monitor, 1.0, 10, 5);
        monitor.record(monitor.newInference().latency(3_000_000).usage(120, 30));
        monitor.record(monitor.newInference().latency(1_000_000).error(new IllegalStateException()));
        monitor.flush();
        // Core does not report shed records or costs to observers through traffic a test can force, so they are
        // told directly, as the aggregation thread would.
        binding.onShed(monitor, 4, 12);
        binding.onCost(monitor, new ResourceUsage(1, 0.5, 0.25, 80), new Cost("USD", 0.5, 0, 0, 0.25, 0.125), 3);
    }

    @Test
    void everyMetricOfTheModelIsAMeterOfItsKindWithItsTagKeys() {
        recordEverything();

        for (Metric metric : Metric.values()) {
            List<Meter> found = List.copyOf(prometheus.find(metric.otelName()).meters());
            assertThat(found).as(metric.otelName()).isNotEmpty().allSatisfy(meter -> {
                assertThat(meter).as(metric.otelName()).isInstanceOfAny(meterTypes(metric));
                assertThat(meter.getId().getTags()).as(metric.otelName()).extracting(Tag::getKey)
                        .containsExactlyInAnyOrderElementsOf(metric.attributes());
            });
        }
    }

    private static Class<?>[] meterTypes(Metric metric) {
        return switch (metric.kind()) {
            case HISTOGRAM -> new Class<?>[] {Timer.class, DistributionSummary.class};
            case COUNTER -> new Class<?>[] {Counter.class, FunctionCounter.class};
            case GAUGE -> new Class<?>[] {Gauge.class};
        };
    }

    @Test
    void everyMetricIsScrapedUnderItsPrometheusNameAndNothingElseButTheMaximaOfTimersAndSummaries() {
        recordEverything();
        String scrape = prometheus.scrape();

        for (Metric metric : Metric.values()) {
            String name = metric.prometheusName();
            switch (metric.kind()) {
                // Without a histogram switched on, Micrometer renders a timer or summary as a summary: count, sum.
                case HISTOGRAM -> assertThat(scrape).contains("# TYPE " + name + " summary\n")
                        .contains("\n" + name + "_count{", "\n" + name + "_sum{");
                case COUNTER -> assertThat(scrape).contains("# TYPE " + name + " counter\n", "\n" + name + "{");
                case GAUGE -> assertThat(scrape).contains("# TYPE " + name + " gauge\n", "\n" + name + "{");
            }
        }
        Set<String> expected = Arrays.stream(Metric.values())
                .flatMap(m -> m.kind() == Metric.Kind.HISTOGRAM
                        ? Stream.of(m.prometheusName(), m.prometheusName() + "_max")
                        : Stream.of(m.prometheusName()))
                .collect(Collectors.toSet());
        assertThat(families(scrape)).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static List<String> families(String scrape) {
        return scrape.lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]).toList();
    }

    @Test
    void scrapedValuesAreTheRecordedOnesInBaseUnits() {
        recordEverything();
        String scrape = prometheus.scrape();

        String success = "{error_type=\"none\",model_name=\"fraud\",model_version=\"3\",outcome=\"success\"}";
        assertThat(scrape.lines()).contains(
                "model_inference_calls_total" + success + " " + (Traffic.CALLS_PER_WINDOW + 1) + ".0",
                "model_inference_duration_seconds_max" + success + " 0.003",
                "gen_ai_client_token_usage_sum{gen_ai_token_type=\"input\",model_name=\"fraud\",model_version=\"3\"}"
                        + " 120.0",
                "model_feature_missing_ratio{model_feature=\"amount\",model_name=\"fraud\",model_version=\"3\"}"
                        + " 0.01",
                "model_inference_cost_total{currency=\"USD\",model_name=\"fraud\",model_version=\"3\"} 0.875",
                "hw_gpu_utilization_ratio{hw_id=\"GPU-in-memory-0\",hw_name=\"NVIDIA H200\",hw_type=\"gpu\"} 0.75",
                "hw_energy_joules_total{hw_id=\"GPU-in-memory-0\",hw_name=\"NVIDIA H200\",hw_type=\"gpu\"} 1000.0");
    }

    /** The filter the SeismoMetrics Javadoc shows, for both histograms. */
    private static MeterFilter histograms(boolean micrometersBuckets) {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                for (Metric metric : List.of(Metric.INFERENCE_DURATION, Metric.TOKEN_USAGE)) {
                    if (id.getName().equals(metric.otelName())) {
                        double scale = metric == Metric.INFERENCE_DURATION ? 1e9 : 1; // a timer's are nanoseconds
                        DistributionStatisticConfig.Builder histogram = micrometersBuckets
                                ? DistributionStatisticConfig.builder().percentilesHistogram(true)
                                : DistributionStatisticConfig.builder().serviceLevelObjectives(
                                        metric.bucketBoundaries().stream().mapToDouble(b -> b * scale).toArray());
                        return histogram.build().merge(config);
                    }
                }
                return config;
            }
        };
    }

    @Test
    void aMeterFilterWithTheBucketAdviceMakesHistogramsWithExactlyTheAdvisedBuckets() {
        prometheus.config().meterFilter(histograms(false));
        recordEverything();
        String scrape = prometheus.scrape();

        assertThat(scrape).contains("# TYPE model_inference_duration_seconds histogram\n",
                "# TYPE gen_ai_client_token_usage histogram\n");
        assertThat(bucketBounds(scrape, "model_inference_duration_seconds_bucket{error_type=\"none\""))
                .containsExactlyElementsOf(withInfinity(Metric.INFERENCE_DURATION.bucketBoundaries()));
        assertThat(bucketBounds(scrape, "gen_ai_client_token_usage_bucket{gen_ai_token_type=\"input\""))
                .containsExactlyElementsOf(withInfinity(Metric.TOKEN_USAGE.bucketBoundaries()));
    }

    @Test
    void aMeterFilterWithPercentilesHistogramMakesHistogramsWithMicrometersBuckets() {
        prometheus.config().meterFilter(histograms(true));
        recordEverything();
        String scrape = prometheus.scrape();

        assertThat(scrape).contains("# TYPE model_inference_duration_seconds histogram\n",
                "# TYPE gen_ai_client_token_usage histogram\n");
        assertThat(bucketBounds(scrape, "model_inference_duration_seconds_bucket{error_type=\"none\""))
                .hasSizeGreaterThan(Metric.INFERENCE_DURATION.bucketBoundaries().size()).endsWith("+Inf");
    }

    /** The {@code le} labels of one series' buckets, in order. */
    private static List<String> bucketBounds(String scrape, String seriesPrefix) {
        return scrape.lines().filter(l -> l.startsWith(seriesPrefix))
                .map(l -> l.substring(l.indexOf("le=\"") + 4, l.indexOf('"', l.indexOf("le=\"") + 4)))
                .toList();
    }

    private static List<String> withInfinity(List<Double> bounds) {
        return Stream.concat(bounds.stream().map(String::valueOf), Stream.of("+Inf")).toList();
    }
}
