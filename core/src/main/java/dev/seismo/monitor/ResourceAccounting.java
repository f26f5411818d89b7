package dev.seismo.monitor;

import dev.seismo.cost.AttributionTotals;
import dev.seismo.cost.CostModel;
import dev.seismo.cost.RequestAttribution;
import dev.seismo.cost.ResourceAttributor;
import dev.seismo.cost.Settlement;
import dev.seismo.cost.TokenUsage;
import dev.seismo.resource.GpuInterval;
import dev.seismo.resource.GpuSampler;
import dev.seismo.resource.ProcessCpuTime;
import dev.seismo.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A registry's resource attribution: feeds a {@link ResourceAttributor} with the calls its monitors drain and the
 * instance time, process CPU time and GPU intervals measured meanwhile, settles it each aggregation cycle, and hands
 * each call's share and cost back to its monitor (docs/RESOURCES.md has the rules).
 *
 * <p>Thread-safe: monitors add calls from whichever thread aggregates them; {@link #cycle} runs on the registry's
 * aggregation thread. {@code lock} guards the attributor and is never taken by a recording thread;
 * {@code settling} serializes whole cycles, dispatch included, so that {@link #settleAll} waits for a cycle still
 * running (an aggregation thread that outlived {@code close()}'s join) and no cycle runs after it: every cost is
 * handed to its monitor before the monitor's last window closes. Lock order: {@code settling} first; under it
 * {@code lock}, released before a monitor's aggregation lock is taken to hand out costs. A monitor's aggregation
 * lock may be held while taking {@code lock} ({@link #addCall}), never while taking {@code settling}.
 */
final class ResourceAccounting {

    private static final Logger log = LoggerFactory.getLogger(ResourceAccounting.class);
    /** Distinct failures logged before further new ones go to debug only: a bound on a log flood. */
    private static final int MAX_LOGGED_FAILURES = 16;

    /** A call's owner, and its own CPU time when the monitor measured it per thread. */
    record Call(DefaultModelMonitor monitor, long cpuNanos) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock settling = new ReentrantLock();
    private final ResourceAttributor<Call> attributor;
    private final ProcessCpuTime processCpu;
    private final boolean processCpuAvailable;
    private final GpuSampler gpu;
    private final long latenessNanos;
    private final int maxPendingCalls;
    private long lastCycleNanos;
    /** Read without the lock by monitors deciding whether a call's CPU share was measured. */
    private volatile boolean perThreadCpu;
    private boolean settledAll; // guarded by settling
    private boolean warnedLate; // guarded by settling
    private boolean warnedForced; // guarded by settling
    private final Set<String> loggedFailures = new HashSet<>(); // guarded by itself
    private long failures; // guarded by loggedFailures

    ResourceAccounting(CostModel hostPrices, Clock clock, GpuSampler gpu, long latenessNanos, int maxPendingCalls) {
        this.attributor = ResourceAttributor.<Call>builder(hostPrices).pricing(c -> c.monitor().callPrices())
                .maxPendingRequests(maxPendingCalls).build();
        this.processCpu = ProcessCpuTime.create(clock);
        this.processCpuAvailable = processCpu.isAvailable(); // a system call: not once per settled call
        this.gpu = gpu;
        this.latenessNanos = latenessNanos;
        this.maxPendingCalls = maxPendingCalls;
        this.lastCycleNanos = clock.nanoTime();
        processCpu.sample(); // the first sample only marks the start of the first interval
    }

    /**
     * From now on process CPU time is not spread over calls, since some monitor measures its calls' own CPU
     * time and spreading would count that twice.
     */
    void perThreadCpuMeasured() {
        perThreadCpu = true;
    }

    /** Whether calls get a share of the process's CPU time: no monitor measures per thread, and the JVM can tell. */
    boolean spreadsProcessCpu() {
        return !perThreadCpu && processCpuAvailable;
    }

    /** Adds a drained call; its usage was validated when recorded ({@link Inference#usage(long, long, long)}). */
    void addCall(DefaultModelMonitor monitor, long endNanos, long latencyNanos, long inputUnits, long outputUnits,
                 long cachedInputUnits, long cpuNanos) {
        TokenUsage tokens = inputUnits == 0 && outputUnits == 0 ? TokenUsage.NONE
                : new TokenUsage(inputUnits, outputUnits, cachedInputUnits);
        lock.lock();
        try {
            attributor.addRequest(new Call(monitor, cpuNanos), endNanos - latencyNanos, endNanos, tokens);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds what was measured since the last cycle, settles what is old enough, and tells the monitors. Does nothing
     * once {@link #settleAll} has run.
     */
    void cycle(long nowNanos) {
        settleAndDispatch(nowNanos, nowNanos - latenessNanos, false);
    }

    /** Settles everything, at shutdown; later cycles do nothing, so no cost arrives after the last windows. */
    void settleAll(long nowNanos) {
        settleAndDispatch(nowNanos, Long.MAX_VALUE, true);
    }

    private void settleAndDispatch(long nowNanos, long watermark, boolean last) {
        settling.lock();
        try {
            if (settledAll) {
                return;
            }
            settledAll = last;
            Settlement<Call> settlement;
            AttributionTotals totals;
            lock.lock();
            try {
                if (nowNanos > lastCycleNanos) {
                    attributor.addInstanceTime(lastCycleNanos, nowNanos);
                    lastCycleNanos = nowNanos;
                }
                var cpu = processCpu.sample();
                if (cpu.isPresent() && !perThreadCpu) {
                    attributor.addCpuInterval(cpu.get());
                }
                if (gpu != null) {
                    // GpuInterval's validation keeps every amount finite and >= 0, and a sampler's intervals
                    // follow one another on its clock, so none of them can be refused here and none is lost.
                    for (GpuInterval interval : gpu.drainIntervals()) {
                        attributor.addGpuInterval(interval);
                    }
                }
                settlement = attributor.settle(watermark);
                totals = attributor.totals();
            } finally {
                lock.unlock();
            }
            warnOfLosses(totals);
            List<RequestAttribution<Call>> calls = settlement.requests();
            for (RequestAttribution<Call> call : calls) {
                DefaultModelMonitor monitor = call.key().monitor();
                try {
                    monitor.settled(call);
                } catch (Throwable e) {
                    // One monitor failing (an observer throwing an Error, say) must not cost the others their calls.
                    failed("handing a call's cost to model " + monitor.name() + ":" + monitor.version(), e);
                }
            }
        } finally {
            settling.unlock();
        }
    }

    /** Whether the calling thread is handing out costs: an observer's {@code onCost}, or what it called. */
    boolean settlingOnThisThread() {
        return settling.isHeldByCurrentThread();
    }

    /** Says once, not every cycle, that calls lost part of their share, and how to avoid it. */
    private void warnOfLosses(AttributionTotals totals) {
        if (totals.lateRequests() > 0 && !warnedLate) {
            warnedLate = true;
            log.warn("A call ran longer than attributionLateness ({}): the resources of the time settled before it"
                    + " ended went to other calls or to idle. Set MonitorRegistry.builder().attributionLateness(..)"
                    + " above the longest call; late calls are counted in MonitorRegistry.attribution()",
                    Duration.ofNanos(latenessNanos));
        }
        if (totals.forcedRequests() > 0 && !warnedForced) {
            warnedForced = true;
            log.warn("More than {} calls were waiting for attribution, so the oldest were settled early: GPU"
                    + " intervals arriving later go to the calls still waiting, or to idle. Raise"
                    + " MonitorRegistry.builder().maxPendingCalls(..) or lower attributionLateness; forced calls"
                    + " are counted in MonitorRegistry.attribution()", maxPendingCalls);
        }
    }

    /**
     * Counts a failure and logs it if it is the first of its kind, so that a failure repeating every cycle is one
     * log line and a count, not a line every 100 ms.
     */
    void failed(String what, Throwable e) {
        boolean first;
        synchronized (loggedFailures) {
            failures++;
            first = loggedFailures.size() < MAX_LOGGED_FAILURES
                    && loggedFailures.add(what + ": " + e.getClass().getName() + ": " + e.getMessage());
        }
        if (first) {
            log.error("Resource attribution failed {}; the same failure again is only counted, in"
                    + " MonitorRegistry.attribution()", what, e);
        } else {
            log.debug("Resource attribution failed {} again", what, e);
        }
    }

    /** Cost of measured resources no call was using, since the registry started. */
    double idleCost() {
        lock.lock();
        try {
            return attributor.totals().idleCost().total();
        } finally {
            lock.unlock();
        }
    }

    /** What has been attributed and what went wrong, since the registry started. */
    AttributionSnapshot snapshot() {
        AttributionTotals totals;
        lock.lock();
        try {
            totals = attributor.totals();
        } finally {
            lock.unlock();
        }
        long failed;
        synchronized (loggedFailures) {
            failed = failures;
        }
        return new AttributionSnapshot(totals, Duration.ofNanos(latenessNanos), maxPendingCalls, failed);
    }
}
