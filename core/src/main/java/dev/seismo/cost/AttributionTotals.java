package dev.seismo.cost;

/**
 * Everything an attributor has finalized since it was created, and what it still holds: {@code measured} is split
 * exactly (to rounding) into {@code attributed} and {@code idle}. The counts say where attribution fell short, so
 * a loss is visible rather than silent.
 *
 * <p>Thread-safe: immutable.
 *
 * @param measured           the totals of every finalized interval
 * @param attributed         what was allocated to requests, the pending ones' shares included
 * @param idle               what no request was using: moments with no request running (instance time), intervals
 *                           no request overlapped (CPU and GPU)
 * @param idleCost           {@code idle} priced by the attributor's host prices (zero amounts where it has none)
 * @param idleEmissionsGrams grams of CO2-equivalent for the idle GPU energy, at the host prices' carbon intensity
 * @param settledRequests    requests handed out in settlements
 * @param lateRequests       requests added after part of their time was settled: they ran longer than the
 *                           lateness allows, and the shares of the intervals settled before they arrived went to
 *                           other requests or to idle
 * @param forcedRequests     requests handed out before the watermark reached their end, because more requests were
 *                           waiting than the cap allows: a measurement arriving later for their time (a GPU
 *                           interval) goes to the requests still pending, or to idle
 * @param lateIntervals      intervals added after part of their time was settled: requests in them may have been
 *                           handed out without their share
 * @param forcedIntervals    intervals finalized before the watermark reached their end, to keep pending requests
 *                           under the cap
 * @param pendingRequests    requests added and not yet handed out
 * @param pendingIntervals   intervals added and not yet finalized, over all resources
 */
public record AttributionTotals(ResourceUsage measured, ResourceUsage attributed, ResourceUsage idle, Cost idleCost,
                                double idleEmissionsGrams, long settledRequests, long lateRequests,
                                long forcedRequests, long lateIntervals, long forcedIntervals, int pendingRequests,
                                int pendingIntervals) {
}
