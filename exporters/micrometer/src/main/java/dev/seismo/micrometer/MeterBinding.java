package dev.seismo.micrometer;

import dev.seismo.cost.Cost;
import dev.seismo.cost.ResourceUsage;
import dev.seismo.export.CardinalityLimit;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorObserver;
import dev.seismo.monitor.Window;
import dev.seismo.resource.GpuSampler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The observer behind one {@link SeismoMetrics#bindTo} call: hands each monitor's events to its {@link ModelMeters}
 * and shows the registry's GPUs once the sampler has read them. Internal.
 *
 * <p>Thread-safe. Events of one monitor arrive one at a time (under its aggregation lock), but different monitors
 * may be aggregated at once (a caller's {@code flush()} beside the registry's thread), and registration replays run
 * on the registering thread, hence the concurrent map.
 */
final class MeterBinding implements MonitorObserver {

    private final MeterRegistry registry;
    private final CardinalityLimit limit;
    private final Tags commonTags;
    private final GpuMeters gpus;
    private final ConcurrentHashMap<ModelMonitor, ModelMeters> models = new ConcurrentHashMap<>();

    MeterBinding(MeterRegistry registry, CardinalityLimit limit, Tags commonTags, GpuSampler gpu) {
        this.registry = registry;
        this.limit = limit;
        this.commonTags = commonTags;
        this.gpus = gpu == null ? null : new GpuMeters(registry, limit, commonTags, gpu);
    }

    /**
     * Registers the GPU meters once the sampler has a reading: devices are known only after its first sample,
     * which may come after binding. Cheap when done or without a sampler: called for every aggregated call.
     */
    void bindGpusIfRead() {
        if (gpus != null) {
            gpus.bindIfRead();
        }
    }

    private ModelMeters meters(ModelMonitor monitor) {
        ModelMeters meters = models.get(monitor);
        // The aggregation thread can report a monitor's calls before the replay of onRegistered reaches it.
        return meters != null ? meters : models.computeIfAbsent(monitor,
                m -> new ModelMeters(registry, limit, commonTags, m));
    }

    @Override
    public void onRegistered(ModelMonitor monitor) {
        ModelMeters meters = meters(monitor);
        // An observer added late hears of a monitor that may already have closed windows.
        monitor.latestWindow().ifPresent(meters::showWindow);
        bindGpusIfRead();
    }

    @Override
    public void onCalls(ModelMonitor monitor, long latencyNanos, String errorType, long count) {
        meters(monitor).calls(latencyNanos, errorType, count);
        bindGpusIfRead();
    }

    @Override
    public void onUsage(ModelMonitor monitor, long inputUnits, long outputUnits, long calls) {
        meters(monitor).usage(inputUnits, outputUnits, calls);
    }

    @Override
    public void onShed(ModelMonitor monitor, long records, long values) {
        meters(monitor).shed(records);
    }

    @Override
    public void onCost(ModelMonitor monitor, ResourceUsage resources, Cost cost, double emissionsGrams) {
        meters(monitor).cost(resources, cost, emissionsGrams);
    }

    @Override
    public void onWindowClosed(ModelMonitor monitor, Window window) {
        meters(monitor).showWindow(window);
    }

    @Override
    public String toString() {
        return "SeismoMetrics{" + registry.getClass().getSimpleName() + '}';
    }
}
