package dev.seismo.opentelemetry;

import dev.seismo.export.CardinalityLimit;
import dev.seismo.export.Metric;
import dev.seismo.monitor.MonitorObserver;
import dev.seismo.monitor.MonitorRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Shows a {@link MonitorRegistry}'s monitors, present and future, as OpenTelemetry metrics: every {@link Metric},
 * under the instrumentation scope {@value #SCOPE} with this library's version.
 *
 * <pre>{@code
 * try (SeismoOpenTelemetry metrics = SeismoOpenTelemetry.builder(registry).openTelemetry(openTelemetry).build()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Calls, usage, shed records and costs are recorded into synchronous instruments on the registry's aggregation
 * thread, never on the thread that made the model call; drift, data-quality and GPU gauges are read at collection
 * from immutable state (each monitor's latest closed window, the GPU sampler's latest readings), so a collection
 * never blocks recording. {@link #close()} unregisters the gauges and stops recording; the synchronous instruments
 * keep their last values, as the OpenTelemetry API cannot remove an instrument.
 *
 * <p>Thread-safe.
 */
public final class SeismoOpenTelemetry implements AutoCloseable {

    /** The instrumentation scope name. */
    public static final String SCOPE = "dev.seismo";

    private final CallRecorder recorder;
    private final List<BatchCallback> callbacks;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final MonitorRegistry registry;

    private SeismoOpenTelemetry(MonitorRegistry registry, CallRecorder recorder, List<BatchCallback> callbacks) {
        this.registry = registry;
        this.recorder = recorder;
        this.callbacks = callbacks;
    }

    /** A builder that binds to {@code registry}. */
    public static Builder builder(MonitorRegistry registry) {
        return new Builder(Objects.requireNonNull(registry, "registry"));
    }

    /** The registry observer, for tests that feed it exact amounts (costs). */
    MonitorObserver observer() {
        return recorder;
    }

    /** Stops recording and unregisters the gauges. Idempotent. */
    @Override
    public void close() {
        // The SDK warns about a callback closed twice, so only the first close unregisters.
        if (closed.compareAndSet(false, true)) {
            registry.removeObserver(recorder);
            recorder.close();
            callbacks.forEach(BatchCallback::close);
        }
    }

    /**
     * The version this library was built as, from the resource Maven filters at build time; null if it cannot be
     * read, so that the scope goes without a version rather than the application without metrics.
     */
    private static String version() {
        try (InputStream in = SeismoOpenTelemetry.class.getResourceAsStream("seismo-opentelemetry.properties")) {
            if (in == null) {
                return null;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }

    /** Builds and binds a {@link SeismoOpenTelemetry}. Not thread-safe. */
    public static final class Builder {
        private final MonitorRegistry registry;
        private OpenTelemetry openTelemetry;
        private int cardinalityLimit = CardinalityLimit.DEFAULT_MAX_VALUES;

        private Builder(MonitorRegistry registry) {
            this.registry = registry;
        }

        /**
         * The OpenTelemetry whose meter provider receives the metrics. Default: {@link GlobalOpenTelemetry#get()},
         * read at {@link #build()}. Register the SDK as the global one before that, or pass it here: in
         * OpenTelemetry 1.55 reading an unset global fixes it to a no-op (unless SDK autoconfiguration is on the
         * class path), and a later {@code GlobalOpenTelemetry.set} fails.
         */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            return this;
        }

        /**
         * At most this many distinct values per attribute key (default {@value CardinalityLimit#DEFAULT_MAX_VALUES});
         * later values are exported as {@value CardinalityLimit#OVERFLOW}.
         */
        public Builder cardinalityLimit(int maxValuesPerAttribute) {
            if (maxValuesPerAttribute < 1) {
                throw new IllegalArgumentException("cardinalityLimit must be >= 1 value per attribute, was "
                        + maxValuesPerAttribute);
            }
            this.cardinalityLimit = maxValuesPerAttribute;
            return this;
        }

        /** Creates the instruments and starts following the registry. */
        public SeismoOpenTelemetry build() {
            OpenTelemetry otel = openTelemetry != null ? openTelemetry : GlobalOpenTelemetry.get();
            MeterBuilder meterBuilder = otel.getMeterProvider().meterBuilder(SCOPE);
            String version = version();
            if (version != null) {
                meterBuilder.setInstrumentationVersion(version);
            }
            Meter meter = meterBuilder.build();
            CardinalityLimit limit = CardinalityLimit.perAttribute(cardinalityLimit);
            CallRecorder recorder = new CallRecorder(meter, limit);
            List<BatchCallback> callbacks = new ArrayList<>(2);
            callbacks.add(ModelGauges.register(meter, recorder.models()));
            registry.gpu().ifPresent(sampler -> callbacks.add(GpuGauges.register(meter, sampler, limit)));
            registry.addObserver(recorder);
            return new SeismoOpenTelemetry(registry, recorder, List.copyOf(callbacks));
        }
    }
}
