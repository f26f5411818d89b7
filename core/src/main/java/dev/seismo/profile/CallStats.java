package dev.seismo.profile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * What a period saw of the model calls themselves: how many, how many failed and why, how long they took, how much
 * they used, and how many were profiled or shed.
 *
 * <p>Latencies are in nanoseconds, kept from 1 ns to one hour with two significant digits; longer calls count as
 * one hour. Usage units (tokens, items) are kept per call from 0 to one billion; the sums are exact.
 *
 * <p>Thread-safe: immutable. Histogram getters return copies.
 */
public final class CallStats {

    /** Error types beyond this many distinct ones are counted under {@link #OTHER_ERRORS}. */
    static final int MAX_ERROR_TYPES = 32;
    static final String OTHER_ERRORS = "other";
    static final long MAX_LATENCY_NANOS = TimeUnit.HOURS.toNanos(1);
    static final long MAX_UNITS = 1_000_000_000L;

    private static final CallStats EMPTY = new Accumulator().snapshot();

    private final Histogram successLatency;
    private final Histogram errorLatency;
    private final Histogram inputUnitsHistogram;
    private final Histogram outputUnitsHistogram;
    private final Map<String, Long> errorsByType;
    private final long profiledCalls;
    private final long shedRecords;
    private final long shedValues;
    private final long inputUnits;
    private final long outputUnits;
    private final long callsWithUsage;

    /** Takes ownership of the histograms; {@code errorsByType} may hold any number of types. */
    CallStats(Histogram successLatency, Histogram errorLatency, Histogram inputUnitsHistogram,
            Histogram outputUnitsHistogram, Map<String, Long> errorsByType, long profiledCalls, long shedRecords,
            long shedValues, long inputUnits, long outputUnits, long callsWithUsage) {
        this.successLatency = successLatency;
        this.errorLatency = errorLatency;
        this.inputUnitsHistogram = inputUnitsHistogram;
        this.outputUnitsHistogram = outputUnitsHistogram;
        this.errorsByType = capped(errorsByType);
        this.profiledCalls = profiledCalls;
        this.shedRecords = shedRecords;
        this.shedValues = shedValues;
        this.inputUnits = inputUnits;
        this.outputUnits = outputUnits;
        this.callsWithUsage = callsWithUsage;
    }

    /** Call stats of no calls. */
    public static CallStats empty() {
        return EMPTY;
    }

    /** The number of calls: successes and errors. */
    public long calls() {
        return successLatency.getTotalCount() + errorLatency.getTotalCount();
    }

    /** The number of calls that failed. */
    public long errors() {
        return errorLatency.getTotalCount();
    }

    /**
     * Error counts by type, most frequent first (ties by name). At most 32 types are named; the rest are counted
     * under {@code "other"}. Counts added without a type's latency may make the sum differ from {@link #errors()}.
     */
    public Map<String, Long> errorsByType() {
        return errorsByType;
    }

    /** A copy of the latencies of successful calls, in nanoseconds. */
    public Histogram successLatency() {
        return successLatency.copy();
    }

    /** A copy of the latencies of failed calls, in nanoseconds. */
    public Histogram errorLatency() {
        return errorLatency.copy();
    }

    /** The number of calls whose features were profiled, after sampling. */
    public long profiledCalls() {
        return profiledCalls;
    }

    /** The number of call records dropped because aggregation fell behind. */
    public long shedRecords() {
        return shedRecords;
    }

    /** The number of feature values dropped because aggregation fell behind. */
    public long shedValues() {
        return shedValues;
    }

    /** The sum of input units (tokens, items) over the calls that reported usage. */
    public long inputUnits() {
        return inputUnits;
    }

    /** The sum of output units over the calls that reported usage. */
    public long outputUnits() {
        return outputUnits;
    }

    /** A copy of the distribution of input units per call, over calls recorded one by one with usage. */
    public Histogram inputUnitsHistogram() {
        return inputUnitsHistogram.copy();
    }

    /** A copy of the distribution of output units per call, over calls recorded one by one with usage. */
    public Histogram outputUnitsHistogram() {
        return outputUnitsHistogram.copy();
    }

    /** The number of calls that reported usage. */
    public long callsWithUsage() {
        return callsWithUsage;
    }

    /**
     * The call stats of both periods together; neither is changed. Sums and histograms merge exactly; when the two
     * name more than 32 error types in all, the least frequent are folded into {@code "other"}.
     */
    public CallStats merge(CallStats other) {
        Map<String, Long> errors = new HashMap<>(errorsByType);
        other.errorsByType.forEach((type, n) -> errors.merge(type, n, Long::sum));
        return new CallStats(
                sum(successLatency, other.successLatency), sum(errorLatency, other.errorLatency),
                sum(inputUnitsHistogram, other.inputUnitsHistogram),
                sum(outputUnitsHistogram, other.outputUnitsHistogram), errors,
                profiledCalls + other.profiledCalls, shedRecords + other.shedRecords,
                shedValues + other.shedValues, inputUnits + other.inputUnits, outputUnits + other.outputUnits,
                callsWithUsage + other.callsWithUsage);
    }

    /** The histograms themselves, for package code that does not change them. */
    Histogram successLatencyUnsafe() {
        return successLatency;
    }

    Histogram errorLatencyUnsafe() {
        return errorLatency;
    }

    Histogram inputUnitsHistogramUnsafe() {
        return inputUnitsHistogram;
    }

    Histogram outputUnitsHistogramUnsafe() {
        return outputUnitsHistogram;
    }

    static Histogram newLatencyHistogram() {
        return new Histogram(1, MAX_LATENCY_NANOS, 2);
    }

    static Histogram newUnitsHistogram() {
        return new Histogram(1, MAX_UNITS, 2);
    }

    /**
     * Adds {@code source} into {@code target}, clamping values into {@code [lowest, highest]} so that a histogram
     * recorded with other bounds can be folded in without failing.
     */
    static void addClamped(Histogram target, Histogram source, long lowest, long highest) {
        if (source.getTotalCount() == 0) {
            return;
        }
        if (source.getMinValue() >= lowest && source.getMaxValue() <= highest) {
            target.add(source);
            return;
        }
        for (HistogramIterationValue v : source.recordedValues()) {
            target.recordValueWithCount(clamp(v.getValueIteratedTo(), lowest, highest),
                    v.getCountAtValueIteratedTo());
        }
    }

    static long clamp(long value, long lowest, long highest) {
        return Math.max(lowest, Math.min(value, highest));
    }

    private static Histogram sum(Histogram a, Histogram b) {
        Histogram h = a.copy();
        h.add(b);
        return h;
    }

    /** The counts ordered most frequent first, with all but the 32 most frequent types folded into "other". */
    private static Map<String, Long> capped(Map<String, Long> counts) {
        long other = counts.getOrDefault(OTHER_ERRORS, 0L);
        List<Map.Entry<String, Long>> named = new ArrayList<>();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (!e.getKey().equals(OTHER_ERRORS) && e.getValue() > 0) {
                named.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        named.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        for (int i = MAX_ERROR_TYPES; i < named.size(); i++) {
            other += named.get(i).getValue();
        }
        if (named.size() > MAX_ERROR_TYPES) {
            named = named.subList(0, MAX_ERROR_TYPES);
        }
        if (other > 0) {
            named.add(Map.entry(OTHER_ERRORS, other));
            named.sort(Map.Entry.<String, Long>comparingByValue().reversed()
                    .thenComparing(Map.Entry.comparingByKey()));
        }
        Map<String, Long> ordered = new LinkedHashMap<>();
        named.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return Collections.unmodifiableMap(ordered);
    }

    @Override
    public String toString() {
        return "CallStats[calls=" + calls() + ", errors=" + errors() + ", profiled=" + profiledCalls + ", shed="
                + shedRecords + ", usage=" + inputUnits + "/" + outputUnits + " in " + callsWithUsage + " calls]";
    }

    /**
     * Collects call stats record by record. {@link #record} allocates nothing once an error type has been seen;
     * the first 32 error types each allocate one counter.
     *
     * <p>Not thread-safe: one thread records (the aggregation thread); hand {@link #snapshot()} to others.
     */
    public static final class Accumulator {
        private final Histogram successLatency = newLatencyHistogram();
        private final Histogram errorLatency = newLatencyHistogram();
        private final Histogram inputUnitsHistogram = newUnitsHistogram();
        private final Histogram outputUnitsHistogram = newUnitsHistogram();
        private final Map<String, long[]> errorsByType = new HashMap<>();
        private long otherErrors;
        private long profiledCalls;
        private long shedRecords;
        private long shedValues;
        private long inputUnits;
        private long outputUnits;
        private long callsWithUsage;

        /** An accumulator of no calls. */
        public Accumulator() {
        }

        /**
         * Records one call.
         *
         * @param latencyNanos how long it took; clamped to 1 ns .. 1 h
         * @param errorTypeOrNullForSuccess the error's type (such as the exception's simple name), or null if the
         *     call succeeded
         * @param inputUnits units consumed (tokens, items); negative counts as 0; ignored unless {@code hasUsage}
         * @param outputUnits units produced; negative counts as 0; ignored unless {@code hasUsage}
         * @param hasUsage whether the call reported usage
         * @param profiled whether the call's features were profiled
         */
        public void record(long latencyNanos, String errorTypeOrNullForSuccess, long inputUnits, long outputUnits,
                boolean hasUsage, boolean profiled) {
            long latency = clamp(latencyNanos, 1, MAX_LATENCY_NANOS);
            if (errorTypeOrNullForSuccess == null) {
                successLatency.recordValue(latency);
            } else {
                errorLatency.recordValue(latency);
                countError(errorTypeOrNullForSuccess, 1);
            }
            if (hasUsage) {
                long in = Math.max(0, inputUnits);
                long out = Math.max(0, outputUnits);
                this.inputUnits += in;
                this.outputUnits += out;
                callsWithUsage++;
                inputUnitsHistogram.recordValue(Math.min(in, MAX_UNITS));
                outputUnitsHistogram.recordValue(Math.min(out, MAX_UNITS));
            }
            if (profiled) {
                profiledCalls++;
            }
        }

        /** Folds in latencies of successful calls recorded elsewhere (such as a per-thread recorder). */
        public void addSuccessLatencies(Histogram h) {
            addClamped(successLatency, h, 1, MAX_LATENCY_NANOS);
        }

        /** Folds in latencies of failed calls recorded elsewhere; count their types with {@link #addErrors}. */
        public void addErrorLatencies(Histogram h) {
            addClamped(errorLatency, h, 1, MAX_LATENCY_NANOS);
        }

        /** Counts {@code n} errors of a type whose latencies are added apart, with {@link #addErrorLatencies}. */
        public void addErrors(String errorType, long n) {
            Objects.requireNonNull(errorType, "errorType");
            if (n < 0) {
                throw new IllegalArgumentException("n must not be negative, was " + n);
            }
            countError(errorType, n);
        }

        /** Counts records and feature values dropped because aggregation fell behind. */
        public void addShed(long records, long values) {
            if (records < 0 || values < 0) {
                throw new IllegalArgumentException("shed counts must not be negative, were records=" + records
                        + ", values=" + values);
            }
            shedRecords += records;
            shedValues += values;
        }

        /** Adds usage summed elsewhere: to the sums and {@link CallStats#callsWithUsage()}, not the histograms. */
        public void addUsage(long inputUnits, long outputUnits, long calls) {
            if (inputUnits < 0 || outputUnits < 0 || calls < 0) {
                throw new IllegalArgumentException("usage must not be negative, was inputUnits=" + inputUnits
                        + ", outputUnits=" + outputUnits + ", calls=" + calls);
            }
            this.inputUnits += inputUnits;
            this.outputUnits += outputUnits;
            callsWithUsage += calls;
        }

        /** The number of calls so far. */
        public long calls() {
            return successLatency.getTotalCount() + errorLatency.getTotalCount();
        }

        /** An immutable copy of what was recorded; the accumulator stays usable. */
        public CallStats snapshot() {
            Map<String, Long> errors = new HashMap<>();
            errorsByType.forEach((type, n) -> errors.put(type, n[0]));
            if (otherErrors > 0) {
                errors.merge(OTHER_ERRORS, otherErrors, Long::sum);
            }
            return new CallStats(successLatency.copy(), errorLatency.copy(), inputUnitsHistogram.copy(),
                    outputUnitsHistogram.copy(), errors, profiledCalls, shedRecords, shedValues, inputUnits,
                    outputUnits, callsWithUsage);
        }

        /** Forgets everything recorded. */
        public void reset() {
            successLatency.reset();
            errorLatency.reset();
            inputUnitsHistogram.reset();
            outputUnitsHistogram.reset();
            errorsByType.clear();
            otherErrors = 0;
            profiledCalls = 0;
            shedRecords = 0;
            shedValues = 0;
            inputUnits = 0;
            outputUnits = 0;
            callsWithUsage = 0;
        }

        private void countError(String type, long n) {
            long[] counter = errorsByType.get(type);
            if (counter == null) {
                if (errorsByType.size() >= MAX_ERROR_TYPES) {
                    otherErrors += n;
                    return;
                }
                counter = new long[1];
                errorsByType.put(type, counter);
            }
            counter[0] += n;
        }
    }
}
