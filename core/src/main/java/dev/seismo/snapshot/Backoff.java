package dev.seismo.snapshot;

import java.util.random.RandomGenerator;

/**
 * Exponential back-off with "equal jitter": before retry {@code n} the publisher waits a uniformly random time in
 * {@code [d/2, d]}, where {@code d = min(max, initial * 2^(n-1))}. The fixed half keeps one replica's retries spaced
 * out; the random half keeps replicas that failed together (the receiver restarted) from retrying in lock step.
 *
 * <p>Not thread-safe unless its random generator is; the publisher's delivery thread is its only user.
 */
final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final RandomGenerator random;

    Backoff(long initialNanos, long maxNanos, RandomGenerator random) {
        this.initialNanos = initialNanos;
        this.maxNanos = maxNanos;
        this.random = random;
    }

    /** The cap {@code d} for retry {@code n} (from 1), before jitter. */
    long ceilingNanos(int retry) {
        int doublings = retry - 1;
        // initial * 2^doublings, without overflowing once it has passed the cap
        if (doublings >= 63 || initialNanos > (maxNanos >> doublings)) {
            return maxNanos;
        }
        return Math.min(maxNanos, initialNanos << doublings);
    }

    /** How long to wait before retry {@code n} (from 1). */
    long delayNanos(int retry) {
        long ceiling = ceilingNanos(retry);
        long half = ceiling / 2;
        return ceiling - half + random.nextLong(half + 1);
    }
}
