package dev.seismo.resource;

/**
 * The process CPU time used over {@code [startNanos, endNanos)} (timestamps from the meter's
 * {@link dev.seismo.time.Clock#nanoTime()}).
 *
 * <p>Thread-safe: immutable.
 *
 * @param startNanos start of the interval
 * @param endNanos   end of the interval, after {@code startNanos}
 * @param cpuSeconds CPU seconds used by all the process's threads in the interval
 * @param processors processors available to the JVM, the most CPU seconds each wall-clock second can hold
 */
public record CpuInterval(long startNanos, long endNanos, double cpuSeconds, int processors) {

    /** Validates the interval. */
    public CpuInterval {
        if (endNanos <= startNanos) {
            throw new IllegalArgumentException("interval end must be after its start, was [" + startNanos + ", "
                    + endNanos + ")");
        }
        if (!(cpuSeconds >= 0) || Double.isInfinite(cpuSeconds)) {
            throw new IllegalArgumentException("cpuSeconds must be finite and >= 0, was " + cpuSeconds);
        }
        if (processors < 1) {
            throw new IllegalArgumentException("processors must be >= 1, was " + processors);
        }
    }

    /** The interval's wall-clock length in seconds. */
    public double wallSeconds() {
        return (endNanos - startNanos) / 1e9;
    }

    /** CPU seconds over the CPU seconds the available processors could give: 0 idle, 1 every processor busy. */
    public double utilization() {
        return cpuSeconds / (wallSeconds() * processors);
    }
}
