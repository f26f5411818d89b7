package dev.seismo.prometheus;

import dev.seismo.monitor.ModelMonitor;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class SeismoPrometheusTest {

    private final Scenario scenario = new Scenario();

    @AfterEach
    void close() {
        scenario.close();
    }

    @Test
    void servesTheTextFormatOnLoopbackAndPromtoolAcceptsIt() throws Exception {
        ModelMonitor fraud = scenario.fraud();
        try (HTTPServer server = SeismoPrometheus.serve(scenario.registry, 0)) {
            scenario.window(fraud, 2, 0);

            HttpResponse<String> response = Http.get("http://127.0.0.1:" + server.getPort() + "/metrics",
                    "text/plain;version=0.0.4");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValue("text/plain; version=0.0.4; charset=utf-8");
            Exposition e = Exposition.parse(Exposition.checked(response.body()));
            assertThat(e.value("model_inference_calls_total", "model_name", "fraud", "outcome", "success"))
                    .isEqualTo(399);
            assertThat(e.value("model_feature_missing_ratio", "model_feature", "amount")).isEqualTo(0.1);
            assertThat(e.value("hw_power_watts")).isEqualTo(350.5);
        }
    }

    @Test
    void servesOpenMetricsWithUnitsToAScraperThatPrefersIt() throws Exception {
        try (HTTPServer server = SeismoPrometheus.serve(scenario.registry, InetAddress.getByName("127.0.0.1"), 0)) {
            scenario.fraud();

            HttpResponse<String> response = Http.get("http://127.0.0.1:" + server.getPort() + "/metrics",
                    "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body())
                    .contains("# TYPE model_inference_calls counter\n")
                    .contains("model_inference_calls_total{error_type=\"none\",model_name=\"fraud\","
                            + "model_version=\"3\",outcome=\"success\"} 0.0\n")
                    .contains("# UNIT model_inference_duration_seconds seconds\n")
                    .endsWith("# EOF\n");
        }
    }

    @Test
    void closingTheServerFreesItsPort() throws Exception {
        scenario.fraud();
        int port;
        try (HTTPServer server = SeismoPrometheus.serve(scenario.registry, 0)) {
            port = server.getPort();
            assertThat(Http.metrics(port)).contains("# TYPE model_inference_calls_total counter");
        }
        try (HTTPServer again = SeismoPrometheus.serve(scenario.registry, port)) {
            assertThat(again.getPort()).isEqualTo(port);
        }
    }
}
