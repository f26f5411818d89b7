package dev.seismo.monitor;

import dev.seismo.profile.CallStats;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a call goes when the record buffer is full: its latency, outcome and usage are still counted exactly, with
 * HdrHistogram {@link Recorder}s (wait-free writers, lossless interval swaps), but its feature values are shed and
 * counted as shed. Only reached when aggregation falls behind, so its atomics are no concern on the normal path.
 * Nothing is allocated and no lock is taken on the recording side.
 *
 * <p>The calls are priced at each drain from the sums kept here (their count, uncached input, cached input and output
 * tokens), since prices are linear in them; their end and CPU times are not kept, so they take no share of measured
 * resources. A writer adds its usage before it counts its call and the drain reads the count first, so a drain that
 * sees a call sees its tokens; tokens whose call it does not see yet wait for the next drain that sees calls.
 * Uncached and cached input tokens are summed apart, so a drain that falls between a writer's two additions still
 * holds valid sums (never more cached tokens than input tokens).
 *
 * <p>Thread-safe: any number of recording threads, one draining thread at a time.
 */
final class OverflowCounts {

    /** The range and precision of {@link CallStats}' latency histograms, so the two fold together exactly. */
    private static final long MAX_LATENCY_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final int LATENCY_DIGITS = 2;

    private final Recorder success = new Recorder(MAX_LATENCY_NANOS, LATENCY_DIGITS);
    private final Recorder error = new Recorder(MAX_LATENCY_NANOS, LATENCY_DIGITS);
    private final AtomicLongArray errorsByCode = new AtomicLongArray(ErrorTypes.OTHER + 1);
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong values = new AtomicLong();
    private final AtomicLong uncachedInputUnits = new AtomicLong();
    private final AtomicLong cachedInputUnits = new AtomicLong();
    private final AtomicLong outputUnits = new AtomicLong();
    private final AtomicLong usageCalls = new AtomicLong();
    /** Bit per error code that ever overflowed; aggregation thread only. */
    private long errorCodesSeen;
    /** Tokens drained before the drain that sees their calls; aggregation thread only. */
    private long pendingInput;
    private long pendingCachedInput;
    private long pendingOutput;
    private Histogram recycledSuccess;
    private Histogram recycledError;

    void record(long latencyNanos, int errorCode, Inference rec, int valuesPerRecord) {
        long latency = Math.min(latencyNanos, MAX_LATENCY_NANOS);
        if (errorCode == ErrorTypes.SUCCESS) {
            success.recordValue(latency);
        } else {
            // Type first: a drain that finds this latency in the swapped histogram then finds its type too.
            errorsByCode.incrementAndGet(errorCode);
            error.recordValue(latency);
        }
        if (rec.hasUsage) {
            uncachedInputUnits.addAndGet(rec.inputUnits - rec.cachedInputUnits);
            if (rec.cachedInputUnits != 0) {
                cachedInputUnits.addAndGet(rec.cachedInputUnits);
            }
            outputUnits.addAndGet(rec.outputUnits);
            usageCalls.incrementAndGet();
        }
        values.addAndGet(valuesPerRecord);
        records.incrementAndGet();
    }

    /**
     * Moves everything counted so far into {@code calls}, and hands the calls to price to
     * {@link DefaultModelMonitor#overflowed}; returns the number of calls moved. The calls are counted from the
     * latency histograms alone: a counter cannot say whether a histogram holds something, because a writer's
     * increment may land between this drain's swap and its reset of the counter.
     */
    long drainInto(CallStats.Accumulator calls, ErrorTypes types, DefaultModelMonitor observed) {
        recycledSuccess = success.getIntervalHistogram(recycledSuccess);
        recycledError = error.getIntervalHistogram(recycledError);
        long moved = recycledSuccess.getTotalCount() + recycledError.getTotalCount();
        if (moved == 0 && records.get() == 0) {
            return 0;
        }
        calls.addSuccessLatencies(recycledSuccess);
        calls.addErrorLatencies(recycledError);
        for (int code = 1; code <= ErrorTypes.OTHER; code++) {
            long n = errorsByCode.getAndSet(code, 0);
            if (n > 0) {
                calls.addErrors(types.nameOf(code), n);
                errorCodesSeen |= 1L << code;
            }
        }
        long shed = records.getAndSet(0);
        long shedValues = values.getAndSet(0);
        calls.addShed(shed, shedValues);
        long withUsage = usageCalls.getAndSet(0);
        long in = 0;
        long out = 0;
        if (withUsage > 0) {
            long cached = cachedInputUnits.getAndSet(0);
            in = uncachedInputUnits.getAndSet(0) + cached;
            out = outputUnits.getAndSet(0);
            calls.addUsage(in, out, withUsage);
            pendingInput += in;
            pendingCachedInput += cached;
            pendingOutput += out;
        }
        observe(observed, recycledSuccess, null);
        // Overflowed error latencies are not kept per type, and an interval's counts may be read a drain apart from
        // its latencies: name the type only when overflow has only ever seen one.
        observe(observed, recycledError, Long.bitCount(errorCodesSeen) == 1
                ? types.nameOf(Long.numberOfTrailingZeros(errorCodesSeen)) : ErrorTypes.OTHER_NAME);
        if (withUsage > 0) {
            observed.observeUsage(in, out, withUsage);
        }
        if (shed > 0) {
            observed.observeShed(shed, shedValues);
            observed.overflowed(shed, pendingInput, pendingCachedInput, pendingOutput);
            pendingInput = 0;
            pendingCachedInput = 0;
            pendingOutput = 0;
        }
        return moved;
    }

    private static void observe(DefaultModelMonitor observed, Histogram latencies, String errorType) {
        if (latencies.getTotalCount() > 0) {
            for (HistogramIterationValue v : latencies.recordedValues()) {
                observed.observeCalls(v.getValueIteratedTo(), errorType, v.getCountAtValueIteratedTo());
            }
        }
    }
}
