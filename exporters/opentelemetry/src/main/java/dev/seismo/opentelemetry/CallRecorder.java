package dev.seismo.opentelemetry;

import dev.seismo.cost.Cost;
import dev.seismo.cost.ResourceUsage;
import dev.seismo.export.CardinalityLimit;
import dev.seismo.export.Metric;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorObserver;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records what the registry aggregates into the synchronous instruments (the call histograms and counters, shed
 * records, cost and resources) and keeps each monitor's {@link ModelAttributes} for the gauges.
 *
 * <p>Internal: not part of the public API. Thread-safe: its recording methods run on the registry's aggregation
 * thread (or a thread flushing a monitor), never on a recording thread, so the instruments' cost never reaches the
 * model call; {@link #models()} is read by collecting threads.
 */
final class CallRecorder implements MonitorObserver {

    private static final double NANOS_PER_SECOND = 1e9;

    private final CardinalityLimit limit;
    private final ConcurrentHashMap<ModelMonitor, ModelAttributes> models = new ConcurrentHashMap<>();
    private final DoubleHistogram duration;
    private final LongCounter calls;
    private final LongCounter shed;
    private final LongHistogram tokens;
    private final DoubleCounter cost;
    private final DoubleCounter emissions;
    private final DoubleCounter cpuTime;
    private final DoubleCounter gpuTime;
    private final DoubleCounter energy;
    // Set on close, just before the registry forgets this observer: what is still in flight is ignored.
    private volatile boolean closed;

    CallRecorder(Meter meter, CardinalityLimit limit) {
        this.limit = limit;
        Metric d = Metric.INFERENCE_DURATION;
        this.duration = meter.histogramBuilder(d.otelName()).setDescription(d.description()).setUnit(d.unit())
                .setExplicitBucketBoundariesAdvice(d.bucketBoundaries()).build();
        Metric t = Metric.TOKEN_USAGE;
        this.tokens = meter.histogramBuilder(t.otelName()).setDescription(t.description()).setUnit(t.unit())
                .ofLongs().setExplicitBucketBoundariesAdvice(t.bucketBoundaries().stream().map(Double::longValue)
                        .toList()).build();
        this.calls = longCounter(meter, Metric.INFERENCE_CALLS);
        this.shed = longCounter(meter, Metric.INFERENCE_SHED);
        this.cost = doubleCounter(meter, Metric.INFERENCE_COST);
        this.emissions = doubleCounter(meter, Metric.INFERENCE_EMISSIONS);
        this.cpuTime = doubleCounter(meter, Metric.INFERENCE_CPU_TIME);
        this.gpuTime = doubleCounter(meter, Metric.INFERENCE_GPU_TIME);
        this.energy = doubleCounter(meter, Metric.INFERENCE_ENERGY);
    }

    private static LongCounter longCounter(Meter meter, Metric metric) {
        return meter.counterBuilder(metric.otelName()).setDescription(metric.description()).setUnit(metric.unit())
                .build();
    }

    private static DoubleCounter doubleCounter(Meter meter, Metric metric) {
        return meter.counterBuilder(metric.otelName()).setDescription(metric.description()).setUnit(metric.unit())
                .ofDoubles().build();
    }

    /** Every monitor heard of, with its attribute sets, for the gauges. */
    Map<ModelMonitor, ModelAttributes> models() {
        return Collections.unmodifiableMap(models);
    }

    void close() {
        closed = true;
    }

    private ModelAttributes attributes(ModelMonitor monitor) {
        // computeIfAbsent: the registry may hand a monitor's calls to a new observer before replaying its
        // registration to it.
        return models.computeIfAbsent(monitor, m -> new ModelAttributes(m, limit));
    }

    @Override
    public void onRegistered(ModelMonitor monitor) {
        if (!closed) {
            attributes(monitor);
        }
    }

    @Override
    public void onCalls(ModelMonitor monitor, long latencyNanos, String errorType, long count) {
        if (closed) {
            return;
        }
        Attributes attributes = attributes(monitor).call(errorType);
        double seconds = latencyNanos / NANOS_PER_SECOND;
        // Overflowed calls arrive grouped by latency; each is one observation of the histogram.
        for (long i = 0; i < count; i++) {
            duration.record(seconds, attributes);
        }
        calls.add(count, attributes);
    }

    @Override
    public void onUsage(ModelMonitor monitor, long inputUnits, long outputUnits, long calls) {
        if (closed || calls < 1) {
            return;
        }
        ModelAttributes model = attributes(monitor);
        for (long i = 0; i < calls; i++) { // overflowed calls arrive summed: their mean, once per call
            tokens.record(inputUnits / calls, model.inputTokens());
            tokens.record(outputUnits / calls, model.outputTokens());
        }
    }

    @Override
    public void onShed(ModelMonitor monitor, long records, long values) {
        if (!closed) {
            shed.add(records, attributes(monitor).model());
        }
    }

    @Override
    public void onCost(ModelMonitor monitor, ResourceUsage resources, Cost cost, double emissionsGrams) {
        if (closed) {
            return;
        }
        ModelAttributes model = attributes(monitor);
        if (Double.isFinite(cost.total())) { // NaN: a monitor without prices, which takes no currency slot
            add(this.cost, cost.total(), model.currency(cost.currency()));
        }
        add(emissions, emissionsGrams, model.model());
        add(cpuTime, resources.cpuSeconds(), model.model());
        add(gpuTime, resources.gpuSeconds(), model.model());
        add(energy, resources.gpuEnergyJoules(), model.model());
    }

    /** Counters only go up: a NaN or negative share (an unmeasured resource) is left out rather than rejected. */
    private static void add(DoubleCounter counter, double value, Attributes attributes) {
        if (value >= 0 && Double.isFinite(value)) {
            counter.add(value, attributes);
        }
    }
}
