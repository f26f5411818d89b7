package dev.seismo.monitor;

import dev.seismo.cost.CostModel;
import dev.seismo.cost.RequestAttribution;
import dev.seismo.cost.ResourceAttributor;
import dev.seismo.cost.Settlement;
import dev.seismo.cost.TokenUsage;
import dev.seismo.resource.GpuInterval;
import dev.seismo.resource.GpuSampler;
import dev.seismo.resource.ProcessCpuTime;
import dev.seismo.time.Clock;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A registry's resource attribution: feeds a {@link ResourceAttributor} with the calls its monitors drain and the
 * instance time, process CPU time and GPU intervals measured meanwhile, settles it each aggregation cycle, and hands
 * each call's share and cost back to its monitor (docs/RESOURCES.md has the rules).
 *
 * <p>Thread-safe: monitors add calls from whichever thread aggregates them; {@link #cycle} runs on the registry's
 * aggregation thread. The lock is never taken by a recording thread.
 */
final class ResourceAccounting {

    /** A call's owner, and its own CPU time when the monitor measured it per thread. */
    record Call(DefaultModelMonitor monitor, long cpuNanos) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ResourceAttributor<Call> attributor;
    private final ProcessCpuTime processCpu;
    private final boolean processCpuAvailable;
    private final GpuSampler gpu;
    private final long latenessNanos;
    private long lastCycleNanos;
    /** Read without the lock by monitors deciding whether a call's CPU share was measured. */
    private volatile boolean perThreadCpu;
    private double idleCost;
    private double idleEmissionsGrams;

    ResourceAccounting(CostModel hostPrices, Clock clock, GpuSampler gpu, long latenessNanos) {
        this.attributor = ResourceAttributor.<Call>builder(hostPrices).pricing(c -> c.monitor().callPrices()).build();
        this.processCpu = ProcessCpuTime.create(clock);
        this.processCpuAvailable = processCpu.isAvailable(); // a system call: not once per settled call
        this.gpu = gpu;
        this.latenessNanos = latenessNanos;
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

    /** Adds what was measured since the last cycle, settles what is old enough, and tells the monitors. */
    void cycle(long nowNanos) {
        settleAndDispatch(nowNanos, nowNanos - latenessNanos);
    }

    /** Settles everything, at shutdown. */
    void settleAll(long nowNanos) {
        settleAndDispatch(nowNanos, Long.MAX_VALUE);
    }

    private void settleAndDispatch(long nowNanos, long watermark) {
        Settlement<Call> settlement;
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
                for (GpuInterval interval : gpu.drainIntervals()) {
                    attributor.addGpuInterval(interval);
                }
            }
            settlement = attributor.settle(watermark);
            idleCost += settlement.idleCost().total();
            idleEmissionsGrams += settlement.idleEmissionsGrams();
        } finally {
            lock.unlock();
        }
        List<RequestAttribution<Call>> calls = settlement.requests();
        for (RequestAttribution<Call> call : calls) {
            call.key().monitor().settled(call);
        }
    }

    /** Cost of measured resources no call was using, since the registry started. */
    double idleCost() {
        lock.lock();
        try {
            return idleCost;
        } finally {
            lock.unlock();
        }
    }
}
