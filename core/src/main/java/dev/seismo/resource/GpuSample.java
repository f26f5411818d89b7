package dev.seismo.resource;

import java.util.List;
import java.util.Objects;

/**
 * One reading of one GPU. Base units throughout (ratios 0..1, bytes, watts, joules, degrees Celsius), as
 * Prometheus and the OpenTelemetry {@code hw.gpu.*} conventions expect. A reading the device does not support
 * (power or energy on some boards, temperature in some virtual GPUs) is {@code NaN}.
 *
 * <p>Thread-safe: immutable.
 *
 * @param device             the GPU read
 * @param utilization        share of the driver's last sample period (1/6 s to 1 s) in which a kernel ran, 0..1
 * @param memoryUsedBytes    device memory in use
 * @param memoryTotalBytes   device memory installed
 * @param powerWatts         power draw now, or {@code NaN}
 * @param energyJoules       energy counter since the driver was loaded (monotonic), or {@code NaN}
 * @param temperatureCelsius GPU core temperature, or {@code NaN}
 * @param processes          per-process utilization since the previous reading, empty where the driver gives none
 */
public record GpuSample(GpuDevice device, double utilization, long memoryUsedBytes, long memoryTotalBytes,
                        double powerWatts, double energyJoules, double temperatureCelsius,
                        List<ProcessUtilization> processes) {

    /** Validates the sample and copies its process list. */
    public GpuSample {
        Objects.requireNonNull(device, "device");
        if (!(utilization >= 0 && utilization <= 1)) {
            throw new IllegalArgumentException("utilization must be a ratio in 0..1, was " + utilization);
        }
        if (memoryUsedBytes < 0 || memoryTotalBytes < 0) {
            throw new IllegalArgumentException("memory must be >= 0 bytes, was used " + memoryUsedBytes
                    + " of " + memoryTotalBytes);
        }
        processes = List.copyOf(processes);
    }
}
