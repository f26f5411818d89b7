package dev.seismo.resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link GpuReader} whose GPUs and readings are set by hand: for tests of code that consumes GPU readings, and
 * for demos on hosts without a GPU. Each device starts idle (utilization 0, no memory used, 0 W, 0 J, 20 C);
 * {@link #set} replaces its reading and {@link #failWith} makes the next calls fail as a driver would.
 *
 * <p>Thread-safe: a test thread may set readings while a {@link GpuSampler} thread reads them.
 */
public final class InMemoryGpuReader implements GpuReader {

    private final List<GpuDevice> devices;
    private final GpuSample[] samples;
    private final int[] reads;
    private String failure;
    private boolean closed;
    private int opens;

    private InMemoryGpuReader(List<GpuDevice> devices) {
        this.devices = List.copyOf(devices);
        this.samples = new GpuSample[devices.size()];
        this.reads = new int[devices.size()];
        for (GpuDevice d : devices) {
            samples[d.index()] = new GpuSample(d, 0, 0, 80L << 30, 0, 0, 20, List.of());
        }
    }

    /** A reader with one GPU per name, indexed in order, with UUIDs {@code GPU-in-memory-<index>}. */
    public static InMemoryGpuReader withDevices(String... names) {
        List<GpuDevice> list = new ArrayList<>();
        for (String name : names) {
            list.add(new GpuDevice(list.size(), name, "GPU-in-memory-" + list.size()));
        }
        return new InMemoryGpuReader(list);
    }

    /** The GPUs, as {@link #open()} lists them. */
    public List<GpuDevice> devices() {
        return devices;
    }

    /** Sets what the next reads of {@code sample.device()} return. */
    public synchronized InMemoryGpuReader set(GpuSample sample) {
        Objects.requireNonNull(sample, "sample");
        int i = sample.device().index();
        if (i >= devices.size() || !devices.get(i).equals(sample.device())) {
            throw new IllegalArgumentException("not a device of this reader: " + sample.device());
        }
        samples[i] = sample;
        return this;
    }

    /** Makes every later {@link #open()} and {@link #read} fail with {@code message}; {@code null} heals it. */
    public synchronized InMemoryGpuReader failWith(String message) {
        this.failure = message;
        return this;
    }

    /** How many times {@link #open()} was called. */
    public synchronized int opens() {
        return opens;
    }

    /** How many times {@link #read} was called for the GPU with this index, including calls that failed. */
    public synchronized int reads(int index) {
        return reads[index];
    }

    /** Whether {@link #close()} was called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public String name() {
        return "in-memory";
    }

    @Override
    public synchronized List<GpuDevice> open() throws GpuException {
        opens++;
        check();
        closed = false;
        return devices;
    }

    @Override
    public synchronized GpuSample read(GpuDevice device) throws GpuException {
        if (device.index() < reads.length) {
            reads[device.index()]++;
        }
        check();
        if (closed) {
            throw new GpuException("in-memory GPU reader is closed");
        }
        if (device.index() >= samples.length) {
            throw new GpuException("in-memory GPU reader has no GPU " + device.index());
        }
        return samples[device.index()];
    }

    private void check() throws GpuException {
        if (failure != null) {
            throw new GpuException(failure);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
