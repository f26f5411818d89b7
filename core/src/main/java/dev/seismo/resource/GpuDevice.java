package dev.seismo.resource;

import java.util.Objects;

/**
 * One GPU as its driver lists it.
 *
 * <p>Thread-safe: immutable.
 *
 * @param index the driver's index, 0-based; stable while the reader is open
 * @param name  the product name, such as {@code NVIDIA H200}
 * @param uuid  the device's UUID, stable across restarts (use it, not the index, to name a GPU in metrics)
 */
public record GpuDevice(int index, String name, String uuid) {

    /** Validates the device. */
    public GpuDevice {
        if (index < 0) {
            throw new IllegalArgumentException("GPU index must be >= 0, was " + index);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
    }
}
