package dev.seismo.time;

/**
 * The source of every timestamp and duration in Seismo: latency is measured with {@link #nanoTime()}, windows open
 * and close on {@link #currentTimeMillis()}. Tests inject a {@link ManualClock} to rotate windows without sleeping.
 *
 * <p>Implementations must be thread-safe and cheap: {@code nanoTime} is read on the caller's thread.
 */
public interface Clock {

    /** Monotonic nanoseconds, for durations only; same contract as {@link System#nanoTime()}. */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch, for window boundaries; same contract as {@link System#currentTimeMillis()}. */
    long currentTimeMillis();

    /** The system clock. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
