package dev.seismo.opentelemetry;

import dev.seismo.export.CardinalityLimit;
import dev.seismo.export.Metric;
import dev.seismo.resource.GpuDevice;
import dev.seismo.resource.GpuSample;
import dev.seismo.resource.GpuSampler;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The GPU gauges and the {@code hw.energy} counter, read at each collection from the sampler's latest readings,
 * which the sampler publishes as an immutable list: collecting never waits for a reading in progress.
 *
 * <p>Internal: not part of the public API. Thread-safe.
 */
final class GpuGauges {

    private static final AttributeKey<String> HW_TYPE = AttributeKey.stringKey(Metric.Attributes.HW_TYPE);
    private static final AttributeKey<String> GPU_ID = AttributeKey.stringKey(Metric.Attributes.GPU_ID);
    private static final AttributeKey<String> GPU_NAME = AttributeKey.stringKey(Metric.Attributes.GPU_NAME);

    private final GpuSampler sampler;
    private final CardinalityLimit limit;
    private final Map<GpuDevice, Attributes> devices = new ConcurrentHashMap<>();
    private final ObservableDoubleMeasurement utilization;
    private final ObservableLongMeasurement memoryUsage;
    private final ObservableLongMeasurement memoryLimit;
    private final ObservableDoubleMeasurement power;
    private final ObservableDoubleMeasurement energy;
    private final ObservableDoubleMeasurement temperature;

    private GpuGauges(Meter meter, GpuSampler sampler, CardinalityLimit limit) {
        this.sampler = sampler;
        this.limit = limit;
        this.utilization = ModelGauges.gauge(meter, Metric.GPU_UTILIZATION);
        this.memoryUsage = longGauge(meter, Metric.GPU_MEMORY_USAGE);
        this.memoryLimit = longGauge(meter, Metric.GPU_MEMORY_LIMIT);
        this.power = ModelGauges.gauge(meter, Metric.GPU_POWER);
        Metric e = Metric.GPU_ENERGY;
        // The driver's energy reading is already a running total, so it is an observable counter, not a gauge.
        this.energy = meter.counterBuilder(e.otelName()).setDescription(e.description()).setUnit(e.unit())
                .ofDoubles().buildObserver();
        this.temperature = ModelGauges.gauge(meter, Metric.GPU_TEMPERATURE);
    }

    /** Registers the instruments; closing the returned callback unregisters them. */
    static BatchCallback register(Meter meter, GpuSampler sampler, CardinalityLimit limit) {
        GpuGauges gauges = new GpuGauges(meter, sampler, limit);
        return meter.batchCallback(gauges::observe, gauges.utilization, gauges.memoryUsage, gauges.memoryLimit,
                gauges.power, gauges.energy, gauges.temperature);
    }

    private static ObservableLongMeasurement longGauge(Meter meter, Metric metric) {
        return meter.gaugeBuilder(metric.otelName()).setDescription(metric.description()).setUnit(metric.unit())
                .ofLongs().buildObserver();
    }

    private void observe() {
        // As for the model gauges: GPUs past the cardinality limit share one series, and the first one read shows.
        Set<Attributes> seen = new HashSet<>();
        for (GpuSample sample : sampler.latest()) {
            Attributes a = devices.computeIfAbsent(sample.device(), d -> Attributes.of(HW_TYPE, Metric.Attributes.GPU,
                    GPU_ID, limit.apply(GPU_ID.getKey(), d.uuid()), GPU_NAME, limit.apply(GPU_NAME.getKey(), d.name())));
            if (!seen.add(a)) {
                continue;
            }
            utilization.record(sample.utilization(), a);
            memoryUsage.record(sample.memoryUsedBytes(), a);
            memoryLimit.record(sample.memoryTotalBytes(), a);
            // NaN means the board does not report it: no point rather than a NaN one.
            recordIfRead(power, sample.powerWatts(), a);
            recordIfRead(energy, sample.energyJoules(), a);
            recordIfRead(temperature, sample.temperatureCelsius(), a);
        }
    }

    private static void recordIfRead(ObservableDoubleMeasurement measurement, double value, Attributes a) {
        if (!Double.isNaN(value)) {
            measurement.record(value, a);
        }
    }
}
