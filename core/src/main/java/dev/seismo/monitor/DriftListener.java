package dev.seismo.monitor;

/**
 * Told when a feature, an output, or the dataset as a whole starts or stops drifting: once per change, not once per
 * window. Runs on the registry's aggregation thread; a listener that throws is logged and counted, and the other
 * listeners still run.
 */
@FunctionalInterface
public interface DriftListener {

    /** A drift state changed. */
    void onDriftChange(DriftEvent event);
}
