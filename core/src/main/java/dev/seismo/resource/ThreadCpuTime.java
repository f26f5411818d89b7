package dev.seismo.resource;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Measures the CPU time a request spends on the calling thread, for every call or for 1 call in {@code n}.
 *
 * <pre>{@code
 * ThreadCpuTime cpu = ThreadCpuTime.sampled(16);
 * long mark = cpu.start();
 * Object result = model.predict(x);
 * long cpuNanos = cpu.elapsedSince(mark);   // NOT_MEASURED unless this call was picked
 * }</pre>
 *
 * <p>Only work done on the calling thread is counted. Work handed to other threads (an executor, a parallel
 * stream, a native inference runtime's own thread pool, the GPU) is not in this number, so for most model servers
 * it is a lower bound. The alternative that sees all of it is {@link ProcessCpuTime}: the process's CPU time over an
 * interval, allocated across the requests in flight in that interval by {@code dev.seismo.cost.ResourceAttributor}.
 *
 * <p>A read costs about 0.3-0.6 us ({@code ThreadMXBean.getCurrentThreadCpuTime}), ten times a latency
 * measurement, which is why it is opt-in and can be sampled. Where the JVM cannot measure thread CPU time every
 * call returns {@link #NOT_MEASURED}. Creating one switches the JVM's thread CPU time measurement on if it was
 * switched off (HotSpot has it on by default).
 *
 * <p>Thread-safe: it holds no per-call state; the mark returned by {@link #start()} is the caller's.
 */
public final class ThreadCpuTime {

    /** Returned when a call is not sampled or the JVM cannot measure thread CPU time. */
    public static final long NOT_MEASURED = -1;

    private final ThreadMXBean threads;
    private final boolean supported;
    private final int oneIn;

    private ThreadCpuTime(ThreadMXBean threads, int oneIn) {
        this.threads = threads;
        this.supported = enable(threads);
        this.oneIn = oneIn;
    }

    /** Measures every call. */
    public static ThreadCpuTime everyCall() {
        return new ThreadCpuTime(ManagementFactory.getThreadMXBean(), 1);
    }

    /**
     * Measures 1 call in {@code n} on average, picked at random per call (so no thread or request pattern is
     * systematically skipped); the others cost one thread-local random draw.
     */
    public static ThreadCpuTime sampled(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread CPU sampling must be >= 1 (1 in n calls measured), was " + n);
        }
        return new ThreadCpuTime(ManagementFactory.getThreadMXBean(), n);
    }

    private static boolean enable(ThreadMXBean threads) {
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            return false;
        }
        try {
            if (!threads.isThreadCpuTimeEnabled()) {
                threads.setThreadCpuTimeEnabled(true);
            }
            return threads.isThreadCpuTimeEnabled();
        } catch (UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** Whether this JVM measures the current thread's CPU time; if not, every call returns {@link #NOT_MEASURED}. */
    public boolean isSupported() {
        return supported;
    }

    /** 1 call in how many is measured. */
    public int sampling() {
        return oneIn;
    }

    /**
     * Marks the start of a call: the calling thread's CPU time in nanoseconds if this call is measured, else
     * {@link #NOT_MEASURED}.
     */
    public long start() {
        if (!supported || (oneIn > 1 && ThreadLocalRandom.current().nextInt(oneIn) != 0)) {
            return NOT_MEASURED;
        }
        return threads.getCurrentThreadCpuTime();
    }

    /**
     * The calling thread's CPU nanoseconds since {@code mark} (from {@link #start()} on this same thread), or
     * {@link #NOT_MEASURED} if the call was not measured.
     */
    public long elapsedSince(long mark) {
        if (mark == NOT_MEASURED) {
            return NOT_MEASURED;
        }
        long now = threads.getCurrentThreadCpuTime();
        return now < 0 ? NOT_MEASURED : Math.max(0, now - mark);
    }
}
