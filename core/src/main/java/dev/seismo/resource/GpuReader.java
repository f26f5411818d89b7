package dev.seismo.resource;

import java.util.List;

/**
 * Reads GPUs through their driver. {@link GpuSampler} calls it from its one thread; {@link #nvml()} is the
 * NVIDIA implementation and {@link InMemoryGpuReader} one that tests and demos set by hand.
 *
 * <p>Implementations need not be thread-safe: a reader is opened, read and closed by one thread at a time.
 */
public interface GpuReader extends AutoCloseable {

    /**
     * Reads NVIDIA GPUs through NVML ({@code libnvidia-ml}, installed with the driver), loaded with JNA when
     * {@link #open()} is called. Nothing is loaded before that, so creating one is safe on any host.
     */
    static GpuReader nvml() {
        return new NvmlGpuReader();
    }

    /** A short name for messages, such as {@code NVML}. */
    String name();

    /**
     * Loads the driver library and lists the GPUs. An empty list means the driver runs and sees no GPU.
     *
     * @throws GpuException if the library is missing or fails to initialize; the message says which and why
     */
    List<GpuDevice> open() throws GpuException;

    /**
     * Reads one GPU listed by {@link #open()}.
     *
     * @throws GpuException if the driver fails a call that every GPU supports; the message names the call
     */
    GpuSample read(GpuDevice device) throws GpuException;

    /** Releases the driver library; never throws. Reading after closing fails. */
    @Override
    void close();
}
