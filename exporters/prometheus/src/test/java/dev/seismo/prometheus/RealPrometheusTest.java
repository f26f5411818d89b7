package dev.seismo.prometheus;

import dev.seismo.monitor.Inference;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorRegistry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real Prometheus server (the {@code prometheus} binary, which CI installs) scrapes {@link SeismoPrometheus#serve}
 * every second on loopback; its HTTP API must answer with the calls recorded. Prometheus 2.x asks for OpenMetrics
 * first, which client_java serves; a second job asks for {@code ?debug=text}, which client_java serves in the
 * classic text format as plain text, so both of Prometheus's parsers read the exposition.
 */
class RealPrometheusTest {

    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"]");

    @TempDir
    Path dir;

    @Test
    void prometheusScrapesTheRecordedCallsWithTheirTypes() throws Exception {
        try (MonitorRegistry registry = MonitorRegistry.create();
             HTTPServer server = SeismoPrometheus.serve(registry, 0)) {
            ModelMonitor fraud = ModelMonitor.builder("fraud").version("3").register(registry);
            Inference inference = fraud.newInference();
            for (int i = 0; i < 42; i++) {
                if (i < 2) {
                    inference.error(new IllegalStateException());
                }
                fraud.record(inference.latency(7_000_000).usage(100, 10));
            }
            fraud.flush();

            Process prometheus = start(server.getPort());
            try {
                String api = "http://127.0.0.1:" + webPort + "/api/v1/";
                for (String job : new String[] {"seismo", "seismo-text"}) {
                    String model = "model_name=\"fraud\",model_version=\"3\",job=\"" + job + "\"";
                    assertThat(awaitValue(prometheus, api, "up{job=\"" + job + "\"}")).isEqualTo("1");
                    assertThat(awaitValue(prometheus, api,
                            "model_inference_calls_total{" + model + ",outcome=\"success\"}")).isEqualTo("40");
                    assertThat(awaitValue(prometheus, api,
                            "sum(model_inference_calls_total{" + model + ",error_type!=\"none\"})")).isEqualTo("2");
                    assertThat(awaitValue(prometheus, api,
                            "sum(model_inference_duration_seconds_bucket{" + model + ",le=\"0.01\"})"))
                            .isEqualTo("42");
                    assertThat(awaitValue(prometheus, api,
                            "gen_ai_client_token_usage_sum{" + model + ",gen_ai_token_type=\"input\"}"))
                            .isEqualTo("4200");
                }
                // OpenMetrics names a counter's family without _total and carries units; the text format does
                // neither.
                assertThat(targetMetadata(api, "seismo"))
                        .contains("\"metric\":\"model_inference_calls\",\"type\":\"counter\"")
                        .contains("\"metric\":\"model_inference_duration_seconds\",\"type\":\"histogram\""
                                + ",\"help\":\"Duration of model calls, success or error.\",\"unit\":\"seconds\"");
                assertThat(targetMetadata(api, "seismo-text"))
                        .contains("\"metric\":\"model_inference_calls_total\",\"type\":\"counter\"")
                        .contains("\"metric\":\"model_inference_duration_seconds\",\"type\":\"histogram\"");
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(5, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private int webPort;

    private static String targetMetadata(String api, String job) {
        return Http.get(api + "targets/metadata?match_target=" + encode("{job=\"" + job + "\"}"), "application/json")
                .body();
    }

    private Process start(int targetPort) throws IOException {
        webPort = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: seismo
                    static_configs:
                      - targets: ['127.0.0.1:%1$d']
                  - job_name: seismo-text
                    params:
                      debug: [text]
                    static_configs:
                      - targets: ['127.0.0.1:%1$d']
                """.formatted(targetPort));
        return new ProcessBuilder(PromTool.binary("prometheus").toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + webPort,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    /** Polls an instant query until it has one sample, within the deadline; fails with Prometheus's log if not. */
    private String awaitValue(Process prometheus, String api, String query) throws Exception {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        String last = "(no answer)";
        while (System.nanoTime() < deadline && prometheus.isAlive()) {
            try {
                HttpResponse<String> response = Http.get(api + "query?query=" + encode(query), "application/json");
                last = response.body();
                Matcher m = VALUE.matcher(last);
                if (response.statusCode() == 200 && m.find()) {
                    return m.group(1);
                }
            } catch (RuntimeException notListeningYet) {
                last = notListeningYet.toString();
            }
            Thread.sleep(200);
        }
        return fail("no value for %s (Prometheus %s); last answer: %s; log:%n%s", query,
                prometheus.isAlive() ? "running" : "exited " + prometheus.exitValue(), last,
                Files.readString(dir.resolve("prometheus.log")));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
