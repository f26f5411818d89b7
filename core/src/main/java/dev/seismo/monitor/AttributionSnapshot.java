package dev.seismo.monitor;

import dev.seismo.cost.AttributionTotals;

import java.time.Duration;

/**
 * A registry's resource attribution at one moment ({@link MonitorRegistry#attribution()}): what was measured, what
 * went to calls and what was idle, per resource; the idle cost and emissions; and the counts that show where
 * attribution fell short (calls longer than the lateness, calls settled early by the cap, failures).
 *
 * <p>Idle amounts are always here; the idle cost is priced with the registry's cost model, and is zero without one.
 *
 * <p>Thread-safe: immutable.
 *
 * @param totals          measured, attributed and idle amounts, idle cost and emissions, and the counts of late and
 *                        forced calls and intervals, since the registry started attributing
 * @param lateness        how long after an interval ends it is settled
 *                        ({@link MonitorRegistry.Builder#attributionLateness(Duration)})
 * @param maxPendingCalls the cap on calls waiting for settlement ({@link MonitorRegistry.Builder#maxPendingCalls})
 * @param failures        attribution steps that failed: a cycle, or handing one call's cost to its monitor (the
 *                        first of each kind is logged)
 */
public record AttributionSnapshot(AttributionTotals totals, Duration lateness, int maxPendingCalls, long failures) {
}
