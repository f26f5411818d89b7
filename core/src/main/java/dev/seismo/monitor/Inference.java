package dev.seismo.monitor;

import dev.seismo.quality.QualityTracker;
import dev.seismo.resource.ThreadCpuTime;
import dev.seismo.schema.Schema;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What one model call saw and did: its timing, outcome, feature and output values, and usage. Setting values
 * never throws: an unknown name, an index out of range or a value of the wrong type is counted and reported in the
 * window's profile.
 *
 * <p>Three ways to get one, all recorded by the same mechanism:
 * <ul>
 * <li>{@link ModelMonitor#start()} returns a started, thread-confined scope for try-with-resources; {@link #close()}
 * records it. The monitor reuses one per thread, so the scope costs no allocation on platform threads.</li>
 * <li>{@link ModelMonitor#observe} wraps a call in such a scope.</li>
 * <li>{@link ModelMonitor#newInference()} returns one the caller owns and reuses, for the indexed fast path:
 * set values by index, set the latency, {@link ModelMonitor#record(Inference)}.</li>
 * </ul>
 * Indices are the positions among signals of the same type in the monitor's {@link Schema}. Numeric {@code NaN}
 * means missing and {@code +/-Infinity} invalid. After it is recorded an inference is empty again: every value
 * missing, no error, no usage, not started.
 *
 * <p>Not thread-safe: an inference belongs to one thread at a time.
 */
public final class Inference implements AutoCloseable {

    private static final long NOT_STARTED = Long.MIN_VALUE;

    /**
     * The monitor that records this inference. A pooled scope holds it only while in use: the thread-local that
     * pools it is the monitor's, and a value that referred to its monitor would keep a closed monitor alive.
     */
    DefaultModelMonitor monitor;
    private final Schema schema;
    final boolean pooled;
    private final BiConsumer<String, Object> setter = this::set;
    final double[] numeric;
    final Object[] categorical;
    long startNanos = NOT_STARTED;
    long latencyNanos = -1;
    Throwable error;
    long inputUnits;
    long outputUnits;
    /** The part of {@link #inputUnits} served from a prompt cache; 0 unless set and valid. */
    long cachedInputUnits;
    boolean hasUsage;
    /** Whether a usage count was negative, or the cached tokens exceeded the input tokens. */
    boolean invalidUsage;
    int unknownNames;
    String firstUnknownName;
    boolean inUse;
    /** When the call ended, on the clock's nanoTime; set at recording when the monitor attributes resources. */
    long endNanos;
    /** The calling thread's CPU time at start, then the call's CPU time; NOT_MEASURED unless measured. */
    long cpuNanos = ThreadCpuTime.NOT_MEASURED;
    /** The correlation key and prediction, for a monitor that tracks quality (docs/QUALITY.md). */
    boolean keyed;
    long key;
    double prediction = Double.NaN;
    boolean predictedClass;
    final double[] probabilities;
    boolean hasProbabilities;

    Inference(DefaultModelMonitor monitor, boolean pooled) {
        this.monitor = pooled ? null : monitor;
        this.schema = monitor.schema();
        this.pooled = pooled;
        this.numeric = new double[monitor.recordedNumeric()];
        this.categorical = new Object[schema.categorical().size()];
        Arrays.fill(numeric, Double.NaN);
        this.probabilities = new double[monitor.probabilityWidth()];
    }

    /** Starts (or restarts) timing the call now. */
    public Inference start() {
        if (monitor == null) {
            return this; // a pooled scope already recorded: nothing to time
        }
        startNanos = monitor.clock().nanoTime();
        latencyNanos = -1;
        cpuNanos = monitor.cpuTimeStart();
        return this;
    }

    /** Sets the latency measured elsewhere, instead of timing from {@link #start()}. Negative values count as 0. */
    public Inference latency(long nanos) {
        latencyNanos = Math.max(0, nanos);
        return this;
    }

    /** Sets the latency measured elsewhere. */
    public Inference latency(Duration latency) {
        return latency(latency.toNanos());
    }

    /** Sets the numeric signal at {@code index}: no lookup, no boxing. */
    public Inference numeric(int index, double value) {
        if (index >= 0 && index < numeric.length) {
            numeric[index] = value;
        } else {
            unknown(null);
        }
        return this;
    }

    /** Sets every numeric signal from an array in index order; a shorter array leaves the rest missing. */
    public Inference numeric(double[] values) {
        int n = Math.min(values.length, numeric.length);
        System.arraycopy(values, 0, numeric, 0, n);
        if (values.length > numeric.length) {
            unknown(null);
        }
        return this;
    }

    /** Sets the categorical signal at {@code index}; {@code null} is missing. */
    public Inference categorical(int index, Object value) {
        if (index >= 0 && index < categorical.length) {
            categorical[index] = value;
        } else {
            unknown(null);
        }
        return this;
    }

    /** Sets every categorical signal from an array in index order; a shorter array leaves the rest missing. */
    public Inference categorical(Object[] values) {
        int n = Math.min(values.length, categorical.length);
        System.arraycopy(values, 0, categorical, 0, n);
        if (values.length > categorical.length) {
            unknown(null);
        }
        return this;
    }

    /** Sets a numeric input or output by name, without boxing. */
    public Inference set(String name, double value) {
        int i = schema.numericIndex(name);
        if (i >= 0 && i < numeric.length) {
            numeric[i] = value;
        } else {
            set(name, (Object) value);
        }
        return this;
    }

    /**
     * Sets an input or output by name. For a numeric signal a {@link Number} is its value, {@code null} is missing
     * and anything else invalid; for a categorical one see {@code docs/DESIGN.md}.
     */
    public Inference set(String name, Object value) {
        int n = name == null ? -1 : schema.numericIndex(name);
        if (n >= 0 && n < numeric.length) { // resource signals lie past the end: they are Seismo's to set
            numeric[n] = value == null ? Double.NaN
                    : value instanceof Number number ? number.doubleValue() : Double.POSITIVE_INFINITY;
            return this;
        }
        int c = n >= 0 || name == null ? -1 : schema.categoricalIndex(name);
        if (c >= 0) {
            categorical[c] = value;
        } else {
            unknown(name);
        }
        return this;
    }

    /** Sets every entry of the map by name; signals absent from it stay missing. */
    public Inference set(Map<String, ?> values) {
        if (values != null) {
            values.forEach(setter);
        }
        return this;
    }

    /**
     * Records usage for the call, such as input and output tokens. A negative count is recorded as 0 and counted in
     * {@link MonitorSnapshot#invalidUsage()}.
     */
    public Inference usage(long inputUnits, long outputUnits) {
        return usage(inputUnits, outputUnits, 0);
    }

    /**
     * Records token usage with the input tokens served from a prompt cache, a part of {@code inputTokens}
     * (OpenAI-style usage), priced at the cost model's cached input price. A negative count is recorded as 0; cached
     * tokens above the input tokens are recorded as none cached (the call is priced at the full input price). Either
     * is counted in {@link MonitorSnapshot#invalidUsage()}, never thrown.
     */
    public Inference usage(long inputTokens, long outputTokens, long cachedInputTokens) {
        this.inputUnits = Math.max(0, inputTokens);
        this.outputUnits = Math.max(0, outputTokens);
        boolean cachedValid = cachedInputTokens >= 0 && cachedInputTokens <= inputTokens;
        this.cachedInputUnits = cachedValid ? cachedInputTokens : 0;
        this.invalidUsage = inputTokens < 0 || outputTokens < 0 || !cachedValid;
        this.hasUsage = true;
        return this;
    }

    /**
     * The call's correlation key, such as a request id, that a later {@link ModelMonitor#label label} names. Kept as a
     * 64-bit hash (docs/QUALITY.md); {@code null} leaves the call unkeyed.
     */
    public Inference key(CharSequence key) {
        if (key != null) {
            this.key = QualityTracker.hash(key);
            this.keyed = true;
        }
        return this;
    }

    /** The call's correlation key as a number, used as is (no hash, no collision). */
    public Inference key(long key) {
        this.key = key;
        this.keyed = true;
        return this;
    }

    /** The prediction: a binary classifier's P(class 1), or a regression model's value. */
    public Inference prediction(double value) {
        this.prediction = value;
        this.predictedClass = false;
        return this;
    }

    /** The predicted class index, for a classifier without probabilities. */
    public Inference predictedClass(int classIndex) {
        this.prediction = classIndex;
        this.predictedClass = true;
        return this;
    }

    /** A multiclass classifier's probability per class, copied; the predicted class is the most probable. */
    public Inference prediction(double[] probabilities) {
        if (probabilities != null && probabilities.length == this.probabilities.length
                && this.probabilities.length > 0) {
            System.arraycopy(probabilities, 0, this.probabilities, 0, probabilities.length);
            this.hasProbabilities = true;
        } else {
            this.prediction = Double.NaN; // counted as an invalid prediction
            this.predictedClass = false;
        }
        return this;
    }

    /** Marks the call as failed with this error; {@code null} marks it successful again. */
    public Inference error(Throwable error) {
        this.error = error;
        return this;
    }

    /** Records this inference with its monitor (see {@link ModelMonitor#record(Inference)}). */
    @Override
    public void close() {
        DefaultModelMonitor m = monitor;
        if (m != null) {
            m.record(this);
        }
    }

    long latencyAt(long nowNanos) {
        if (latencyNanos >= 0) {
            return latencyNanos;
        }
        return startNanos == NOT_STARTED ? 0 : Math.max(0, nowNanos - startNanos);
    }

    boolean needsClock() {
        return latencyNanos < 0 && startNanos != NOT_STARTED;
    }

    /** Empties the inference after it was recorded, and hands a pooled scope back to its thread. */
    void clear() {
        // Guarded stores: the common call has no categorical values, no error and no unknown name, and a reference
        // store it can skip is a GC write barrier it does not pay.
        if (numeric.length > 0) {
            Arrays.fill(numeric, Double.NaN);
        }
        if (categorical.length > 0) {
            Arrays.fill(categorical, null);
        }
        startNanos = NOT_STARTED;
        latencyNanos = -1;
        if (error != null) {
            error = null;
        }
        inputUnits = 0;
        outputUnits = 0;
        cachedInputUnits = 0;
        hasUsage = false;
        invalidUsage = false;
        unknownNames = 0;
        if (firstUnknownName != null) {
            firstUnknownName = null;
        }
        endNanos = 0;
        cpuNanos = ThreadCpuTime.NOT_MEASURED;
        keyed = false;
        prediction = Double.NaN;
        predictedClass = false;
        hasProbabilities = false;
        if (pooled) {
            inUse = false;
            monitor = null;
        }
    }

    private void unknown(String name) {
        if (unknownNames++ == 0) {
            firstUnknownName = name;
        }
    }
}
