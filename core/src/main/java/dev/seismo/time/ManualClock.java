package dev.seismo.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to, for tests: both its monotonic and its wall time advance together.
 *
 * <p>Thread-safe.
 */
public final class ManualClock implements Clock {

    private final AtomicLong nanos = new AtomicLong();
    private final long epochNanosAtZero;

    private ManualClock(Instant start) {
        this.epochNanosAtZero = Math.multiplyExact(start.getEpochSecond(), 1_000_000_000L) + start.getNano();
    }

    /** A clock whose wall time starts at {@code start}. */
    public static ManualClock startingAt(Instant start) {
        return new ManualClock(start);
    }

    /** A clock whose wall time starts at 2026-01-01T00:00:00Z. */
    public static ManualClock create() {
        return startingAt(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** Moves both clocks forward; a negative amount is rejected. */
    public ManualClock advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward; got " + amount);
        }
        nanos.addAndGet(amount.toNanos());
        return this;
    }

    /** The current wall time. */
    public Instant instant() {
        long n = epochNanosAtZero + nanos.get();
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long currentTimeMillis() {
        return Math.floorDiv(epochNanosAtZero + nanos.get(), 1_000_000L);
    }
}
