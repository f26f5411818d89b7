package dev.seismo.monitor;

import dev.seismo.drift.DriftConfig;
import dev.seismo.drift.DriftDetector;
import dev.seismo.drift.DriftReport;
import dev.seismo.cost.Cost;
import dev.seismo.cost.CostBudget;
import dev.seismo.cost.CostModel;
import dev.seismo.cost.RequestAttribution;
import dev.seismo.cost.ResourceUsage;
import dev.seismo.cost.TokenUsage;
import dev.seismo.privacy.HashKey;
import dev.seismo.profile.CallStats;
import dev.seismo.profile.NumericProfile;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileAccumulator;
import dev.seismo.profile.ProfileMetadata;
import dev.seismo.quality.LabelOutcome;
import dev.seismo.quality.QualitySnapshot;
import dev.seismo.quality.QualityTracker;
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
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
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
    /** What exporters hear of resources that were not attributed or not measured: nothing (they skip NaN). */
    private static final ResourceUsage NOT_ATTRIBUTED = new ResourceUsage(Double.NaN, Double.NaN, Double.NaN,
            Double.NaN);

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
    /** Each measured call stands for this many calls in the CPU seconds exporters hear (1 in n measured). */
    private final int cpuSampling;
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
    private final AtomicLong invalidUsage = new AtomicLong();
    private volatile boolean closed;
    /** Quality tracking (delayed labels, CBPE); null without. Its own lock, never taken by a recording thread. */
    private final QualityTracker quality;

    private final ReentrantLock aggregation = new ReentrantLock();
    /** Settled calls that found the aggregation lock taken; applied at the next drain or at shutdown. */
    private final Queue<RequestAttribution<ResourceAccounting.Call>> settledInbox = new ConcurrentLinkedQueue<>();
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
    private long unattributedCalls;
    /** Resource values (settled or overflowed calls' costs) in the open window: they make it worth closing. */
    private long resourceValuesInWindow;
    private long drainNowMillis;
    private MonitorObserver[] observers = new MonitorObserver[0];
    private volatile Window latestWindow;

    /**
     * @param callerSchema the caller's signals; the resource signals are added here
     * @param costModel    the prices of this monitor's calls, layered on the registry's; null if unpriced
     * @param accounting   the registry's resource attribution, which this monitor joins; null if none
     * @param hashKey      the key protected features are hashed with; null if none is protected
     */
    DefaultModelMonitor(ModelMonitor.Builder config, Schema callerSchema, CostModel costModel,
                        ResourceAccounting accounting, MonitorRegistry registry, HashKey hashKey) {
        this.name = config.name;
        this.version = config.version;
        this.schema = withResourceSignals(callerSchema, costModel != null,
                accounting != null || config.cpuTime != null);
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
        this.cpuSampling = cpuTime == null ? 1 : cpuTime.sampling();
        this.budget = config.budget;
        this.costIndex = schema.numericIndex(COST);
        this.emissionsIndex = schema.numericIndex(EMISSIONS);
        this.cpuIndex = schema.numericIndex(CPU_TIME);
        // Resource signals come last and are filled in by Seismo, so the record buffer carries only the caller's.
        int numeric = (int) schema.numeric().stream().filter(f -> f.role() != Role.RESOURCE).count();
        this.recordedNumeric = numeric;
        int categorical = schema.categorical().size();
        this.accounting = accounting;
        this.valuesPerRecord = numeric + categorical;
        this.buffer = new RecordBuffer(stripes(), capacityPerStripe(numeric, categorical), numeric, categorical,
                config.featureSampling, accounting != null || cpuTime != null, registry::wakeAggregator);
        // Protected values are hashed by the accumulator, on the aggregation thread: a recording thread only copies
        // a reference into its slot (an HMAC costs about a microsecond).
        this.features = new ProfileAccumulator(schema, config.profileOptions, hashKey);
        if (config.reference != null) {
            try {
                config.reference.requireSameProtection(features.toProfile(new ProfileMetadata(name, version,
                        Instant.EPOCH, Instant.EPOCH), null));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the reference profile of model '" + name + "' cannot be compared"
                        + " with its windows: " + e.getMessage(), e);
            }
        }
        this.scopes = ThreadLocal.withInitial(() -> new Inference(this, true));
        this.windowStartMillis = alignedStart(clock.currentTimeMillis());
        this.quality = config.quality == null ? null
                : new QualityTracker(config.quality, name + ':' + version, windowHistory, 0, windowStartMillis);
    }

    /** Cost and emissions for a priced monitor; CPU seconds where they can be measured or attributed. */
    private static Schema withResourceSignals(Schema callerSchema, boolean priced, boolean cpu) {
        Schema.Builder signals = Schema.builder();
        callerSchema.features().forEach(signals::add);
        if (priced) {
            signals.numericResource(COST).numericResource(EMISSIONS);
        }
        if (cpu) {
            signals.numericResource(CPU_TIME);
        }
        return signals.build();
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

    /** The prices of this monitor's calls in the attribution: its cost model, or free if it has none. */
    CostModel callPrices() {
        return costModel != null ? costModel : CostModel.free();
    }

    CostBudget budget() {
        return budget;
    }

    /** Probabilities a keyed multiclass prediction carries; 0 otherwise. */
    int probabilityWidth() {
        return quality == null ? 0 : quality.probabilityWidth();
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
                if (rec.invalidUsage) {
                    invalidUsage.incrementAndGet();
                }
                int errorCode = rec.error == null ? ErrorTypes.SUCCESS : errorTypes.codeOf(rec.error);
                if (!buffer.offer(latency, errorCode, rec)) {
                    overflow.record(latency, errorCode, rec, valuesPerRecord);
                }
                if (rec.keyed && quality != null) {
                    quality.offer(rec.key, rec.prediction, rec.predictedClass,
                            rec.hasProbabilities ? rec.probabilities : null);
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
                    unknownNameSamples, listenerFailures, recordingFailures.get(), invalidUsage.get(),
                    unattributedCalls);
        } finally {
            aggregation.unlock();
        }
    }

    /** Whether the calling thread is inside this monitor's drain: a listener or observer it called. */
    boolean aggregatingOnThisThread() {
        return aggregation.isHeldByCurrentThread();
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

    /**
     * Closes the open window if it holds anything: calls, or costs settled after the last window with calls closed.
     * Called once, when the registry closes, after the last drain and settlement.
     */
    void shutdown() {
        aggregation.lock();
        try {
            applySettledInbox();
            if (windowHasContent()) {
                closeWindow(Window.CloseReason.SHUTDOWN, Math.max(drainNowMillis, windowStartMillis));
            }
        } finally {
            aggregation.unlock();
        }
    }

    private void aggregate(boolean waitForInFlight) {
        drainNowMillis = clock.currentTimeMillis();
        observers = registry.observers();
        applySettledInbox();
        // Rotate before draining: after an idle spell what is waiting in the buffer was most likely recorded
        // just now, so it belongs to the new window, not to the one that ended long ago.
        if (windowMillis > 0) {
            long end = alignedStart(windowStartMillis) + windowMillis;
            if (drainNowMillis >= end) {
                if (windowHasContent()) {
                    closeWindow(Window.CloseReason.DURATION, end);
                }
                windowStartMillis = alignedStart(drainNowMillis);
            }
        }
        buffer.drain(this, waitForInFlight);
        lifetimeCalls += overflow.drainInto(calls, errorTypes, this);
        if (quality != null) {
            quality.drain(windowSequence, windowStartMillis, drainNowMillis);
        }
    }

    private boolean windowHasContent() {
        return calls.calls() > 0 || resourceValuesInWindow > 0;
    }

    @Override
    public void accept(long latencyNanos, int meta, long inputUnits, long outputUnits, long cachedInputUnits,
                       long endNanos, long cpuNanos, double[] numeric, int numericOffset, Object[] categorical,
                       int categoricalOffset, String unknownName) {
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
            accounting.addCall(this, endNanos, latencyNanos, inputUnits, outputUnits, cachedInputUnits, cpuNanos);
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

    /**
     * Calls that took the overflow path were drained: priced for their tokens and calls into the open window (one
     * cost value per call, the group's mean), and counted as unattributed, since without their end times they take
     * no share of measured resources (the calls that overlapped them get it).
     */
    void overflowed(long n, long inputTokens, long cachedInputTokens, long outputTokens) {
        if (accounting == null) {
            return;
        }
        unattributedCalls += n;
        if (costIndex < 0) {
            return; // no prices: nothing to add to a cost, and no resources were attributed
        }
        Cost tokens = callPrices().cost(new TokenUsage(inputTokens, outputTokens, cachedInputTokens),
                ResourceUsage.NONE);
        Cost group = new Cost(tokens.currency(), tokens.tokens(), tokens.calls() * n, 0, 0, 0);
        features.updateNumeric(costIndex, group.total() / n, n);
        resourceValuesInWindow += n;
        for (MonitorObserver observer : observers) {
            try {
                observer.onCost(this, NOT_ATTRIBUTED, group, Double.NaN);
            } catch (Exception e) {
                observerFailed(observer, e);
            }
        }
    }

    /**
     * A call's resources were settled: its cost, emissions and CPU time join the open window. Never waits for this
     * monitor's lock, since the registry calls it while settling and a listener holding that lock may be waiting
     * for the settling to finish ({@code registry.close()} from a window listener): a busy monitor finds the call
     * in its inbox at its next drain or at shutdown.
     */
    void settled(RequestAttribution<ResourceAccounting.Call> call) {
        if (!aggregation.tryLock()) {
            settledInbox.add(call);
            return;
        }
        try {
            applySettledInbox();
            applyOrReport(call);
        } finally {
            aggregation.unlock();
        }
    }

    /** Holding the aggregation lock. */
    private void applySettledInbox() {
        RequestAttribution<ResourceAccounting.Call> waiting;
        while ((waiting = settledInbox.poll()) != null) {
            applyOrReport(waiting);
        }
    }

    /** One call failing to apply (an observer throwing an Error, say) must not cost the others theirs, or a drain. */
    private void applyOrReport(RequestAttribution<ResourceAccounting.Call> call) {
        try {
            apply(call);
        } catch (Throwable e) {
            accounting.failed("handing a call's cost to model " + name + ":" + version, e);
        }
    }

    /** Holding the aggregation lock. */
    private void apply(RequestAttribution<ResourceAccounting.Call> call) {
        ResourceUsage used = call.resources();
        long cpuNanos = call.key().cpuNanos();
        double cpuSeconds; // this call's, for the profile
        double cpuEstimate; // what exporters add to the model's CPU time
        if (cpuNanos != ThreadCpuTime.NOT_MEASURED) {
            cpuSeconds = cpuNanos / 1e9;
            cpuEstimate = cpuSeconds * cpuSampling; // 1 call in n measured: an unbiased estimate of the n
        } else if (accounting.spreadsProcessCpu()) {
            cpuSeconds = used.cpuSeconds();
            cpuEstimate = cpuSeconds;
        } else {
            cpuSeconds = Double.NaN; // not measured: no value, rather than a 0 that never happened
            cpuEstimate = Double.NaN;
        }
        if (costIndex >= 0) {
            features.updateNumeric(costIndex, call.cost().total());
            features.updateNumeric(emissionsIndex, call.emissionsGrams());
            resourceValuesInWindow++;
        }
        if (cpuIndex >= 0 && !Double.isNaN(cpuSeconds)) {
            features.updateNumeric(cpuIndex, cpuSeconds);
            resourceValuesInWindow++;
        }
        ResourceUsage exported = new ResourceUsage(used.instanceSeconds(), cpuEstimate, used.gpuSeconds(),
                used.gpuEnergyJoules());
        for (MonitorObserver observer : observers) {
            try {
                if (costIndex >= 0) {
                    observer.onCost(this, exported, call.cost(), call.emissionsGrams());
                } else {
                    observer.onCost(this, exported, Cost.UNPRICED, Double.NaN);
                }
            } catch (Exception e) {
                observerFailed(observer, e);
            }
        }
    }

    private void closeWindow(Window.CloseReason reason, long endMillis) {
        Profile profile = profile(endMillis);
        // A window with no profiled call (only costs settled late, or every call's features shed or sampled out)
        // says nothing about the features: comparing it would end every drift for want of data, and bootstrapping
        // would take it as a reference window.
        boolean profiled = profile.callStats().map(c -> c.profiledCalls() > 0).orElse(false);
        DriftReport report = drift == null || !profiled ? null : drift.compare(this, profile);
        Window window = new Window(windowSequence++, reason, profile, report);
        history.addLast(window);
        latestWindow = window; // before anyone is told, so what they read agrees with what they heard
        if (history.size() > windowHistory) {
            history.removeFirst();
            evictedWindows++;
        }
        features.reset();
        calls.reset();
        resourceValuesInWindow = 0;
        windowStartMillis = endMillis;
        if (quality != null) {
            quality.windowClosed(window.sequence(), window.start().toEpochMilli(), endMillis);
        }
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
            // The calls whose cost the window holds, not the calls it recorded: settlement lags recording by up to
            // the attribution lateness, so the two sets differ near every window's edges.
            NumericProfile cost = profile.numeric(COST);
            budget.check(cost.count() == 0 ? 0 : cost.mean() * cost.count(), cost.count());
        }
        for (MonitorObserver observer : observers) {
            try {
                observer.onWindowClosed(this, window);
            } catch (RuntimeException e) {
                observerFailed(observer, e);
            }
        }
    }

    // ---- quality: labels from any thread --------------------------------------------------------------------

    @Override
    public LabelOutcome label(CharSequence key, double actual) {
        return quality == null ? LabelOutcome.NOT_TRACKED : quality.label(QualityTracker.hash(key), actual);
    }

    @Override
    public LabelOutcome label(long key, double actual) {
        return quality == null ? LabelOutcome.NOT_TRACKED : quality.label(key, actual);
    }

    @Override
    public LabelOutcome label(CharSequence key, String actualClass) {
        return quality == null ? LabelOutcome.NOT_TRACKED
                : quality.label(QualityTracker.hash(key), quality.classIndex(actualClass));
    }

    @Override
    public Optional<QualitySnapshot> quality() {
        return quality == null ? Optional.empty() : Optional.of(quality.snapshot(clock.currentTimeMillis()));
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
