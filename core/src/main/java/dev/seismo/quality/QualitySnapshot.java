package dev.seismo.quality;

import java.util.List;

/**
 * A consistent view of a monitor's quality: its windows, oldest first (final ones, then those open for labels, then
 * the current one), and counters over its life. Every keyed prediction whose call returned before the snapshot is in
 * exactly one of: a window's predictions, {@code duplicateKeys}, {@code refusedPredictions},
 * {@code invalidPredictions} or {@code shedPredictions}; every label that returned is joined, unmatched or invalid.
 *
 * <p>Thread-safe: immutable.
 *
 * @param windows            windows, oldest first; final windows beyond the monitor's window history are dropped
 * @param pending            predictions waiting for labels
 * @param joined             labels joined to their prediction
 * @param unmatchedLabels    labels that found no pending prediction
 * @param invalidLabels      labels that were not a class of the model, or not finite
 * @param expired            predictions that were never labeled within the horizon
 * @param duplicateKeys      predictions refused because their key was already pending
 * @param refusedPredictions predictions refused because {@code maxPending} were already waiting
 * @param invalidPredictions predictions that were not valid (a probability outside [0, 1], a class out of range)
 * @param shedPredictions    predictions the recording thread could not hand over because aggregation fell behind
 * @param pendingBytes       memory of the pending table (allocated up front)
 * @param bytesPerPrediction that memory divided by {@code maxPending}
 * @param listenerFailures   quality listeners that threw
 */
public record QualitySnapshot(List<QualityWindow> windows, long pending, long joined, long unmatchedLabels,
                              long invalidLabels, long expired, long duplicateKeys, long refusedPredictions,
                              long invalidPredictions, long shedPredictions, long pendingBytes,
                              double bytesPerPrediction, long listenerFailures) {

    public QualitySnapshot {
        windows = List.copyOf(windows);
    }
}
