package dev.seismo.quality;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Internal: the engine of a monitor's quality tracking, used by the monitor package; not an API, and it may change.
 *
 * <p>Three sides. Recording threads {@link #offer} keyed predictions into a lock-free {@link PredictionBuffer} (no
 * lock, no allocation). The monitor's aggregation drains that buffer into the {@link PendingPredictions} table and
 * the open window ({@link #drain}), closes windows ({@link #windowClosed}) and closes them to labels once their
 * horizon passes. Label threads {@link #label} under {@link #lock}, a lock no recording thread ever takes: a label
 * whose key is not pending first drains the buffer, so a label that follows its prediction's call always finds it.
 * Every field below the lock's comment is guarded by it. Listeners are called on the aggregation side only, after the
 * lock is released, so a listener may take a snapshot.
 */
public final class QualityTracker {

    /** Predictions the buffer holds before recording threads shed them: 64 stripes' worth at most. */
    private static final int BUFFER_SLOTS = 1 << 16;

    private final QualityConfig config;
    private final String model;
    private final int windowHistory;
    private final QualityConfig.Task task;
    private final int classes;
    private final int width;
    private final long horizonMillis;
    private final PredictionBuffer buffer;
    private final AtomicLong shed = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock:
    private final PendingPredictions pending;
    private final State[] ring;
    private final int ringMask;
    private final ArrayDeque<QualityWindow> history = new ArrayDeque<>();
    private final double[] scratch;
    private final PredictionBuffer.Sink sink = this::accept;
    private long first;
    private long open;
    private long joined;
    private long unmatched;
    private long invalidLabels;
    private long expired;
    private long duplicates;
    private long refused;
    private long invalidPredictions;
    private long listenerFailures;

    /**
     * @param model              the model's {@code name:version}, for alerts
     * @param windowHistory      final windows kept
     * @param openSequence       the monitor's open window
     * @param openStartMillis    when it opened
     */
    public QualityTracker(QualityConfig config, String model, int windowHistory, long openSequence,
                          long openStartMillis) {
        this.config = config;
        this.model = model;
        this.windowHistory = windowHistory;
        this.task = config.task();
        this.classes = config.classes().size();
        this.width = task == QualityConfig.Task.MULTICLASS ? classes : task == QualityConfig.Task.BINARY ? 1 : 0;
        this.horizonMillis = config.labelHorizon().toMillis();
        int stripes = Math.min(64, Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()))
                << 1);
        this.buffer = new PredictionBuffer(stripes, BUFFER_SLOTS / stripes,
                task == QualityConfig.Task.MULTICLASS ? classes : 0);
        this.pending = new PendingPredictions(config.maxPending(), width);
        int ringSize = Integer.highestOneBit(config.maxOpenWindows() * 2 - 1);
        this.ring = new State[ringSize];
        this.ringMask = ringSize - 1;
        this.scratch = new double[Math.max(1, classes)];
        this.first = openSequence;
        this.open = openSequence;
        ring[(int) (openSequence & ringMask)] = new State(openSequence, openStartMillis);
    }

    /** The 64-bit hash a string key is kept as (docs/QUALITY.md). */
    public static long hash(CharSequence key) {
        return PendingPredictions.hash(key);
    }

    public QualityConfig config() {
        return config;
    }

    /** Probabilities a multiclass prediction carries; 0 otherwise. */
    public int probabilityWidth() {
        return task == QualityConfig.Task.MULTICLASS ? classes : 0;
    }

    // ---- recording threads ----------------------------------------------------------------------------------

    /**
     * Hands over a keyed prediction: {@code value} is P(class 1), the class index or the predicted number;
     * {@code probabilities} (multiclass, with {@code hasProbabilities}) is copied. Lock-free, allocation-free.
     */
    public void offer(long key, double value, boolean isClass, double[] probabilities) {
        int flags = (probabilities != null ? PredictionBuffer.HAS_PROBABILITIES : 0)
                | (isClass ? PredictionBuffer.HAS_CLASS : 0);
        if (!buffer.offer(key, value, flags, probabilities)) {
            shed.incrementAndGet();
        }
    }

    // ---- aggregation ----------------------------------------------------------------------------------------

    /**
     * Drains the buffer into the open window and closes to labels the windows whose horizon has passed. Called by
     * the monitor's aggregation with its open window.
     */
    public void drain(long openSequence, long openStartMillis, long nowMillis) {
        List<QualityAlert> alerts = new ArrayList<>(0);
        lock.lock();
        try {
            openWindow(openSequence, openStartMillis, alerts);
            buffer.drain(sink);
            while (first < open) {
                State s = ring[(int) (first & ringMask)];
                if (s.endMillis < 0 || nowMillis < s.endMillis + horizonMillis) {
                    break;
                }
                finish(s, alerts);
            }
        } finally {
            lock.unlock();
        }
        fire(alerts);
    }

    /** The monitor closed a window: it gets its estimate now and stays open for labels until its horizon. */
    public void windowClosed(long sequence, long startMillis, long endMillis) {
        List<QualityAlert> alerts = new ArrayList<>(0);
        lock.lock();
        try {
            openWindow(sequence, startMillis, alerts);
            State s = ring[(int) (sequence & ringMask)];
            s.startMillis = startMillis;
            s.endMillis = endMillis;
            if (s.cbpe != null) {
                s.estimate = s.cbpe.estimate(sequence * 0x9E3779B97F4A7C15L + 1);
                for (QualityAlert.Rule rule : config.alerts()) {
                    Estimate e = s.estimate == null ? Estimate.UNDEFINED : s.estimate.of(rule.metric());
                    if (rule.fires(e.value())) {
                        alerts.add(new QualityAlert(model, sequence, Instant.ofEpochMilli(startMillis),
                                Instant.ofEpochMilli(endMillis), rule.metric(), true, e.value(), e.lower(), e.upper(),
                                rule.threshold()));
                    }
                }
                s.cbpe = null; // its memory is no longer needed
            }
            openWindow(sequence + 1, endMillis, alerts);
        } finally {
            lock.unlock();
        }
        fire(alerts);
    }

    /** Holding the lock: makes {@code sequence} the open window, closing the oldest to labels if too many are open. */
    private void openWindow(long sequence, long startMillis, List<QualityAlert> alerts) {
        if (sequence <= open) {
            if (sequence == open) {
                ring[(int) (open & ringMask)].startMillis = startMillis;
            }
            return;
        }
        while (open < sequence) {
            open++;
            while (open - first >= config.maxOpenWindows()) {
                finish(ring[(int) (first & ringMask)], alerts);
            }
            ring[(int) (open & ringMask)] = new State(open, startMillis);
        }
    }

    /** Holding the lock: closes the oldest window to labels; what is still pending in it expires. */
    private void finish(State s, List<QualityAlert> alerts) {
        long removed = pending.removeWindow((int) s.sequence);
        s.expired += removed;
        expired += removed;
        if (s.endMillis < 0) {
            s.endMillis = s.startMillis; // closed to labels before the monitor closed it: too many windows open
        }
        QualityWindow w = s.view(false, false);
        for (QualityAlert.Rule rule : config.alerts()) {
            double v = w.realized(rule.metric());
            if (rule.fires(v)) {
                alerts.add(new QualityAlert(model, s.sequence, w.start(), w.end(), rule.metric(), false, v,
                        Double.NaN, Double.NaN, rule.threshold()));
            }
        }
        history.addLast(w);
        if (history.size() > windowHistory) {
            history.removeFirst();
        }
        ring[(int) (s.sequence & ringMask)] = null;
        first = s.sequence + 1;
    }

    /** Holding the lock: one prediction from the buffer. */
    private void accept(long key, double value, int flags, double[] probabilities, int offset) {
        State s = ring[(int) (open & ringMask)];
        PendingPredictions.Put put;
        int predicted;
        switch (task) {
            case BINARY -> {
                if ((flags & PredictionBuffer.HAS_CLASS) != 0) {
                    if (value != 0 && value != 1) {
                        invalidPredictions++;
                        return;
                    }
                    predicted = (int) value;
                    scratch[0] = Double.NaN;
                } else {
                    if (!(value >= 0 && value <= 1)) {
                        invalidPredictions++;
                        return;
                    }
                    predicted = value >= config.threshold() ? 1 : 0;
                    scratch[0] = value;
                }
                put = pending.put(key, (int) open, predicted, scratch, 0);
                if (put == PendingPredictions.Put.ADDED && s.cbpe != null && !Double.isNaN(scratch[0])) {
                    s.cbpe.add(value);
                }
            }
            case MULTICLASS -> {
                if ((flags & PredictionBuffer.HAS_PROBABILITIES) != 0) {
                    for (int c = 0; c < classes; c++) {
                        double p = probabilities[offset + c];
                        if (!(p >= 0 && p <= 1)) {
                            invalidPredictions++;
                            return;
                        }
                    }
                    predicted = ClassificationMetrics.Accumulator.argmax(probabilities, offset, classes);
                    put = pending.put(key, (int) open, predicted, probabilities, offset);
                } else {
                    if (!(value >= 0 && value < classes) || value != Math.rint(value)) {
                        invalidPredictions++;
                        return;
                    }
                    predicted = (int) value;
                    Arrays.fill(scratch, Double.NaN);
                    put = pending.put(key, (int) open, predicted, scratch, 0);
                }
            }
            default -> {
                if (!Double.isFinite(value)) {
                    invalidPredictions++;
                    return;
                }
                predicted = 0;
                put = pending.put(key, (int) open, value);
            }
        }
        switch (put) {
            case ADDED -> {
                s.predictions++;
                if (s.predictedClasses != null) {
                    s.predictedClasses[predicted]++;
                }
            }
            case DUPLICATE -> duplicates++;
            case FULL -> refused++;
        }
    }

    // ---- labels: any thread ---------------------------------------------------------------------------------

    /** Joins a label to its pending prediction; see {@link LabelOutcome}. */
    public LabelOutcome label(long key, double actual) {
        lock.lock();
        try {
            if (task == QualityConfig.Task.REGRESSION ? !Double.isFinite(actual)
                    : !(actual >= 0 && actual < classes && actual == Math.rint(actual))) {
                invalidLabels++;
                return LabelOutcome.INVALID;
            }
            int slot = pending.find(key);
            if (slot < 0) {
                buffer.drain(sink); // its call returned, but the aggregation has not taken its prediction yet
                slot = pending.find(key);
            }
            if (slot < 0) {
                unmatched++;
                return LabelOutcome.UNMATCHED;
            }
            join(slot, actual);
            pending.remove(slot);
            joined++;
            return LabelOutcome.JOINED;
        } finally {
            lock.unlock();
        }
    }

    /** Holding the lock. */
    private void join(int slot, double actual) {
        int w = pending.window(slot);
        State s = ring[w & ringMask];
        s.labeled++;
        int predicted = pending.predictedClass(slot);
        switch (task) {
            case BINARY -> {
                float p1 = pending.floatAt(slot, 0);
                if (Float.isNaN(p1)) {
                    s.classification.addClass((int) actual, predicted);
                } else {
                    s.classification.addBinary((int) actual, predicted, p1);
                }
            }
            case MULTICLASS -> {
                if (Float.isNaN(pending.floatAt(slot, 0))) {
                    s.classification.addClass((int) actual, predicted);
                } else {
                    pending.copyFloats(slot, scratch);
                    s.classification.addProbabilities((int) actual, predicted, scratch, 0);
                }
            }
            default -> s.regression.add(actual, pending.doubleAt(slot));
        }
    }

    /** Class name to index, for labels given by name; -1 if not a class. */
    public int classIndex(String name) {
        return config.classes().indexOf(name);
    }

    // ---- reading --------------------------------------------------------------------------------------------

    public QualitySnapshot snapshot(long nowMillis) {
        lock.lock();
        try {
            buffer.drain(sink);
            List<QualityWindow> windows = new ArrayList<>(history);
            for (long seq = first; seq <= open; seq++) {
                State s = ring[(int) (seq & ringMask)];
                if (seq == open) {
                    windows.add(s.view(true, true, nowMillis));
                } else {
                    windows.add(s.view(false, true));
                }
            }
            return new QualitySnapshot(windows, pending.size(), joined, unmatched, invalidLabels, expired,
                    duplicates, refused, invalidPredictions, shed.get(), pending.tableBytes(),
                    pending.bytesPerPrediction(), listenerFailures);
        } finally {
            lock.unlock();
        }
    }

    private void fire(List<QualityAlert> alerts) {
        for (QualityAlert alert : alerts) {
            for (QualityListener listener : config.listeners()) {
                try {
                    listener.onAlert(alert);
                } catch (RuntimeException e) {
                    lock.lock();
                    try {
                        listenerFailures++;
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }
    }

    /** JS distance (base 2) between the reference's label distribution and the actuals, one pseudo-count each. */
    private double labelDrift(ClassificationMetrics m) {
        QualityReference ref = config.reference();
        if (ref == null || m == null || m.rows() == 0) {
            return Double.NaN;
        }
        double[] p = {(ref.rows() - ref.positives() + 1.0) / (ref.rows() + 2), (ref.positives() + 1.0) / (ref.rows() + 2)};
        double[] q = {(m.actual(0) + 1.0) / (m.rows() + 2), (m.actual(1) + 1.0) / (m.rows() + 2)};
        double js = 0;
        for (int i = 0; i < 2; i++) {
            double mid = (p[i] + q[i]) / 2;
            js += 0.5 * p[i] * Math.log(p[i] / mid) + 0.5 * q[i] * Math.log(q[i] / mid);
        }
        return Math.sqrt(Math.max(0, js / Math.log(2)));
    }

    /** One window's mutable side. */
    private final class State {
        final long sequence;
        long startMillis;
        long endMillis = -1;
        long predictions;
        long labeled;
        long expired;
        final long[] predictedClasses;
        final ClassificationMetrics.Accumulator classification;
        final RegressionMetrics.Accumulator regression;
        Cbpe cbpe;
        PerformanceEstimate estimate;

        State(long sequence, long startMillis) {
            this.sequence = sequence;
            this.startMillis = startMillis;
            boolean classifier = task != QualityConfig.Task.REGRESSION;
            this.predictedClasses = classifier ? new long[classes] : null;
            this.classification = classifier ? new ClassificationMetrics.Accumulator(config.classes()) : null;
            this.regression = classifier ? null : new RegressionMetrics.Accumulator();
            this.cbpe = config.reference() != null ? new Cbpe(config.reference()) : null;
        }

        QualityWindow view(boolean isOpen, boolean acceptingLabels) {
            return view(isOpen, acceptingLabels, endMillis);
        }

        QualityWindow view(boolean isOpen, boolean acceptingLabels, long end) {
            List<Long> counts = new ArrayList<>();
            if (predictedClasses != null) {
                for (long c : predictedClasses) {
                    counts.add(c);
                }
            }
            ClassificationMetrics cm = classification == null ? null : classification.snapshot();
            return new QualityWindow(sequence, Instant.ofEpochMilli(startMillis),
                    Instant.ofEpochMilli(Math.max(end, startMillis)), isOpen, acceptingLabels, predictions, labeled,
                    expired, counts, task == QualityConfig.Task.BINARY ? labelDrift(cm) : Double.NaN, cm,
                    regression == null ? null : regression.snapshot(), estimate);
        }
    }
}
