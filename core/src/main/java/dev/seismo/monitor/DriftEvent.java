package dev.seismo.monitor;

import dev.seismo.drift.DriftReport;

import java.util.Objects;
import java.util.Optional;

/**
 * A change of drift state, found when a window closed.
 *
 * <p>Thread-safe: immutable.
 *
 * @param monitor the monitor whose window drifted
 * @param window  the window whose report shows the change
 * @param feature the feature or output that changed, or {@code null} when the dataset as a whole changed
 * @param change  whether drift started or ended
 */
public record DriftEvent(ModelMonitor monitor, Window window, String feature, Change change) {

    /** Whether drift started or ended. */
    public enum Change {
        STARTED,
        ENDED
    }

    /** Checks the components. */
    public DriftEvent {
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(change, "change");
    }

    /** Whether the dataset as a whole changed state (its share of drifted features crossed the threshold). */
    public boolean isDataset() {
        return feature == null;
    }

    /** The report of the window, with the statistics behind the change. */
    public DriftReport report() {
        return window.drift().orElseThrow();
    }

    /** The feature that changed, empty for the dataset. */
    public Optional<String> featureName() {
        return Optional.ofNullable(feature);
    }
}
