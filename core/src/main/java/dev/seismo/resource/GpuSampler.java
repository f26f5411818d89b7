package dev.seismo.resource;

import dev.seismo.time.Clock;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads the GPUs at a fixed interval (default 1 s) on one daemon thread, {@code seismo-gpu-sampler}, and keeps the
 * latest readings and the {@link GpuInterval intervals} between consecutive readings (busy time, energy) until they
 * are {@link #drainIntervals() drained}. It reads every GPU the driver lists, or only those
 * {@link Builder#devices(String...) selected}: on a host whose other GPUs serve other processes, select this
 * process's GPUs, or their time and energy are charged to its requests.
 *
 * <pre>{@code
 * try (GpuSampler gpus = GpuSampler.builder().devices("GPU-5e0c1a2b-...").interval(Duration.ofSeconds(1)).start()) {
 *     gpus.latest();          // the newest reading of each GPU, empty without GPUs
 *     gpus.drainIntervals();  // busy seconds and joules per interval, for attribution
 * }
 * }</pre>
 *
 * <p><b>Never throws to its callers.</b> The reader is opened on the sampler's thread at the first sample (loading
 * NVML takes about 120 ms). If there is no driver library, no GPU, or the driver fails a call later, the sampler
 * logs exactly one line saying why (INFO when GPUs were never readable; WARN when reading stopped mid-run, or when a
 * selected GPU is not there, listing those that are), closes the reader, stops its thread, and from then on reports
 * no readings: {@link #latest()} and {@link #devices()} are empty, {@link #lastInterval()} is empty, and
 * {@link #unavailableReason()} holds the reason. Intervals measured before a failure can still be drained. It does
 * not retry: a GPU that fell off the bus needs an operator.
 *
 * <p>Reads cost a few milliseconds per GPU (the energy counter alone takes about 4 ms), which is why they run here
 * and never on a request thread.
 *
 * <p>Thread-safe. Samples are taken one at a time (by the thread, or by {@link #sample()} for a sampler built
 * without one); readers of the latest values never wait for a sample in progress.
 */
public final class GpuSampler implements AutoCloseable {

    /** The default time between readings. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** The default number of undrained intervals kept; older ones are dropped and counted. */
    public static final int DEFAULT_MAX_PENDING_INTERVALS = 3_600;

    private final Supplier<GpuReader> readers;
    private final GpuSelection selection;
    private final Duration interval;
    private final Clock clock;
    private final int maxPendingIntervals;
    private final Consumer<String> notices;

    // Guarded by this.
    private GpuReader reader;
    private List<GpuSample> previous;
    private long previousNanos;
    private final ArrayDeque<GpuInterval> pending = new ArrayDeque<>();
    private long droppedIntervals;
    private boolean closed;
    private ScheduledExecutorService thread;

    // Written under this, read without it.
    private volatile List<GpuDevice> devices = List.of();
    private volatile List<GpuSample> latest = List.of();
    private volatile GpuInterval lastInterval;
    private volatile String unavailableReason;

    private GpuSampler(Builder b) {
        this.readers = b.readers;
        this.selection = b.selection;
        this.interval = b.interval;
        this.clock = b.clock;
        this.maxPendingIntervals = b.maxPendingIntervals;
        this.notices = b.notices;
    }

    /** A builder: NVML, 1 s, the system clock. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts sampling NVIDIA GPUs every second on a daemon thread. */
    public static GpuSampler start() {
        return builder().start();
    }

    /**
     * Reads the GPUs now, on the calling thread, and records the interval since the previous reading. The
     * sampler's thread calls this; call it directly only on a sampler built without a thread
     * ({@link Builder#build()}), and never on a request thread. Never throws.
     *
     * @return whether GPU readings were taken
     */
    public synchronized boolean sample() {
        if (closed || unavailableReason != null) {
            return false;
        }
        String source = "GPU reader";
        try {
            if (reader == null) {
                reader = readers.get();
                source = reader.name();
                List<GpuDevice> found = reader.open();
                if (found.isEmpty()) {
                    return unavailable(source + " is loaded but sees no GPU", false);
                }
                String mismatch = selection.mismatch(found, source);
                if (mismatch != null) {
                    // A configuration error, not a host without GPUs: worth a warning.
                    return unavailable(mismatch, true);
                }
                devices = List.copyOf(selection.select(found));
            }
            source = reader.name();
            List<GpuDevice> ds = devices;
            List<GpuSample> now = new ArrayList<>(ds.size());
            for (GpuDevice d : ds) {
                now.add(reader.read(d));
            }
            long nanos = clock.nanoTime();
            if (previous != null && nanos > previousNanos) {
                addInterval(intervalBetween(previous, previousNanos, now, nanos));
            }
            previous = now;
            previousNanos = nanos;
            latest = List.copyOf(now);
            return true;
        } catch (GpuException e) {
            return unavailable(e.getMessage(), previous != null);
        } catch (RuntimeException | LinkageError e) {
            // A reader bug or a missing JNA must not reach the caller or kill the thread silently.
            return unavailable(source + " failed unexpectedly: " + e, previous != null);
        }
    }

    static GpuInterval intervalBetween(List<GpuSample> before, long startNanos, List<GpuSample> after, long endNanos) {
        double seconds = (endNanos - startNanos) / 1e9;
        List<GpuInterval.Device> out = new ArrayList<>(after.size());
        for (int i = 0; i < after.size(); i++) {
            GpuSample a = before.get(i);
            GpuSample b = after.get(i);
            out.add(new GpuInterval.Device(b.device(), b.utilization(), b.utilization() * seconds,
                    energy(a, b, seconds)));
        }
        return new GpuInterval(startNanos, endNanos, out);
    }

    /** {@code NaN} rather than a negative or infinite amount: a reader's garbage must not fail attribution. */
    private static double energy(GpuSample a, GpuSample b, double seconds) {
        double joules = Double.NaN;
        if (!Double.isNaN(a.energyJoules()) && !Double.isNaN(b.energyJoules())) {
            joules = b.energyJoules() - a.energyJoules();
        } else if (!Double.isNaN(a.powerWatts()) && !Double.isNaN(b.powerWatts())) {
            joules = (a.powerWatts() + b.powerWatts()) / 2 * seconds;
        }
        return joules >= 0 && !Double.isInfinite(joules) ? joules : Double.NaN;
    }

    private void addInterval(GpuInterval i) {
        if (pending.size() == maxPendingIntervals) {
            pending.removeFirst();
            droppedIntervals++;
        }
        pending.addLast(i);
        lastInterval = i;
    }

    private boolean unavailable(String reason, boolean warn) {
        String line = "GPU readings unavailable from now on: " + reason
                + "; resource telemetry continues without GPU time and energy";
        unavailableReason = reason;
        devices = List.of();
        latest = List.of();
        lastInterval = null;
        previous = null;
        closeReader();
        if (thread != null) {
            thread.shutdown();
        }
        Notices.tell(notices, GpuSampler.class, warn, line);
        return false;
    }

    /**
     * The GPUs being read (the selected ones, when {@link Builder#devices(String...) selected}), in index order;
     * empty before the first sample and when GPU readings are unavailable.
     */
    public List<GpuDevice> devices() {
        return devices;
    }

    /** The newest reading of each GPU read, in index order; empty before the first sample and when unavailable. */
    public List<GpuSample> latest() {
        return latest;
    }

    /** The newest interval between two readings; empty before the second sample and when unavailable. */
    public Optional<GpuInterval> lastInterval() {
        return Optional.ofNullable(lastInterval);
    }

    /** Removes and returns the intervals recorded since the previous drain, oldest first. */
    public synchronized List<GpuInterval> drainIntervals() {
        List<GpuInterval> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    /** Intervals dropped because more than {@code maxPendingIntervals} waited to be drained. */
    public synchronized long droppedIntervals() {
        return droppedIntervals;
    }

    /** Why GPU readings are absent, once they are; empty while they work (or have not been tried yet). */
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailableReason);
    }

    /** The time between readings. */
    public Duration interval() {
        return interval;
    }

    /** Stops the thread, waits for a sample in progress, and closes the reader. Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t != null) {
            t.shutdownNow();
        }
        synchronized (this) {
            closeReader();
            devices = List.of();
            latest = List.of();
        }
    }

    private void closeReader() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    private synchronized void startThread() {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "seismo-gpu-sampler");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleAtFixedRate(this::sample, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Builds a {@link GpuSampler}; every setting is checked when set. Not thread-safe. */
    public static final class Builder {
        private Supplier<GpuReader> readers = GpuReader::nvml;
        private GpuSelection selection = GpuSelection.ALL;
        private Duration interval = DEFAULT_INTERVAL;
        private Clock clock = Clock.system();
        private int maxPendingIntervals = DEFAULT_MAX_PENDING_INTERVALS;
        private Consumer<String> notices;

        private Builder() {
        }

        /** The reader to sample (default {@link GpuReader#nvml()}); the sampler opens and closes it. */
        public Builder reader(GpuReader reader) {
            Objects.requireNonNull(reader, "reader");
            this.readers = () -> reader;
            return this;
        }

        /**
         * Reads only these GPUs (default: every GPU the driver lists), each named as {@code nvidia-smi -i} names it:
         * by NVML index ({@code "3"}) or by full UUID ({@code "GPU-5e0c1a2b-..."}). Only they are read, reported in
         * {@link GpuSampler#latest()}, and make up the {@link GpuInterval intervals}, so only their busy time and
         * energy are attributed to requests. Prefer UUIDs: NVML does not promise that indices survive a reboot, and
         * the indices CUDA uses (in {@code CUDA_VISIBLE_DEVICES}, say) can differ from NVML's. {@code nvidia-smi -L}
         * lists both.
         *
         * <p>The syntax is checked here. Whether each selector names a GPU is checked when the reader opens: if one
         * does not, or two name the same GPU, the sampler is unavailable (one line that lists the host's GPUs;
         * nothing thrown), as without a driver.
         *
         * @throws IllegalArgumentException if no selector is given, or one is blank, a negative index, neither an
         *                                  index nor a {@code GPU-} UUID, a MIG instance ({@code MIG-...}), or a
         *                                  repeat of another
         */
        public Builder devices(String... selectors) {
            this.selection = GpuSelection.of(selectors);
            return this;
        }

        /** Time between readings, from 10 ms to 1 hour (default 1 s). */
        public Builder interval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("GPU sampling interval must be between 10 ms and 1 hour, was "
                        + interval);
            }
            this.interval = interval;
            return this;
        }

        /** The clock that timestamps readings; use the one the requests are timed with. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How many intervals to keep until drained, at least 1 (default {@value GpuSampler#DEFAULT_MAX_PENDING_INTERVALS}). */
        public Builder maxPendingIntervals(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxPendingIntervals must be >= 1, was " + max);
            }
            this.maxPendingIntervals = max;
            return this;
        }

        /** Where the one unavailability line goes instead of the log: for tests and {@link GpuProbe}. */
        Builder notices(Consumer<String> notices) {
            this.notices = notices;
            return this;
        }

        /** A sampler without a thread, sampled by calling {@link GpuSampler#sample()}. */
        public GpuSampler build() {
            return new GpuSampler(this);
        }

        /** A sampler whose daemon thread takes the first reading now and then one every interval. */
        public GpuSampler start() {
            GpuSampler sampler = build();
            sampler.startThread();
            return sampler;
        }
    }
}
