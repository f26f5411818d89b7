package dev.seismo.prometheus;

import dev.seismo.monitor.MonitorRegistry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Serves a registry's Seismo metrics on {@code /metrics} from a service without a web framework, with client_java's
 * {@link HTTPServer}:
 *
 * <pre>{@code
 * try (HTTPServer server = SeismoPrometheus.serve(monitorRegistry, 9464)) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Each server has its own {@link PrometheusRegistry} holding only the Seismo metrics; to serve them beside
 * others, register a {@link SeismoCollector} in a shared registry instead. The server speaks every exposition
 * format Prometheus asks for (text, OpenMetrics, protobuf). Thread-safe: static methods.
 */
public final class SeismoPrometheus {

    private SeismoPrometheus() {
    }

    /**
     * Serves on {@code 127.0.0.1:port}: reachable from the host only, as a sidecar or node agent scrapes. Port 0
     * picks a free one ({@link HTTPServer#getPort()}).
     *
     * @throws IOException if the port cannot be bound
     */
    public static HTTPServer serve(MonitorRegistry monitors, int port) throws IOException {
        // A literal address: no name lookup, and IPv4 loopback even where the JVM prefers IPv6.
        return serve(monitors, InetAddress.getByName("127.0.0.1"), port);
    }

    /**
     * Serves on {@code address:port}; bind a non-loopback address (or the wildcard {@code 0.0.0.0}) for a
     * Prometheus on another host.
     *
     * @throws IOException if the address and port cannot be bound
     */
    public static HTTPServer serve(MonitorRegistry monitors, InetAddress address, int port) throws IOException {
        Objects.requireNonNull(monitors, "monitors");
        Objects.requireNonNull(address, "address");
        PrometheusRegistry registry = new PrometheusRegistry();
        SeismoCollector.builder(monitors).register(registry);
        return HTTPServer.builder().inetAddress(address).port(port).registry(registry).buildAndStart();
    }
}
