package dev.seismo.opentelemetry;

import dev.seismo.drift.DriftReport;
import dev.seismo.drift.FeatureDrift;
import dev.seismo.export.Metric;
import dev.seismo.monitor.ModelMonitor;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.seismo.export.Metric.Attributes.ERROR_TYPE;
import static dev.seismo.export.Metric.Attributes.FEATURE;
import static dev.seismo.export.Metric.Attributes.GPU_ID;
import static dev.seismo.export.Metric.Attributes.GPU_NAME;
import static dev.seismo.export.Metric.Attributes.METHOD;
import static dev.seismo.export.Metric.Attributes.MODEL_NAME;
import static dev.seismo.export.Metric.Attributes.MODEL_VERSION;
import static dev.seismo.export.Metric.Attributes.OUTCOME;
import static dev.seismo.export.Metric.Attributes.TOKEN_TYPE;
import static dev.seismo.opentelemetry.Points.attributes;
import static dev.seismo.opentelemetry.Points.metric;
import static dev.seismo.opentelemetry.Points.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SeismoOpenTelemetryTest {

    private static final Attributes FRAUD =
            attributes(MODEL_NAME, "fraud", MODEL_VERSION, "3");
    private static final Attributes SUCCESS = FRAUD.toBuilder()
            .putAll(attributes(OUTCOME, "success", ERROR_TYPE, "none")).build();
    private static final Attributes ILLEGAL_STATE = FRAUD.toBuilder()
            .putAll(attributes(OUTCOME, "error", ERROR_TYPE, "java.lang.IllegalStateException"))
            .build();
    private static final Attributes H200 = attributes(Metric.Attributes.HW_TYPE, Metric.Attributes.GPU,
            GPU_ID, "GPU-in-memory-0", GPU_NAME, "NVIDIA H200");

    private final Traffic traffic = new Traffic();
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final SdkMeterProvider meterProvider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    private final SeismoOpenTelemetry exporter = SeismoOpenTelemetry.builder(traffic.registry)
            .openTelemetry(OpenTelemetrySdk.builder().setMeterProvider(meterProvider).build()).build();

    @AfterEach
    void close() {
        exporter.close();
        meterProvider.close();
        traffic.close();
    }

    @Test
    void everyMetricOfTheModelAppearsWithItsNameUnitKindAndAttributeKeys() {
        ModelMonitor monitor = traffic.fraudMonitor();
        traffic.recordWindow(monitor);
        Traffic.settle(exporter, monitor);

        Collection<MetricData> collected = reader.collectAllMetrics();

        assertThat(collected).extracting(MetricData::getName)
                .containsExactlyInAnyOrderElementsOf(List.of(Metric.values()).stream().map(Metric::otelName).toList());
        for (Metric m : Metric.values()) {
            MetricData data = metric(collected, m);
            assertThat(data.getUnit()).as("unit of %s", m).isEqualTo(m.unit());
            assertThat(data.getDescription()).as("description of %s", m).isEqualTo(m.description());
            assertThat(kind(data)).as("kind of %s", m).isEqualTo(m.kind());
            assertThat(data.getData().getPoints()).as("points of %s", m).isNotEmpty()
                    .allSatisfy(p -> assertThat(keys(p)).as("attribute keys of %s", m)
                            .isEqualTo(Set.copyOf(m.attributes())));
        }
    }

    @Test
    void namesTheInstrumentationScopeAfterSeismoWithTheLibraryVersion() {
        traffic.recordWindow(traffic.fraudMonitor());

        MetricData calls = metric(reader.collectAllMetrics(), Metric.INFERENCE_CALLS);

        assertThat(calls.getInstrumentationScopeInfo().getName()).isEqualTo("dev.seismo");
        assertThat(calls.getInstrumentationScopeInfo().getVersion()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void recordsCallDurationsInSecondsIntoTheAdvisedBucketsByOutcomeAndErrorType() {
        traffic.recordWindow(traffic.fraudMonitor());

        Collection<HistogramPointData> points =
                metric(reader.collectAllMetrics(), Metric.INFERENCE_DURATION).getHistogramData().getPoints();

        HistogramPointData success = point(points, SUCCESS);
        assertThat(success.getBoundaries()).isEqualTo(Metric.INFERENCE_DURATION.bucketBoundaries());
        assertThat(success.getCount()).isEqualTo(8);
        assertThat(success.getSum()).isCloseTo(8 * 0.002, within(1e-12));
        assertThat(success.getCounts().get(1)).as("bucket (1 ms, 2.5 ms]").isEqualTo(8);
        HistogramPointData error = point(points, ILLEGAL_STATE);
        assertThat(error.getCount()).isEqualTo(2);
        assertThat(error.getSum()).isCloseTo(2 * 0.040, within(1e-12));
        assertThat(error.getCounts().get(5)).as("bucket (25 ms, 50 ms]").isEqualTo(2);
    }

    @Test
    void countsCallsByOutcomeAndErrorType() {
        traffic.recordWindow(traffic.fraudMonitor());

        MetricData calls = metric(reader.collectAllMetrics(), Metric.INFERENCE_CALLS);

        assertThat(calls.getLongSumData().isMonotonic()).isTrue();
        assertThat(calls.getLongSumData().getPoints()).hasSize(2);
        assertThat(point(calls.getLongSumData().getPoints(), SUCCESS).getValue()).isEqualTo(8);
        assertThat(point(calls.getLongSumData().getPoints(), ILLEGAL_STATE).getValue()).isEqualTo(2);
    }

    @Test
    void recordsTokenUsagePerCallByDirectionWithPowerOfFourBuckets() {
        traffic.recordWindow(traffic.fraudMonitor());

        Collection<HistogramPointData> points =
                metric(reader.collectAllMetrics(), Metric.TOKEN_USAGE).getHistogramData().getPoints();

        HistogramPointData input = point(points, withTokenType("input"));
        assertThat(input.getBoundaries()).isEqualTo(Metric.TOKEN_USAGE.bucketBoundaries());
        assertThat(input.getCount()).isEqualTo(8);
        assertThat(input.getSum()).isEqualTo(800);
        HistogramPointData output = point(points, withTokenType("output"));
        assertThat(output.getCount()).isEqualTo(8);
        assertThat(output.getSum()).isEqualTo(160);
    }

    @Test
    void showsTheLatestClosedWindowsDriftAndDataQualityPerFeature() {
        ModelMonitor monitor = traffic.fraudMonitor();
        traffic.recordWindow(monitor);
        DriftReport report = monitor.latestWindow().orElseThrow().drift().orElseThrow();

        Collection<MetricData> collected = reader.collectAllMetrics();

        FeatureDrift amount = report.feature("amount");
        Attributes amountByMethod = withFeature("amount").toBuilder()
                .putAll(attributes(METHOD, amount.method().key())).build();
        assertThat(amount.drifted()).as("the amount was shifted far from the reference").isTrue();
        assertThat(gauge(collected, Metric.FEATURE_DRIFT_SCORE, amountByMethod)).isEqualTo(amount.score());
        assertThat(gauge(collected, Metric.FEATURE_DRIFTED, amountByMethod)).isEqualTo(1.0);
        assertThat(metric(collected, Metric.FEATURE_DRIFTED).getDoubleGaugeData().getPoints())
                .as("one point per compared feature and output").hasSize(report.features().size());
        assertThat(gauge(collected, Metric.DATASET_DRIFT_SHARE, FRAUD)).isEqualTo(report.driftShare());
        assertThat(gauge(collected, Metric.FEATURE_MISSING_RATIO, withFeature("amount"))).isEqualTo(0.1);
        assertThat(gauge(collected, Metric.FEATURE_INVALID_RATIO, withFeature("amount"))).isEqualTo(0.1);
        assertThat(gauge(collected, Metric.FEATURE_MISSING_RATIO, withFeature("country"))).isEqualTo(0.0);
    }

    @Test
    void showsNoDriftOrRatioGaugesBeforeAWindowCloses() {
        ModelMonitor monitor = traffic.fraudMonitor();
        monitor.record(monitor.newInference().numeric(0, 1.0).latency(Duration.ofMillis(3)));
        monitor.flush();

        Set<String> names = reader.collectAllMetrics().stream().map(MetricData::getName).collect(Collectors.toSet());

        assertThat(names).contains(Metric.INFERENCE_CALLS.otelName())
                .doesNotContain(Metric.FEATURE_DRIFT_SCORE.otelName(), Metric.DATASET_DRIFT_SHARE.otelName(),
                        Metric.FEATURE_MISSING_RATIO.otelName());
    }

    @Test
    void showsTheGpuSamplersLatestReadingsInBaseUnits() {
        Collection<MetricData> collected = reader.collectAllMetrics();

        assertThat(gauge(collected, Metric.GPU_UTILIZATION, H200)).isEqualTo(0.75);
        assertThat(point(metric(collected, Metric.GPU_MEMORY_USAGE).getLongGaugeData().getPoints(), H200)
                .getValue()).isEqualTo(12L << 30);
        assertThat(point(metric(collected, Metric.GPU_MEMORY_LIMIT).getLongGaugeData().getPoints(), H200)
                .getValue()).isEqualTo(141L << 30);
        assertThat(gauge(collected, Metric.GPU_POWER, H200)).isEqualTo(310.5);
        assertThat(gauge(collected, Metric.GPU_TEMPERATURE, H200)).isEqualTo(54.0);
        SumData<DoublePointData> energy = metric(collected, Metric.GPU_ENERGY).getDoubleSumData();
        assertThat(energy.isMonotonic()).isTrue();
        assertThat(point(energy.getPoints(), H200).getValue()).isEqualTo(98_765.0);
    }

    @Test
    void addsUpCostEmissionsAndResourcesOfEverySettlement() {
        ModelMonitor monitor = traffic.fraudMonitor();
        Traffic.settle(exporter, monitor);
        Traffic.settle(exporter, monitor);

        Collection<MetricData> collected = reader.collectAllMetrics();

        assertThat(sum(collected, Metric.INFERENCE_COST, FRAUD.toBuilder().put("currency", "USD").build()))
                .isCloseTo(2 * Traffic.COST.total(), within(1e-12));
        assertThat(sum(collected, Metric.INFERENCE_EMISSIONS, FRAUD)).isEqualTo(5.0);
        assertThat(sum(collected, Metric.INFERENCE_CPU_TIME, FRAUD)).isEqualTo(0.5);
        assertThat(sum(collected, Metric.INFERENCE_GPU_TIME, FRAUD)).isEqualTo(1.0);
        assertThat(sum(collected, Metric.INFERENCE_ENERGY, FRAUD)).isEqualTo(80.0);
        assertThat(point(metric(collected, Metric.INFERENCE_SHED).getLongSumData().getPoints(), FRAUD).getValue())
                .isEqualTo(6);
    }

    @Test
    void followsMonitorsRegisteredAfterBinding() {
        ModelMonitor late = ModelMonitor.builder("late").register(traffic.registry);
        late.record(late.newInference().latency(Duration.ofMillis(5)));
        late.flush();

        MetricData calls = metric(reader.collectAllMetrics(), Metric.INFERENCE_CALLS);

        assertThat(point(calls.getLongSumData().getPoints(), attributes(MODEL_NAME, "late",
                MODEL_VERSION, "unversioned", OUTCOME, "success",
                ERROR_TYPE, "none")).getValue()).isEqualTo(1);
    }

    @Test
    void stopsRecordingAndRemovesItsGaugesWhenClosed() {
        ModelMonitor monitor = traffic.fraudMonitor();
        traffic.recordWindow(monitor);
        exporter.close();
        monitor.record(monitor.newInference().latency(Duration.ofMillis(5)));
        monitor.flush();

        Collection<MetricData> collected = reader.collectAllMetrics();

        assertThat(point(metric(collected, Metric.INFERENCE_CALLS).getLongSumData().getPoints(), SUCCESS)
                .getValue()).as("the call after closing is not counted").isEqualTo(8);
        assertThat(collected).extracting(MetricData::getName)
                .doesNotContain(Metric.FEATURE_DRIFT_SCORE.otelName(), Metric.GPU_UTILIZATION.otelName());
    }

    @Test
    void usesTheGlobalOpenTelemetryWhenNoneIsGiven() {
        InMemoryMetricReader globalReader = InMemoryMetricReader.create();
        GlobalOpenTelemetry.resetForTest();
        try (SdkMeterProvider global = SdkMeterProvider.builder().registerMetricReader(globalReader).build()) {
            GlobalOpenTelemetry.set(OpenTelemetrySdk.builder().setMeterProvider(global).build());
            SeismoOpenTelemetry viaGlobal = SeismoOpenTelemetry.builder(traffic.registry).build();
            traffic.recordWindow(traffic.fraudMonitor());

            MetricData calls = metric(globalReader.collectAllMetrics(), Metric.INFERENCE_CALLS);

            assertThat(point(calls.getLongSumData().getPoints(), SUCCESS).getValue()).isEqualTo(8);
            viaGlobal.close();
        } finally {
            GlobalOpenTelemetry.resetForTest();
        }
    }

    @Test
    void rejectsACardinalityLimitBelowOne() {
        assertThatThrownBy(() -> SeismoOpenTelemetry.builder(traffic.registry).cardinalityLimit(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cardinalityLimit must be >= 1 value per attribute, was 0");
    }

    private static Metric.Kind kind(MetricData data) {
        MetricDataType type = data.getType();
        return switch (type) {
            case HISTOGRAM -> Metric.Kind.HISTOGRAM;
            case LONG_SUM -> data.getLongSumData().isMonotonic() ? Metric.Kind.COUNTER : null;
            case DOUBLE_SUM -> data.getDoubleSumData().isMonotonic() ? Metric.Kind.COUNTER : null;
            case LONG_GAUGE, DOUBLE_GAUGE -> Metric.Kind.GAUGE;
            default -> null;
        };
    }

    private static Set<String> keys(PointData point) {
        Set<String> keys = new HashSet<>();
        point.getAttributes().forEach((key, value) -> keys.add(key.getKey()));
        return keys;
    }

    private static double gauge(Collection<MetricData> collected, Metric m,
                                Attributes attributes) {
        return point(metric(collected, m).getDoubleGaugeData().getPoints(), attributes).getValue();
    }

    private static double sum(Collection<MetricData> collected, Metric m,
                              Attributes attributes) {
        return point(metric(collected, m).getDoubleSumData().getPoints(), attributes).getValue();
    }

    private static Attributes withFeature(String feature) {
        return FRAUD.toBuilder().putAll(attributes(FEATURE, feature)).build();
    }

    private static Attributes withTokenType(String type) {
        return FRAUD.toBuilder().putAll(attributes(TOKEN_TYPE, type)).build();
    }
}
