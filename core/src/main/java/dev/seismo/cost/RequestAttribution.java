package dev.seismo.cost;

/**
 * One request's share of the measured resources, and what it cost.
 *
 * <p>Thread-safe if its key is: otherwise immutable.
 *
 * @param key            what the request was added with (a monitor, say), to route the result
 * @param startNanos     start of the request, {@code [startNanos, endNanos)}
 * @param endNanos       end of the request
 * @param tokens         the tokens it used
 * @param resources      its shares of instance time, CPU time, GPU time and GPU energy
 * @param cost           its cost: tokens, the price per call, and the resources priced
 * @param emissionsGrams grams of CO2-equivalent for its share of GPU energy
 * @param late           whether it was added after part of its time had been settled, so it has no share of the
 *                       intervals settled before it arrived (it ran longer than the attributor's lateness allows)
 */
public record RequestAttribution<K>(K key, long startNanos, long endNanos, TokenUsage tokens,
                                    ResourceUsage resources, Cost cost, double emissionsGrams, boolean late) {
}
