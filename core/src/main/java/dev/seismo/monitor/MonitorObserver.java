package dev.seismo.monitor;

import dev.seismo.cost.Cost;
import dev.seismo.cost.ResourceUsage;

/**
 * What exporters (Micrometer, OpenTelemetry, Prometheus) and other whole-registry consumers hear from a
 * {@link MonitorRegistry}: monitors as they register, every call as it is aggregated, and every closed window.
 *
 * <p>Every method but {@link #onRegistered} runs on the registry's aggregation thread, never on a caller's, so an
 * observer may record into a metrics library's own instruments at their usual cost without touching the model call.
 * An observer that throws is logged and counted; the others still run. Methods default to doing nothing.
 */
public interface MonitorObserver {

    /**
     * A monitor was registered: on the registering thread, and once for each monitor already registered when the
     * observer is added.
     */
    default void onRegistered(ModelMonitor monitor) {
    }

    /**
     * {@code count} calls with this latency and outcome were aggregated. Usually one call at a time; calls that took
     * the overflow path (see {@code docs/DESIGN.md}) arrive grouped by latency, and if several error types shared
     * one aggregation interval there, their errors are reported under the type {@code "other"}.
     *
     * @param errorType the exception's class name, or null for a successful call
     */
    default void onCalls(ModelMonitor monitor, long latencyNanos, String errorType, long count) {
    }

    /**
     * The usage (tokens or other units) of {@code calls} calls was aggregated: usually one call; calls that took the
     * overflow path arrive summed, so a per-call distribution records the mean {@code calls} times.
     */
    default void onUsage(ModelMonitor monitor, long inputUnits, long outputUnits, long calls) {
    }

    /** Feature values of {@code records} calls were shed because aggregation fell behind. */
    default void onShed(ModelMonitor monitor, long records, long values) {
    }

    /**
     * A call's share of the measured resources and what it cost, once its sampling intervals were settled (see
     * {@code docs/RESOURCES.md}): some seconds after the call, on the aggregation thread. Calls that took the
     * overflow path arrive as one group per drain: their summed token and per-call cost, with {@code NaN}
     * resources and emissions, since they were not attributed any. A resource that was not measured is
     * {@code NaN}: add only finite amounts.
     *
     * @param resources      CPU seconds, GPU busy seconds and energy, and instance time attributed to the call; the
     *                       CPU seconds of a call measured 1 in n ({@code ThreadCpuTime.sampled(n)}) count n times,
     *                       so that their sum estimates all the calls', and are {@code NaN} for calls not measured
     *                       while process CPU time is not spread
     * @param cost           its cost in the monitor's currency, by component; for a monitor without prices (which
     *                       still takes its share of the resources), {@link Cost#UNPRICED}
     * @param emissionsGrams its emissions, gCO2e; {@code NaN} for a monitor without prices
     */
    default void onCost(ModelMonitor monitor, ResourceUsage resources, Cost cost, double emissionsGrams) {
    }

    /**
     * The registry closed: every monitor's last window has been told to {@link #onWindowClosed}. An observer that
     * delivers elsewhere (snapshot publishers) finishes its deliveries and stops here.
     */
    default void onRegistryClosed() {
    }

    /** A monitor closed a window (with its drift report, if the monitor has a reference). */
    default void onWindowClosed(ModelMonitor monitor, Window window) {
    }
}
