package dev.seismo.opentelemetry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.seismo.export.Metric;
import dev.seismo.monitor.ModelMonitor;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.seismo.export.Metric.Attributes.ERROR_TYPE;
import static dev.seismo.export.Metric.Attributes.GPU_ID;
import static dev.seismo.export.Metric.Attributes.MODEL_NAME;
import static dev.seismo.export.Metric.Attributes.OUTCOME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The SDK's real OTLP/HTTP exporter sends Seismo's metrics to a receiver on loopback that decodes the protobuf
 * request as a collector would.
 */
class OtlpExportTest {

    private final List<ExportMetricsServiceRequest> received = new CopyOnWriteArrayList<>();
    private final HttpServer receiver = startReceiver();
    private final Traffic traffic = new Traffic();
    private final SdkMeterProvider meterProvider = SdkMeterProvider.builder()
            .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                            .setEndpoint("http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/metrics")
                            .setTimeout(Duration.ofSeconds(5)).build())
                    // Exports only when flushed, so the test decides when.
                    .setInterval(Duration.ofHours(1)).build())
            .build();
    private final SeismoOpenTelemetry exporter = SeismoOpenTelemetry.builder(traffic.registry)
            .openTelemetry(OpenTelemetrySdk.builder().setMeterProvider(meterProvider).build()).build();

    @AfterEach
    void close() {
        exporter.close();
        meterProvider.close();
        traffic.close();
        receiver.stop(0);
    }

    private HttpServer startReceiver() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/metrics", this::receive);
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the OTLP receiver on loopback", e);
        }
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            if (!"POST".equals(exchange.getRequestMethod())
                    || !"application/x-protobuf".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            received.add(ExportMetricsServiceRequest.parseFrom(body));
            byte[] response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
            exchange.getResponseBody().write(response);
        }
    }

    @Test
    void aCollectorReceivesEveryMetricWithItsUnitAndTheRecordedValues() {
        ModelMonitor monitor = traffic.fraudMonitor();
        traffic.recordWindow(monitor);
        Traffic.settle(exporter, monitor);

        CompletableResultCode flushed = meterProvider.forceFlush().join(10, TimeUnit.SECONDS);

        assertThat(flushed.isSuccess()).as("the exporter got a 200 from the receiver").isTrue();
        assertThat(received).hasSize(1);
        List<ScopeMetrics> scopes = received.get(0).getResourceMetricsList().stream()
                .map(ResourceMetrics::getScopeMetricsList).flatMap(List::stream).toList();
        assertThat(scopes).hasSize(1);
        assertThat(scopes.get(0).getScope().getName()).isEqualTo("dev.seismo");
        assertThat(scopes.get(0).getScope().getVersion()).isNotEmpty();
        Map<String, io.opentelemetry.proto.metrics.v1.Metric> metrics = scopes.get(0).getMetricsList().stream()
                .collect(Collectors.toMap(io.opentelemetry.proto.metrics.v1.Metric::getName, Function.identity()));
        assertThat(metrics).hasSize(Metric.values().length);
        for (Metric m : Metric.values()) {
            assertThat(metrics).as("received metrics").containsKey(m.otelName());
            assertThat(metrics.get(m.otelName()).getUnit()).as("unit of %s", m).isEqualTo(m.unit());
        }

        List<NumberDataPoint> calls = metrics.get(Metric.INFERENCE_CALLS.otelName()).getSum().getDataPointsList();
        assertThat(metrics.get(Metric.INFERENCE_CALLS.otelName()).getSum().getIsMonotonic()).isTrue();
        assertThat(calls).hasSize(2);
        assertThat(only(calls, OUTCOME, "success").getAsInt()).isEqualTo(8);
        NumberDataPoint errors = only(calls, OUTCOME, "error");
        assertThat(errors.getAsInt()).isEqualTo(2);
        assertThat(value(errors.getAttributesList(), ERROR_TYPE)).isEqualTo("java.lang.IllegalStateException");
        assertThat(value(errors.getAttributesList(), MODEL_NAME)).isEqualTo("fraud");

        List<HistogramDataPoint> durations =
                metrics.get(Metric.INFERENCE_DURATION.otelName()).getHistogram().getDataPointsList();
        HistogramDataPoint success = durations.stream()
                .filter(p -> "success".equals(value(p.getAttributesList(), OUTCOME))).findFirst().orElseThrow();
        assertThat(success.getCount()).isEqualTo(8);
        assertThat(success.getSum()).isCloseTo(0.016, within(1e-12));
        assertThat(success.getExplicitBoundsList()).isEqualTo(Metric.INFERENCE_DURATION.bucketBoundaries());

        NumberDataPoint utilization =
                metrics.get(Metric.GPU_UTILIZATION.otelName()).getGauge().getDataPoints(0);
        assertThat(utilization.getAsDouble()).isEqualTo(0.75);
        assertThat(value(utilization.getAttributesList(), GPU_ID)).isEqualTo("GPU-in-memory-0");
        assertThat(metrics.get(Metric.GPU_MEMORY_LIMIT.otelName()).getGauge().getDataPoints(0).getAsInt())
                .isEqualTo(141L << 30);
        assertThat(metrics.get(Metric.INFERENCE_COST.otelName()).getSum().getDataPoints(0).getAsDouble())
                .isCloseTo(Traffic.COST.total(), within(1e-12));
        assertThat(metrics.get(Metric.FEATURE_MISSING_RATIO.otelName()).getGauge().getDataPointsList())
                .anySatisfy(p -> assertThat(p.getAsDouble()).isEqualTo(0.1));
    }

    private static NumberDataPoint only(List<NumberDataPoint> points, String key, String value) {
        List<NumberDataPoint> found = points.stream().filter(p -> value.equals(value(p.getAttributesList(), key)))
                .toList();
        assertThat(found).as("points with %s=%s", key, value).hasSize(1);
        return found.get(0);
    }

    private static String value(List<KeyValue> attributes, String key) {
        return attributes.stream().filter(kv -> kv.getKey().equals(key)).map(kv -> kv.getValue().getStringValue())
                .findFirst().orElse(null);
    }
}
