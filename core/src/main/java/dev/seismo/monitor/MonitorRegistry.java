package dev.seismo.monitor;

import dev.seismo.cost.CostModel;
import dev.seismo.cost.ResourceAttributor;
import dev.seismo.privacy.HashKey;
import dev.seismo.resource.GpuSampler;
import dev.seismo.schema.Schema;
import dev.seismo.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The monitors of a process, one per model name and version, and the one background thread that aggregates them.
 * Exporters and the command line enumerate monitors here. Closing the registry drains every monitor, closes its
 * open window (so nothing recorded is lost) and stops the thread; monitors stop recording after that.
 *
 * <pre>{@code
 * try (MonitorRegistry registry = MonitorRegistry.create()) {
 *     ModelMonitor monitor = ModelMonitor.builder("fraud").numericFeature("amount").register(registry);
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class MonitorRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MonitorRegistry.class);

    private final Clock clock;
    private final long intervalNanos;
    private final GpuSampler gpu;
    private final CostModel costModel;
    private final long latenessNanos;
    private final int maxPendingCalls;
    private final HashKey hashKey;
    private volatile ResourceAccounting accounting;
    /** Counted down when the closing steps are done, for a second close() to wait on. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Thread closingThread;
    /** A monitor registered before the attribution began measures its calls' thread CPU time; guarded by lifecycle. */
    private boolean perThreadCpuBeforeAttribution;
    private final ConcurrentHashMap<Key, DefaultModelMonitor> monitors = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private volatile MonitorObserver[] observers = new MonitorObserver[0];
    private volatile Thread aggregator;
    private volatile boolean closed;

    private MonitorRegistry(Builder builder) {
        this.clock = builder.clock;
        this.intervalNanos = builder.aggregationInterval.toNanos();
        this.gpu = builder.gpu;
        this.costModel = builder.costModel;
        this.latenessNanos = builder.lateness().toNanos();
        this.maxPendingCalls = builder.maxPendingCalls;
        this.hashKey = builder.hashKey;
        // With prices or GPU readings every monitor joins the attribution from the start, so none rides free on
        // the resources the others are charged for.
        if (costModel != null || gpu != null) {
            this.accounting = newAccounting();
        }
    }

    private ResourceAccounting newAccounting() {
        return new ResourceAccounting(costModel != null ? costModel : CostModel.free(), clock, gpu, latenessNanos,
                maxPendingCalls);
    }

    /** A registry with the system clock and the default aggregation interval. */
    public static MonitorRegistry create() {
        return builder().build();
    }

    /** A builder for a registry with another clock or aggregation interval. */
    public static Builder builder() {
        return new Builder();
    }

    /** The clock every monitor of this registry reads. */
    public Clock clock() {
        return clock;
    }

    /** The GPU sampler whose readings this registry's exporters show and its monitors' costs use, if one was set. */
    public Optional<GpuSampler> gpu() {
        return Optional.ofNullable(gpu);
    }

    /**
     * The registry's prices, if set: every monitor's hardware (instance, GPU, energy, carbon), and the calls (tokens,
     * per call) of monitors without a cost model of their own.
     */
    public Optional<CostModel> costModel() {
        return Optional.ofNullable(costModel);
    }

    /**
     * The cost of measured resources (instance time, GPU time and energy) while no call was running, since the
     * registry started attributing resources, priced by the registry's cost model (0 without one); empty while it
     * attributes nothing (no cost model, no GPU sampler and no priced monitor).
     */
    public OptionalDouble idleCost() {
        ResourceAccounting a = accounting;
        return a == null ? OptionalDouble.empty() : OptionalDouble.of(a.idleCost());
    }

    /**
     * The resource attribution so far: measured, attributed and idle amounts per resource, idle cost and emissions,
     * and the counts of calls that lost part of their share (longer than the lateness, or settled early by the
     * cap) and of failures; empty until a monitor attributes resources.
     */
    public Optional<AttributionSnapshot> attribution() {
        ResourceAccounting a = accounting;
        return a == null ? Optional.empty() : Optional.of(a.snapshot());
    }

    /**
     * The resource attribution of this registry, or null: created at build with a cost model or a GPU sampler,
     * else with the first monitor that prices its calls.
     */
    ResourceAccounting accounting() {
        return accounting;
    }

    /**
     * The prices of a monitor's calls: its own cost model's call prices (tokens, per call) with the registry's
     * hardware prices, or the registry's model, or its own alone without a registry model; null without either.
     *
     * @throws IllegalStateException if its own model's currency differs from the registry's, or it sets hardware
     *                               prices other than the registry's model's
     */
    CostModel callPrices(String model, CostModel own) {
        if (own == null || costModel == null) {
            return own != null ? own : costModel;
        }
        if (!own.currency().equals(costModel.currency())) {
            throw new IllegalStateException("the cost model of model '" + model + "' is in " + own.currency()
                    + " but the registry's is in " + costModel.currency() + "; set currency(\"" + costModel.currency()
                    + "\") on the monitor's cost model");
        }
        boolean noHardware = own.instancePerHour() == 0 && own.gpuPerHour() == 0 && own.energyPerKwh() == 0
                && own.carbonGramsPerKwh() == 0;
        boolean sameHardware = own.instancePerHour() == costModel.instancePerHour()
                && own.gpuPerHour() == costModel.gpuPerHour() && own.energyPerKwh() == costModel.energyPerKwh()
                && own.carbonGramsPerKwh() == costModel.carbonGramsPerKwh();
        if (!noHardware && !sameHardware) {
            throw new IllegalStateException("the cost model of model '" + model + "' sets hardware prices"
                    + " (instancePerHour, gpuPerHour, energyPerKwh, carbonGramsPerKwh) other than the registry's,"
                    + " whose cost model prices hardware for every monitor; set them on the registry's cost model"
                    + " and only token and per-call prices on the monitor's");
        }
        return CostModel.builder().currency(costModel.currency())
                .inputPerMillionTokens(own.inputPerMillionTokens())
                .cachedInputPerMillionTokens(own.cachedInputPerMillionTokens())
                .outputPerMillionTokens(own.outputPerMillionTokens())
                .perCall(own.perCall())
                .instancePerHour(costModel.instancePerHour())
                .gpuPerHour(costModel.gpuPerHour())
                .energyPerKwh(costModel.energyPerKwh())
                .carbonGramsPerKwh(costModel.carbonGramsPerKwh())
                .build();
    }

    /** The hash key set on the registry, if any: monitors without their own hash their protected features with it. */
    Optional<HashKey> hashKey() {
        return Optional.ofNullable(hashKey);
    }

    /** The registered monitors, in no particular order. */
    public List<ModelMonitor> monitors() {
        return List.copyOf(new ArrayList<>(monitors.values()));
    }

    /** The monitor of this model name and version, if registered. */
    public Optional<ModelMonitor> find(String name, String version) {
        return Optional.ofNullable(monitors.get(new Key(name, version)));
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Builds and registers a monitor. Under the lifecycle lock, so whether the registry attributes resources cannot
     * change meanwhile, and a registration that fails changes nothing.
     */
    ModelMonitor register(ModelMonitor.Builder config, Schema callerSchema, CostModel prices, HashKey hashKey) {
        MonitorObserver[] toNotify;
        DefaultModelMonitor monitor;
        synchronized (lifecycle) {
            Key key = new Key(config.name, config.version);
            if (closed) {
                throw new IllegalStateException("registry is closed; cannot register model '" + key.name
                        + "' version '" + key.version + "'");
            }
            if (monitors.containsKey(key)) {
                throw new IllegalStateException("a monitor for model '" + key.name + "' version '" + key.version
                        + "' is already registered; look it up with find(name, version)");
            }
            if (config.budget != null) {
                for (DefaultModelMonitor other : monitors.values()) {
                    if (other.budget() == config.budget) {
                        throw new IllegalStateException("the CostBudget of model '" + key.name + "' version '"
                                + key.version + "' is already the budget of model '" + other.name() + "' version '"
                                + other.version() + "'; a budget keeps one monitor's state: build one per monitor");
                    }
                }
            }
            ResourceAccounting a = accounting;
            if (a == null && prices != null) {
                a = newAccounting();
                accounting = a;
                if (perThreadCpuBeforeAttribution) {
                    a.perThreadCpuMeasured(); // a monitor registered earlier measures its threads: process CPU holds them
                }
            }
            monitor = new DefaultModelMonitor(config, callerSchema, prices, a, this, hashKey);
            monitors.put(key, monitor);
            if (config.cpuTime != null && config.cpuTime.isSupported()) {
                if (a != null) {
                    a.perThreadCpuMeasured();
                } else {
                    perThreadCpuBeforeAttribution = true;
                }
            }
            toNotify = observers;
            if (aggregator == null) {
                Thread t = new Thread(this::aggregateLoop, "seismo-aggregator");
                t.setDaemon(true);
                aggregator = t;
                t.start();
            }
        }
        // Outside the lock, so an observer may use the registry (or register a monitor) from its callback.
        for (MonitorObserver observer : toNotify) {
            notifyRegistered(observer, monitor);
        }
        return monitor;
    }

    /**
     * Adds an observer of every monitor, present and future: exporters bind here. It hears
     * {@link MonitorObserver#onRegistered} at once for each monitor already registered.
     */
    public void addObserver(MonitorObserver observer) {
        Objects.requireNonNull(observer, "observer");
        List<DefaultModelMonitor> existing;
        synchronized (lifecycle) {
            MonitorObserver[] grown = Arrays.copyOf(observers, observers.length + 1);
            grown[observers.length] = observer;
            observers = grown;
            existing = List.copyOf(monitors.values());
        }
        for (DefaultModelMonitor monitor : existing) {
            notifyRegistered(observer, monitor);
        }
    }

    /** Stops telling an observer anything; returns whether it was added. */
    public boolean removeObserver(MonitorObserver observer) {
        synchronized (lifecycle) {
            MonitorObserver[] current = observers;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == observer) {
                    MonitorObserver[] shrunk = new MonitorObserver[current.length - 1];
                    System.arraycopy(current, 0, shrunk, 0, i);
                    System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                    observers = shrunk;
                    return true;
                }
            }
            return false;
        }
    }

    /** The observers, as an array the aggregation thread can loop over without allocating. */
    MonitorObserver[] observers() {
        return observers;
    }

    private static void notifyRegistered(MonitorObserver observer, ModelMonitor monitor) {
        try {
            observer.onRegistered(monitor);
        } catch (Exception e) {
            log.warn("Observer {} failed on the registration of model {}:{}", observer, monitor.name(),
                    monitor.version(), e);
        }
    }

    /** Asks the aggregation thread to run now rather than at its next interval. Never blocks. */
    void wakeAggregator() {
        Thread t = aggregator;
        if (t != null && t != Thread.currentThread()) { // a callback of its own: it drains next anyway
            LockSupport.unpark(t);
        }
    }

    private void aggregateLoop() {
        // Checked before parking too: close()'s unpark may have been taken by a lock this thread waited on during
        // the last cycle (a permit is one bit), and then only this check stops a park of a whole interval.
        while (!closed) {
            // Wait first: a monitor just registered has nothing to aggregate, and tests that drive a ManualClock
            // with a long interval then see no aggregation they did not ask for.
            LockSupport.parkNanos(this, intervalNanos);
            if (closed) {
                return;
            }
            for (DefaultModelMonitor monitor : monitors.values()) {
                try {
                    monitor.aggregate();
                } catch (Throwable e) {
                    log.error("Aggregating model {}:{} failed; its current window may be incomplete",
                            monitor.name(), monitor.version(), e);
                }
            }
            ResourceAccounting a = accounting;
            if (a != null) {
                try {
                    a.cycle(clock.nanoTime());
                } catch (Throwable e) {
                    a.failed("in an aggregation cycle", e);
                }
            }
        }
    }

    /**
     * Drains every monitor, settles every call's resources, closes the open windows and stops the aggregation
     * thread; returns when that is done (a second call waits for the first). Called from a listener or observer,
     * it marks the registry closed (no more registrations) and returns at once, and the closing runs on a thread of
     * its own ({@code seismo-registry-close}, not a daemon) once the callback has returned, since the callback is
     * inside the drain or settlement whose calls the last windows must hold.
     */
    @Override
    public void close() {
        boolean fromCallback = calledFromACallback();
        boolean first;
        Thread t;
        synchronized (lifecycle) {
            first = !closed;
            closed = true;
            t = aggregator;
        }
        if (!first) {
            if (!fromCallback && Thread.currentThread() != closingThread) { // onRegistryClosed may close again
                awaitClosed();
            }
            return;
        }
        if (fromCallback) {
            // The callback's thread holds locks the closing steps need (a monitor's, the settling's) and is in the
            // middle of a drain or a settlement whose remaining calls the last windows must hold.
            Thread closer = new Thread(() -> {
                try {
                    finishClosing(t);
                } catch (RuntimeException e) {
                    log.error("Closing the registry from a listener or observer failed", e);
                }
            }, "seismo-registry-close");
            closer.setDaemon(false);
            closer.start();
            return;
        }
        finishClosing(t);
    }

    /** Waits for the closing under way (a callback's, on its own thread) to finish. */
    private void awaitClosed() {
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void finishClosing(Thread t) {
        closingThread = Thread.currentThread();
        try {
            closeSteps(t);
        } finally {
            closing.countDown();
        }
    }

    private void closeSteps(Thread t) {
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Each step on its own, so one failing monitor or observer cannot cost the others their last windows.
        List<Throwable> failures = new ArrayList<>();
        for (DefaultModelMonitor monitor : monitors.values()) {
            attempt(monitor::drainForShutdown, failures);
        }
        ResourceAccounting a = accounting;
        if (a != null) {
            attempt(() -> a.settleAll(clock.nanoTime()), failures);
        }
        for (DefaultModelMonitor monitor : monitors.values()) {
            attempt(monitor::shutdown, failures);
        }
        for (MonitorObserver observer : observers) {
            attempt(observer::onRegistryClosed, failures);
        }
        if (gpu != null) {
            attempt(gpu::close, failures);
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("closing the registry failed in " + failures.size()
                    + " step(s); everything else was closed", failures.get(0));
            failures.subList(1, failures.size()).forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Whether this thread is in a listener or observer: on the aggregation thread, settling, or in a drain. */
    private boolean calledFromACallback() {
        if (Thread.currentThread() == aggregator) {
            return true;
        }
        ResourceAccounting a = accounting;
        if (a != null && a.settlingOnThisThread()) {
            return true;
        }
        for (DefaultModelMonitor monitor : monitors.values()) {
            if (monitor.aggregatingOnThisThread()) {
                return true;
            }
        }
        return false;
    }

    private static void attempt(Runnable step, List<Throwable> failures) {
        try {
            step.run();
        } catch (Throwable t) {
            failures.add(t);
        }
    }

    private record Key(String name, String version) {
    }

    /** Builds a {@link MonitorRegistry}. Not thread-safe. */
    public static final class Builder {
        private static final Duration DEFAULT_LATENESS = Duration.ofSeconds(10);

        private Clock clock = Clock.system();
        private Duration aggregationInterval = Duration.ofMillis(100);
        private GpuSampler gpu;
        private CostModel costModel;
        private Duration attributionLateness;
        private int maxPendingCalls = ResourceAttributor.DEFAULT_MAX_PENDING_REQUESTS;
        private HashKey hashKey;

        private Builder() {
        }

        /**
         * The key every monitor's protected features ({@code Protection.HASHED}, {@code COUNTS_ONLY}) are hashed
         * with, unless the monitor sets its own ({@code seismo.hash-key}). Without one, monitors that protect a
         * feature read {@value HashKey#ENVIRONMENT_VARIABLE}. The key never leaves the process: profiles hold its
         * fingerprint.
         */
        public Builder hashKey(HashKey key) {
            this.hashKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** The clock for latency and windows (default the system clock); tests pass a {@code ManualClock}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How often the background thread drains the monitors (default 100 ms). Recording threads also wake it
         * when a buffer is half full, so this bounds how late a window closes, not how much is buffered.
         */
        public Builder aggregationInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.toMillis() < 1 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("aggregationInterval must be between 1 ms and 1 minute, was "
                        + interval);
            }
            this.aggregationInterval = interval;
            return this;
        }

        /**
         * Reads GPUs with this sampler (for example {@code GpuSampler.start()}, NVML every second): exporters show
         * its readings, and every monitor's calls get their share of GPU time and energy. The registry closes it.
         * Without GPUs or a driver the sampler logs one line and reads nothing; all else works.
         */
        public Builder gpu(GpuSampler sampler) {
            this.gpu = Objects.requireNonNull(sampler, "sampler");
            return this;
        }

        /**
         * Prices the hardware of every monitor and the registry's idle time (instance and GPU time, energy,
         * carbon), and the calls (tokens, per call) of monitors without a cost model of their own (see
         * {@code CostModel.fromJson} for a price file). A monitor's own cost model must be in this currency and set
         * only token and per-call prices. Every monitor then shares the measured resources, priced or not.
         */
        public Builder costModel(CostModel model) {
            this.costModel = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * How long after a measured interval ends its resources are settled among the calls (default 10 s, or the
         * GPU sampling interval plus the aggregation interval where that is longer). Calls are known only when they
         * end, so set it above the longest call, plus the aggregation and GPU sampling intervals: an LLM generation
         * can run for minutes. A call running longer loses the shares of the time settled before it ended (to other
         * calls, or to idle); such calls are counted in {@link MonitorRegistry#attribution()} and logged once.
         * Memory grows with it: the calls of the last {@code lateness} wait, up to {@link #maxPendingCalls(int)}.
         *
         * <p>With a GPU sampler it must be at least the sampler's interval plus the aggregation interval: a GPU
         * interval is known only at its end and reaches the registry at the next cycle, and a shorter lateness
         * would settle the calls in it before it arrives, charging their GPU time to idle. {@link #build()} checks
         * this. Zero settles at once, which only a test driving the cycles itself wants.
         */
        public Builder attributionLateness(Duration lateness) {
            Objects.requireNonNull(lateness, "lateness");
            if (lateness.isNegative() || lateness.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("attributionLateness must be between 0 and 1 hour, was "
                        + lateness);
            }
            this.attributionLateness = lateness;
            return this;
        }

        /**
         * The most calls kept waiting for settlement, at least 1 (default
         * {@value ResourceAttributor#DEFAULT_MAX_PENDING_REQUESTS}, about 170 bytes each). Beyond it the oldest
         * calls are settled before the lateness has passed: a GPU interval arriving later goes to the calls still
         * waiting, or to idle. Such calls are counted in {@link MonitorRegistry#attribution()} and logged once.
         * It needs to hold the calls of one lateness: {@code calls per second x attributionLateness}.
         */
        public Builder maxPendingCalls(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxPendingCalls must be >= 1, was " + max);
            }
            this.maxPendingCalls = max;
            return this;
        }

        /**
         * The registry. Its thread starts with the first monitor.
         *
         * @throws IllegalArgumentException if the attribution lateness set is shorter than the GPU sampler's
         *                                  interval plus the aggregation interval
         */
        public MonitorRegistry build() {
            Duration needed = minimumLateness();
            if (attributionLateness != null && attributionLateness.compareTo(needed) < 0) {
                throw new IllegalArgumentException("attributionLateness " + attributionLateness + " is shorter than"
                        + " the GPU sampler's interval (" + gpu.interval() + ") plus the aggregation interval ("
                        + aggregationInterval + "): calls would be settled before the GPU intervals they ran in"
                        + " arrive, and their GPU time charged to idle. Set attributionLateness to at least "
                        + needed + ", and above the longest call");
            }
            return new MonitorRegistry(this);
        }

        /** A GPU interval reaches the registry up to one aggregation interval after its end. */
        private Duration minimumLateness() {
            return gpu == null ? Duration.ZERO : gpu.interval().plus(aggregationInterval);
        }

        private Duration lateness() {
            if (attributionLateness != null) {
                return attributionLateness;
            }
            Duration needed = minimumLateness();
            return needed.compareTo(DEFAULT_LATENESS) > 0 ? needed : DEFAULT_LATENESS;
        }
    }
}
