package dev.seismo.resource;

import java.util.List;
import java.util.Objects;

/**
 * What the GPUs did between two of {@link GpuSampler}'s readings, {@code [startNanos, endNanos)} on the sampler's
 * clock: per device, the busy time and the energy used.
 *
 * <p>Thread-safe: immutable.
 *
 * @param startNanos when the earlier reading was taken ({@link dev.seismo.time.Clock#nanoTime()})
 * @param endNanos   when the later one was taken
 * @param devices    one entry per GPU, in index order
 */
public record GpuInterval(long startNanos, long endNanos, List<Device> devices) {

    /** Validates the interval and copies its device list. */
    public GpuInterval {
        if (endNanos <= startNanos) {
            throw new IllegalArgumentException("interval end must be after its start, was [" + startNanos + ", "
                    + endNanos + ")");
        }
        devices = List.copyOf(devices);
    }

    /** The interval's length in seconds. */
    public double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    /** GPU-seconds busy, summed over the devices (two GPUs busy all of a 1 s interval make 2). */
    public double busySeconds() {
        double sum = 0;
        for (Device d : devices) {
            sum += d.busySeconds();
        }
        return sum;
    }

    /** Joules used, summed over the devices that measured it; {@code NaN} if none did. */
    public double energyJoules() {
        double sum = 0;
        boolean any = false;
        for (Device d : devices) {
            if (!Double.isNaN(d.energyJoules())) {
                sum += d.energyJoules();
                any = true;
            }
        }
        return any ? sum : Double.NaN;
    }

    /**
     * One GPU over the interval.
     *
     * @param device       the GPU
     * @param utilization  the utilization read at the end of the interval, 0..1 (NVML averages it over its own
     *                     sample period, the last 1/6 s to 1 s, so it describes the most recent part of the interval)
     * @param busySeconds  {@code utilization} times the interval's length
     * @param energyJoules the energy counter's increase over the interval; where the device has no energy counter,
     *                     the mean of the power read at both ends times the length; {@code NaN} if neither is
     *                     available, the counter went backwards (a driver reload) or a reading was not a finite
     *                     amount {@code >= 0}
     */
    public record Device(GpuDevice device, double utilization, double busySeconds, double energyJoules) {

        /**
         * Validates the entry: busy time is always measured (a GPU that can be read has a utilization), so it is
         * never {@code NaN}, and only energy may be missing.
         *
         * @throws IllegalArgumentException if the utilization is not in 0..1, the busy seconds are not finite and
         *                                  {@code >= 0}, or the energy is neither {@code NaN} nor finite and
         *                                  {@code >= 0}
         */
        public Device {
            Objects.requireNonNull(device, "device");
            if (!(utilization >= 0 && utilization <= 1)) {
                throw new IllegalArgumentException("utilization of GPU " + device.index() + " must be a ratio in"
                        + " 0..1, was " + utilization);
            }
            if (!(busySeconds >= 0) || Double.isInfinite(busySeconds)) {
                throw new IllegalArgumentException("busySeconds of GPU " + device.index() + " must be finite and"
                        + " >= 0, was " + busySeconds);
            }
            if (energyJoules < 0 || Double.isInfinite(energyJoules)) {
                throw new IllegalArgumentException("energyJoules of GPU " + device.index() + " must be finite and"
                        + " >= 0, or NaN where not measured, was " + energyJoules);
            }
        }
    }
}
