package dev.seismo.resource;

import dev.seismo.time.Clock;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The CPU time of the whole process (every thread, native runtimes included), read in intervals: each
 * {@link #sample()} returns the CPU seconds used since the previous one. These are what
 * {@code ResourceAttributor} allocates across the requests in flight, the counterpart of {@link ThreadCpuTime}
 * for work that does not run on the request's thread.
 *
 * <p>This is not a {@code process.cpu.usage} gauge: Micrometer's {@code ProcessorMetrics} already exports that, and
 * Seismo does not duplicate it. The utilization given with each interval is there to read the interval, not to be
 * exported again.
 *
 * <p>The reading comes from {@code com.sun.management.OperatingSystemMXBean.getProcessCpuTime()}. On a JVM without
 * it (or where it answers -1) the meter is unavailable and {@link #sample()} is always empty.
 *
 * <p>Thread-safe: {@link #sample()} is serialized, since each call consumes the previous reading.
 */
public final class ProcessCpuTime {

    private static final long UNSUPPORTED = -1;

    private final Clock clock;
    private final LongSupplier cpuNanos;
    private final int processors;
    private long lastCpuNanos = UNSUPPORTED;
    private long lastWallNanos;

    private ProcessCpuTime(Clock clock, LongSupplier cpuNanos, int processors) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cpuNanos = cpuNanos;
        this.processors = processors;
    }

    /** The JVM's process CPU time, intervals timed by {@code clock}. */
    public static ProcessCpuTime create(Clock clock) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        LongSupplier reader = os instanceof com.sun.management.OperatingSystemMXBean sun
                ? sun::getProcessCpuTime
                : () -> UNSUPPORTED;
        return new ProcessCpuTime(clock, reader, Runtime.getRuntime().availableProcessors());
    }

    static ProcessCpuTime of(Clock clock, LongSupplier cpuNanos, int processors) {
        return new ProcessCpuTime(clock, cpuNanos, processors);
    }

    /** The process's CPU time so far in nanoseconds, or empty where the JVM does not report it. */
    public OptionalLong cpuNanos() {
        long n = cpuNanos.getAsLong();
        return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
    }

    /** Whether the JVM reports process CPU time. */
    public boolean isAvailable() {
        return cpuNanos().isPresent();
    }

    /**
     * The CPU time used since the previous call. The first call only takes the starting reading and returns
     * empty, as does every call where the JVM does not report process CPU time.
     */
    public synchronized Optional<CpuInterval> sample() {
        long wall = clock.nanoTime();
        long cpu = cpuNanos.getAsLong();
        if (cpu < 0) {
            lastCpuNanos = UNSUPPORTED;
            return Optional.empty();
        }
        long previous = lastCpuNanos;
        long previousWall = lastWallNanos;
        lastCpuNanos = cpu;
        lastWallNanos = wall;
        if (previous == UNSUPPORTED || wall <= previousWall) {
            return Optional.empty();
        }
        return Optional.of(new CpuInterval(previousWall, wall, Math.max(0, cpu - previous) / 1e9, processors));
    }
}
