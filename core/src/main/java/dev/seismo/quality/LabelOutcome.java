package dev.seismo.quality;

/** What became of a label handed to {@code ModelMonitor.label}. */
public enum LabelOutcome {
    /** Joined to its pending prediction; the prediction's window's realized metrics include it. */
    JOINED,
    /** No prediction is pending under the key: never predicted, already labeled, expired or refused. Counted. */
    UNMATCHED,
    /** The actual value is not a class of the model (or not a finite number for regression). Counted. */
    INVALID,
    /** The monitor tracks no quality (no {@code quality(..)} in its builder). */
    NOT_TRACKED
}
