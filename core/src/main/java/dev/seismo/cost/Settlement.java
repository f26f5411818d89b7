package dev.seismo.cost;

import java.util.List;

/**
 * What one {@link ResourceAttributor#settle(long)} finalized: the requests whose attribution is complete, and the
 * part of the intervals finalized in this step that no request overlapped (idle time: kept and priced here, not
 * lost).
 *
 * <p>A request's shares can come from intervals finalized in earlier settlements, so conservation holds over all
 * settlements together ({@link ResourceAttributor#totals()}), not within each one.
 *
 * <p>Thread-safe if its keys are: otherwise immutable.
 *
 * @param settledToNanos      every interval ending at or before this time is now finalized
 * @param requests            the requests completed by this step, in the order they were added
 * @param measured            the totals of the intervals finalized in this step
 * @param idle                the part of {@code measured} that no request overlapped
 * @param idleCost            {@code idle} priced by the attributor's host prices
 * @param idleEmissionsGrams  grams of CO2-equivalent for the idle GPU energy
 */
public record Settlement<K>(long settledToNanos, List<RequestAttribution<K>> requests, ResourceUsage measured,
                            ResourceUsage idle, Cost idleCost, double idleEmissionsGrams) {

    /** Copies the request list. */
    public Settlement {
        requests = List.copyOf(requests);
    }
}
