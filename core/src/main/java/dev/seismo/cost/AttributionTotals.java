package dev.seismo.cost;

/**
 * Everything an attributor has finalized since it was created: {@code measured} is split exactly (to rounding)
 * into {@code attributed} and {@code idle}.
 *
 * <p>Thread-safe: immutable.
 *
 * @param measured        the totals of every finalized interval
 * @param attributed      what was allocated to requests, the pending ones' shares included
 * @param idle            what no request overlapped
 * @param settledRequests requests handed out in settlements
 * @param lateRequests    requests added after part of their time was settled
 * @param lateIntervals   intervals added after their time was settled (finalized at the next settlement)
 * @param forcedIntervals intervals finalized early to keep pending requests under the limit
 */
public record AttributionTotals(ResourceUsage measured, ResourceUsage attributed, ResourceUsage idle,
                                long settledRequests, long lateRequests, long lateIntervals, long forcedIntervals) {
}
