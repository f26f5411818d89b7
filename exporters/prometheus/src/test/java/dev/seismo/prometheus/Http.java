package dev.seismo.prometheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A blocking HTTP GET with short timeouts, for loopback servers. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {
    }

    static HttpResponse<String> get(String uri, String accept) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).header("Accept", accept)
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + uri, e);
        }
    }

    /** The body of a successful GET of {@code /metrics} in the text format Prometheus 2.x reads. */
    static String metrics(int port) {
        HttpResponse<String> response = get("http://127.0.0.1:" + port + "/metrics",
                "text/plain;version=0.0.4;q=1.0");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics answered " + response.statusCode());
        }
        return response.body();
    }
}
