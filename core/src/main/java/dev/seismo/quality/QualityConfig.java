package dev.seismo.quality;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * How a monitor tracks its model's quality: what the model predicts (a binary classifier's probability of class 1, a
 * multiclass classifier's class or probabilities, a regression model's value), how long labels may take
 * ({@link Builder#labelHorizon}), how many predictions may wait for theirs ({@link Builder#maxPending}), and, with a
 * {@link QualityReference}, performance estimated before labels arrive (CBPE) and alerts.
 *
 * <pre>{@code
 * QualityConfig quality = QualityConfig.binary()
 *         .labelHorizon(Duration.ofHours(6)).maxPending(2_000_000)
 *         .reference(QualityReference.read(Path.of("fraud-quality.json")))
 *         .alertBelow(QualityMetric.ACCURACY, 0.9).listener(alerts::send)
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe: immutable.
 */
public final class QualityConfig {

    /** What the model predicts. */
    public enum Task {
        /** Two classes, 0 and 1; the prediction is P(class 1), the predicted class is 1 at or above the threshold. */
        BINARY,
        /** Two or more named classes; the prediction is the class, or a probability per class. */
        MULTICLASS,
        /** A number. */
        REGRESSION
    }

    /** The most classes a multiclass model may have: the predicted class takes 8 bits of a pending slot. */
    public static final int MAX_CLASSES = 256;
    /** The most predictions that may wait for labels. */
    public static final int MAX_PENDING = 1 << 28;

    private final Task task;
    private final List<String> classes;
    private final double threshold;
    private final Duration labelHorizon;
    private final int maxPending;
    private final int maxOpenWindows;
    private final QualityReference reference;
    private final List<QualityAlert.Rule> alerts;
    private final List<QualityListener> listeners;

    private QualityConfig(Builder b) {
        this.task = b.task;
        this.classes = List.copyOf(b.classes);
        this.threshold = b.threshold;
        this.labelHorizon = b.labelHorizon;
        this.maxPending = b.maxPending;
        this.maxOpenWindows = b.maxOpenWindows;
        this.reference = b.reference;
        this.alerts = List.copyOf(b.alerts);
        this.listeners = List.copyOf(b.listeners);
    }

    /** A binary classifier whose prediction is P(class 1); classes "0" and "1". */
    public static Builder binary() {
        return new Builder(Task.BINARY, List.of("0", "1"));
    }

    /** A classifier of these classes, by index; predictions are a class index or a probability per class. */
    public static Builder multiclass(List<String> classes) {
        Objects.requireNonNull(classes, "classes");
        if (classes.size() < 2 || classes.size() > MAX_CLASSES) {
            throw new IllegalArgumentException("a multiclass model needs 2.." + MAX_CLASSES + " classes, was "
                    + classes.size());
        }
        if (classes.stream().anyMatch(Objects::isNull) || new HashSet<>(classes).size() != classes.size()) {
            throw new IllegalArgumentException("class names must be distinct and not null, were " + classes);
        }
        return new Builder(Task.MULTICLASS, classes);
    }

    /** A regression model. */
    public static Builder regression() {
        return new Builder(Task.REGRESSION, List.of());
    }

    public Task task() {
        return task;
    }

    /** The class names by index; empty for regression. */
    public List<String> classes() {
        return classes;
    }

    /** A binary classifier predicts class 1 when P(class 1) is at least this. */
    public double threshold() {
        return threshold;
    }

    public Duration labelHorizon() {
        return labelHorizon;
    }

    public int maxPending() {
        return maxPending;
    }

    /** The most windows kept open for labels at once; the oldest beyond it is closed to labels early. */
    public int maxOpenWindows() {
        return maxOpenWindows;
    }

    /** The labeled reference whose calibration CBPE uses; null without estimates. */
    public QualityReference reference() {
        return reference;
    }

    List<QualityAlert.Rule> alerts() {
        return alerts;
    }

    List<QualityListener> listeners() {
        return listeners;
    }

    /** Builds a {@link QualityConfig}; each setting is checked when set. Not thread-safe. */
    public static final class Builder {
        private final Task task;
        private final List<String> classes;
        private double threshold = 0.5;
        private Duration labelHorizon = Duration.ofHours(1);
        private int maxPending = 1_000_000;
        private int maxOpenWindows = 1_024;
        private QualityReference reference;
        private final List<QualityAlert.Rule> alerts = new ArrayList<>();
        private final List<QualityListener> listeners = new ArrayList<>();

        private Builder(Task task, List<String> classes) {
            this.task = task;
            this.classes = List.copyOf(classes);
        }

        /** A binary classifier predicts class 1 when P(class 1) is at least this (default 0.5). */
        public Builder threshold(double threshold) {
            if (task != Task.BINARY) {
                throw new IllegalStateException("threshold is for a binary classifier; this one is " + task);
            }
            if (!(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("threshold must be in (0, 1), was " + threshold);
            }
            this.threshold = threshold;
            return this;
        }

        /**
         * How long after its window closes a prediction waits for its label (default 1 hour). A label after that
         * finds nothing to join, and the prediction is counted as expired.
         */
        public Builder labelHorizon(Duration horizon) {
            Objects.requireNonNull(horizon, "horizon");
            if (horizon.isNegative()) {
                throw new IllegalArgumentException("labelHorizon must not be negative, was " + horizon);
            }
            this.labelHorizon = horizon;
            return this;
        }

        /**
         * How many predictions may wait for labels at once (default 1,000,000; a binary classifier's take at most
         * 64 bytes each, allocated up front). A prediction beyond it is refused and counted.
         */
        public Builder maxPending(int predictions) {
            if (predictions < 1 || predictions > MAX_PENDING) {
                throw new IllegalArgumentException("maxPending must be in 1.." + MAX_PENDING + ", was " + predictions);
            }
            this.maxPending = predictions;
            return this;
        }

        /**
         * How many windows may be open for labels at once (default 1,024); each holds its metric sums (about 33 KB
         * per class score sketch). When another would open, the oldest closes to labels early and its pending
         * predictions count as expired.
         */
        public Builder maxOpenWindows(int windows) {
            if (windows < 2 || windows > 65_536) {
                throw new IllegalArgumentException("maxOpenWindows must be in 2..65536, was " + windows);
            }
            this.maxOpenWindows = windows;
            return this;
        }

        /** Estimates performance before labels arrive (CBPE) from this labeled reference's calibration. */
        public Builder reference(QualityReference reference) {
            Objects.requireNonNull(reference, "reference");
            if (task != Task.BINARY) {
                throw new IllegalStateException("performance estimation (CBPE) is for binary classifiers; this one is "
                        + task);
            }
            this.reference = reference;
            return this;
        }

        /**
         * Tells the listeners when a window's metric falls below {@code threshold}: the estimate when the window
         * closes (with a reference), the realized value when the window closes to labels.
         */
        public Builder alertBelow(QualityMetric metric, double threshold) {
            Objects.requireNonNull(metric, "metric");
            if (!metric.appliesTo(task)) {
                throw new IllegalArgumentException(metric + " does not apply to a " + task + " model");
            }
            if (Double.isNaN(threshold)) {
                throw new IllegalArgumentException("alert threshold must be a number");
            }
            alerts.add(new QualityAlert.Rule(metric, threshold));
            return this;
        }

        /** Adds a listener told of alerts, on the registry's aggregation thread; what it throws is counted. */
        public Builder listener(QualityListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public QualityConfig build() {
            if (!alerts.isEmpty() && listeners.isEmpty()) {
                throw new IllegalStateException("alertBelow(..) was set but no listener(..) would hear the alerts");
            }
            if (reference != null && reference.threshold() != threshold) {
                throw new IllegalStateException("the reference was fitted at threshold " + reference.threshold()
                        + " but this model predicts at " + threshold);
            }
            return new QualityConfig(this);
        }
    }
}
