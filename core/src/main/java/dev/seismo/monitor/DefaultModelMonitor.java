package dev.seismo.monitor;

import dev.seismo.drift.DriftConfig;
import dev.seismo.drift.DriftDetector;
import dev.seismo.drift.DriftReport;
import dev.seismo.cost.CostBudget;
import dev.seismo.cost.CostModel;
import dev.seismo.cost.RequestAttribution;
import dev.seismo.cost.ResourceUsage;
import dev.seismo.profile.CallStats;
import dev.seismo.profile.NumericProfile;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileAccumulator;
import dev.seismo.profile.ProfileMetadata;
import dev.seismo.resource.ThreadCpuTime;
import dev.seismo.schema.Role;
import dev.seismo.schema.Schema;
import dev.seismo.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * The monitor behind {@link ModelMonitor}.
 *
 * <p>Two sides that share only the {@link RecordBuffer} and the {@link OverflowCounts}: recording threads write
 * records into them; aggregation (the registry's thread, or a caller of {@link #snapshot()}) drains them into the
 * open window's {@link ProfileAccumulator} and {@link CallStats.Accumulator} under {@link #aggregation}, a lock no
 * recording thread ever takes. Every field below that lock's comment is guarded by it.
 */
final class DefaultModelMonitor implements ModelMonitor, RecordBuffer.RecordSink {

    private static final Logger log = LoggerFactory.getLogger(DefaultModelMonitor.class);
    /** Memory the record buffer may take, whatever the schema's width. */
    private static final long BUFFER_BYTES = 2L << 20;
    private static final int MAX_UNKNOWN_NAME_SAMPLES = 16;

    private final String name;
    private final String version;
    private final Schema schema;
    private final Clock clock;
    private final MonitorRegistry registry;
    private final long windowMillis;
    private final long windowMaxRecords;
    private final int windowHistory;
    private final List<WindowListener> listeners;
    private final DriftTracker drift;
    private final int valuesPerRecord;
    private final int recordedNumeric;
    private final CostModel costModel;
    private final ThreadCpuTime cpuTime;
    private final CostBudget budget;
    private final ResourceAccounting accounting;
    private final int costIndex;
    private final int emissionsIndex;
    private final int cpuIndex;
    private final RecordBuffer buffer;
    private final OverflowCounts overflow = new OverflowCounts();
    private final ErrorTypes errorTypes = new ErrorTypes();
    private final ThreadLocal<Inference> scopes;
    private final AtomicLong recordingFailures = new AtomicLong();
    private volatile boolean closed;

    private final ReentrantLock aggregation = new ReentrantLock();
    // Guarded by aggregation:
    private final ProfileAccumulator features;
    private final CallStats.Accumulator calls = new CallStats.Accumulator();
    private final ArrayDeque<Window> history = new ArrayDeque<>();
    private long windowStartMillis;
    private long windowSequence;
    private long lifetimeCalls;
    private long evictedWindows;
    private long unknownNames;
    private final Set<String> unknownNameSamples = new LinkedHashSet<>();
    private long listenerFailures;
    private long drainNowMillis;
    private MonitorObserver[] observers = new MonitorObserver[0];
    private volatile Window latestWindow;

    DefaultModelMonitor(ModelMonitor.Builder config, Schema schema, CostModel costModel, MonitorRegistry registry) {
        this.name = config.name;
        this.version = config.version;
        this.schema = schema;
        this.registry = registry;
        this.clock = registry.clock();
        this.windowMillis = config.windowDuration == null ? 0 : config.windowDuration.toMillis();
        this.windowMaxRecords = config.windowMaxRecords;
        this.windowHistory = config.windowHistory;
        this.listeners = List.copyOf(config.listeners);
        this.drift = config.reference == null && config.bootstrapWindows == 0 ? null
                : new DriftTracker(DriftDetector.of(config.driftConfig == null ? DriftConfig.defaults()
                        : config.driftConfig), config.reference, config.bootstrapWindows, config.driftListeners);
        this.costModel = costModel;
        this.cpuTime = config.cpuTime;
        this.budget = config.budget;
        this.costIndex = schema.numericIndex(COST);
        this.emissionsIndex = schema.numericIndex(EMISSIONS);
        this.cpuIndex = schema.numericIndex(CPU_TIME);
        // Resource signals come last and are filled in by Seismo, so the record buffer carries only the caller's.
        int numeric = (int) schema.numeric().stream().filter(f -> f.role() != Role.RESOURCE).count();
        this.recordedNumeric = numeric;
        int categorical = schema.categorical().size();
        this.accounting = costModel == null ? null : registry.accounting();
        if (accounting != null && cpuTime != null) {
            accounting.perThreadCpuMeasured();
        }
        this.valuesPerRecord = numeric + categorical;
        this.buffer = new RecordBuffer(stripes(), capacityPerStripe(numeric, categorical), numeric, categorical,
                config.featureSampling, accounting != null || cpuTime != null, registry::wakeAggregator);
        this.features = new ProfileAccumulator(schema, config.profileOptions);
        this.scopes = ThreadLocal.withInitial(() -> new Inference(this, true));
        this.windowStartMillis = alignedStart(clock.currentTimeMillis());
    }

    private static int stripes() {
        int cpus = Runtime.getRuntime().availableProcessors();
        return Math.min(64, Integer.highestOneBit(Math.max(1, cpus - 1)) << 2);
    }

    private static int capacityPerStripe(int numeric, int categorical) {
        long slotBytes = 48L + 8L * numeric + 8L * categorical;
        long slots = BUFFER_BYTES / slotBytes / stripes();
        return (int) Math.max(64, Math.min(1024, Long.highestOneBit(Math.max(1, slots))));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    Clock clock() {
        return clock;
    }

    /** How many numeric values a record carries: the caller's signals, not the resource signals. */
    int recordedNumeric() {
        return recordedNumeric;
    }

    /** The prices of this monitor's calls, or null without a cost model. */
    CostModel costModel() {
        return costModel;
    }

    /** The calling thread's CPU time mark for a call that starts now, or NOT_MEASURED. */
    long cpuTimeStart() {
        return cpuTime == null ? ThreadCpuTime.NOT_MEASURED : cpuTime.start();
    }

    // ---- recording: caller's thread -------------------------------------------------------------------------

    @Override
    public Inference start() {
        Inference scope = scopes.get();
        if (scope.inUse) {
            scope = new Inference(this, false); // nested scope on the same thread: rare, so allocate
        } else {
            scope.inUse = true;
            scope.monitor = this;
        }
        return scope.start();
    }

    @Override
    public Inference newInference() {
        return new Inference(this, false);
    }

    @Override
    public void record(Inference rec) {
        if (rec.monitor != this || (rec.pooled && !rec.inUse)) {
            // Another monitor's inference, or a scope closed twice: recording it would count a phantom call.
            recordingFailures.incrementAndGet();
            return;
        }
        try {
            if (!closed) {
                long now = rec.needsClock() || accounting != null ? clock.nanoTime() : 0;
                long latency = rec.latencyAt(now);
                rec.endNanos = now;
                if (rec.cpuNanos != ThreadCpuTime.NOT_MEASURED) {
                    rec.cpuNanos = cpuTime.elapsedSince(rec.cpuNanos);
                }
                int errorCode = rec.error == null ? ErrorTypes.SUCCESS : errorTypes.codeOf(rec.error);
                if (!buffer.offer(latency, errorCode, rec)) {
                    overflow.record(latency, errorCode, rec, valuesPerRecord);
                }
            }
        } catch (Throwable t) {
            // Never into the model call; a monitoring bug must not become an outage.
            recordingFailures.incrementAndGet();
        } finally {
            rec.clear();
        }
    }

    @Override
    public <T, E extends Throwable> T observe(Map<String, ?> features, ModelCall<T, E> call) throws E {
        return observe(features, call, null);
    }

    @Override
    public <T, E extends Throwable> T observe(Map<String, ?> features, ModelCall<T, E> call,
                                              BiConsumer<? super T, Inference> outputs) throws E {
        Inference scope = start();
        try {
            T result = call.call();
            if (outputs != null) {
                try {
                    outputs.accept(result, scope);
                } catch (RuntimeException e) {
                    recordingFailures.incrementAndGet();
                }
            }
            return result;
        } catch (Throwable t) {
            scope.error(t);
            throw t;
        } finally {
            try {
                scope.set(features);
            } catch (RuntimeException e) {
                recordingFailures.incrementAndGet(); // a map that throws on iteration
            }
            scope.close();
        }
    }

    // ---- aggregation: registry thread or snapshot caller -----------------------------------------------------

    @Override
    public MonitorSnapshot snapshot() {
        // From a listener, inside a drain: draining again here would wait on the outer drain's records.
        boolean reentrant = aggregation.isHeldByCurrentThread();
        aggregation.lock();
        try {
            if (!reentrant) {
                aggregate(true);
            }
            long now = drainNowMillis;
            Window current = new Window(windowSequence, null, profile(Math.max(now, windowStartMillis)), null);
            return new MonitorSnapshot(current, List.copyOf(history), lifetimeCalls, evictedWindows, unknownNames,
                    unknownNameSamples, listenerFailures, recordingFailures.get());
        } finally {
            aggregation.unlock();
        }
    }

    @Override
    public void flush() {
        if (aggregation.isHeldByCurrentThread()) {
            return; // from a listener, inside a drain, which is already flushing
        }
        aggregation.lock();
        try {
            aggregate(true);
        } finally {
            aggregation.unlock();
        }
    }

    /** Drains what was recorded and closes the windows that are due. Called by the registry's thread. */
    void aggregate() {
        aggregation.lock();
        try {
            aggregate(false);
        } finally {
            aggregation.unlock();
        }
    }

    /** Stops recording and drains what was recorded, so the registry can settle the last calls' resources. */
    void drainForShutdown() {
        aggregation.lock();
        try {
            closed = true;
            aggregate(true);
        } finally {
            aggregation.unlock();
        }
    }

    /** Closes the open window, if it saw any call. Called once, when the registry closes, after the last drain. */
    void shutdown() {
        aggregation.lock();
        try {
            if (calls.calls() > 0) {
                closeWindow(Window.CloseReason.SHUTDOWN, Math.max(drainNowMillis, windowStartMillis));
            }
        } finally {
            aggregation.unlock();
        }
    }

    private void aggregate(boolean waitForInFlight) {
        drainNowMillis = clock.currentTimeMillis();
        observers = registry.observers();
        // Rotate before draining: after an idle spell what is waiting in the buffer was most likely recorded
        // just now, so it belongs to the new window, not to the one that ended long ago.
        if (windowMillis > 0) {
            long end = alignedStart(windowStartMillis) + windowMillis;
            if (drainNowMillis >= end) {
                if (calls.calls() > 0) {
                    closeWindow(Window.CloseReason.DURATION, end);
                }
                windowStartMillis = alignedStart(drainNowMillis);
            }
        }
        buffer.drain(this, waitForInFlight);
        lifetimeCalls += overflow.drainInto(calls, errorTypes, this);
    }

    @Override
    public void accept(long latencyNanos, int meta, long inputUnits, long outputUnits, long endNanos, long cpuNanos,
                       double[] numeric, int numericOffset, Object[] categorical, int categoricalOffset,
                       String unknownName) {
        if (windowMaxRecords > 0 && calls.calls() >= windowMaxRecords) {
            closeWindow(Window.CloseReason.RECORD_COUNT, Math.max(drainNowMillis, windowStartMillis));
        }
        int errorCode = (meta >>> 8) & 0xFF;
        boolean profiled = (meta & RecordBuffer.PROFILED) != 0;
        String errorType = errorCode == ErrorTypes.SUCCESS ? null : errorTypes.nameOf(errorCode);
        boolean hasUsage = (meta & RecordBuffer.HAS_USAGE) != 0;
        calls.record(latencyNanos, errorType, inputUnits, outputUnits, hasUsage, profiled);
        observeCalls(latencyNanos, errorType, 1);
        if (hasUsage) {
            observeUsage(inputUnits, outputUnits, 1);
        }
        if (accounting != null) {
            accounting.addCall(this, endNanos, latencyNanos, inputUnits, outputUnits, cpuNanos);
        } else if (cpuNanos != ThreadCpuTime.NOT_MEASURED && cpuIndex >= 0) {
            features.updateNumeric(cpuIndex, cpuNanos / 1e9);
        }
        if (profiled) {
            int n = recordedNumeric;
            for (int i = 0; i < n; i++) {
                features.updateNumeric(i, numeric[numericOffset + i]);
            }
            int c = schema.categorical().size();
            for (int i = 0; i < c; i++) {
                features.updateCategorical(i, categorical[categoricalOffset + i]);
            }
        }
        int unknown = meta >>> 16;
        if (unknown > 0) {
            unknownNames += unknown;
            if (unknownName != null && unknownNameSamples.size() < MAX_UNKNOWN_NAME_SAMPLES) {
                unknownNameSamples.add(unknownName);
            }
        }
        lifetimeCalls++;
    }

    // ---- observers: aggregation thread; plain loops, so nothing is allocated per record ----

    void observeCalls(long latencyNanos, String errorType, long count) {
        for (MonitorObserver observer : observers) {
            try {
                observer.onCalls(this, latencyNanos, errorType, count);
            } catch (RuntimeException e) {
                observerFailed(observer, e);
            }
        }
    }

    void observeUsage(long inputUnits, long outputUnits, long calls) {
        for (MonitorObserver observer : observers) {
            try {
                observer.onUsage(this, inputUnits, outputUnits, calls);
            } catch (RuntimeException e) {
                observerFailed(observer, e);
            }
        }
    }

    void observeShed(long records, long values) {
        for (MonitorObserver observer : observers) {
            try {
                observer.onShed(this, records, values);
            } catch (RuntimeException e) {
                observerFailed(observer, e);
            }
        }
    }

    private void observerFailed(MonitorObserver observer, Exception e) {
        if (listenerFailures++ == 0) {
            log.warn("Observer {} failed for model {}:{}; further failures are counted in listenerFailures",
                    observer, name, version, e);
        }
    }

    @Override
    public void failed(Throwable t) {
        if (recordingFailures.getAndIncrement() == 0) {
            log.warn("A call of model {}:{} could not be aggregated and was skipped; further failures are counted"
                    + " in recordingFailures", name, version, t);
        }
    }

    /** A call's resources were settled: its cost, emissions and CPU time join the open window. */
    void settled(RequestAttribution<ResourceAccounting.Call> call) {
        aggregation.lock();
        try {
            double cost = call.cost().total();
            ResourceUsage used = call.resources();
            if (call.key().cpuNanos() != ThreadCpuTime.NOT_MEASURED) {
                used = new ResourceUsage(used.instanceSeconds(), call.key().cpuNanos() / 1e9, used.gpuSeconds(),
                        used.gpuEnergyJoules());
            }
            features.updateNumeric(costIndex, cost);
            features.updateNumeric(emissionsIndex, call.emissionsGrams());
            features.updateNumeric(cpuIndex, used.cpuSeconds());
            for (MonitorObserver observer : observers) {
                try {
                    observer.onCost(this, used, call.cost(), call.emissionsGrams());
                } catch (Exception e) {
                    observerFailed(observer, e);
                }
            }
        } finally {
            aggregation.unlock();
        }
    }

    private void closeWindow(Window.CloseReason reason, long endMillis) {
        Profile profile = profile(endMillis);
        DriftReport report = drift == null ? null : drift.compare(this, profile);
        Window window = new Window(windowSequence++, reason, profile, report);
        history.addLast(window);
        latestWindow = window; // before anyone is told, so what they read agrees with what they heard
        if (history.size() > windowHistory) {
            history.removeFirst();
            evictedWindows++;
        }
        features.reset();
        calls.reset();
        windowStartMillis = endMillis;
        for (WindowListener listener : listeners) {
            try {
                listener.onWindowClosed(this, window);
            } catch (RuntimeException e) {
                listenerFailures++;
                log.warn("Window listener {} failed for model {}:{}; other listeners still run", listener, name,
                        version, e);
            }
        }
        if (drift != null) {
            listenerFailures += drift.notifyChanges(this, window);
        }
        if (budget != null) {
            NumericProfile cost = profile.numeric(COST);
            budget.check(cost.count() == 0 ? 0 : cost.mean() * cost.count(), window.calls().calls());
        }
        for (MonitorObserver observer : observers) {
            try {
                observer.onWindowClosed(this, window);
            } catch (RuntimeException e) {
                observerFailed(observer, e);
            }
        }
    }

    @Override
    public Optional<Window> latestWindow() {
        return Optional.ofNullable(latestWindow);
    }

    private Profile profile(long endMillis) {
        ProfileMetadata meta = new ProfileMetadata(name, version, Instant.ofEpochMilli(windowStartMillis),
                Instant.ofEpochMilli(endMillis));
        return features.toProfile(meta, calls.snapshot());
    }

    private long alignedStart(long millis) {
        return windowMillis == 0 ? millis : millis - Math.floorMod(millis, windowMillis);
    }

    @Override
    public String toString() {
        return "ModelMonitor{" + name + ':' + version + ", " + schema.size() + " signals, window "
                + (windowMillis > 0 ? Duration.ofMillis(windowMillis) : "by count") + '}';
    }
}
