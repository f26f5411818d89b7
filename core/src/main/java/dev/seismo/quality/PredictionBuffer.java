package dev.seismo.quality;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Striped, bounded, multi-producer single-consumer ring of keyed predictions: what a recording thread writes when its
 * call carries a correlation key. The same algorithm as the monitor's record buffer (Vyukov's bounded queue per
 * stripe, a CAS on the stripe's tail to claim, a release store of the slot's sequence to publish), with only the
 * columns a join needs: the key, the predicted value or class, and the class probabilities.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 * <li>Any number of producers; one consumer at a time (callers of {@link #drain} hold the quality lock).</li>
 * <li>{@link #offer} is lock-free, allocates nothing, never throws and never waits: on a full ring it returns false
 * and the caller counts the prediction as shed.</li>
 * <li>A prediction whose {@code offer} returned true is seen by every {@link #drain} that starts after the return,
 * once published; a drain waits (at most 100 ms in all) for slots claimed before it started.</li>
 * </ul>
 */
final class PredictionBuffer {

    static final int HAS_PROBABILITIES = 1;
    static final int HAS_CLASS = 2;

    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle TAIL;
    private static final long IN_FLIGHT_WAIT_NANOS = 100_000_000L;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(Stripe.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Stripe[] stripes;
    private final int stripeMask;
    private final int width;

    /** @param width probabilities per prediction (the classes of a multiclass model, else 0) */
    PredictionBuffer(int stripeCount, int capacityPerStripe, int width) {
        if (Integer.bitCount(stripeCount) != 1 || Integer.bitCount(capacityPerStripe) != 1) {
            throw new IllegalArgumentException("stripe count and capacity must be powers of two");
        }
        this.width = width;
        this.stripes = new Stripe[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new Stripe(capacityPerStripe, width);
        }
        this.stripeMask = stripeCount - 1;
    }

    /** @return false when every stripe tried was full */
    boolean offer(long key, double value, int flags, double[] probabilities) {
        int start = (int) Thread.currentThread().getId() & stripeMask;
        for (int attempt = 0; attempt <= stripeMask; attempt++) {
            Stripe s = stripes[(start + attempt) & stripeMask];
            long pos = s.tail;
            int slot = (int) (pos & s.mask);
            long seq = (long) SEQUENCE.getAcquire(s.sequence, slot);
            if (seq == pos && TAIL.compareAndSet(s, pos, pos + 1)) {
                try {
                    s.key[slot] = key;
                    s.value[slot] = value;
                    s.flags[slot] = flags;
                    if ((flags & HAS_PROBABILITIES) != 0) {
                        System.arraycopy(probabilities, 0, s.probabilities, slot * width, width);
                    }
                } finally {
                    SEQUENCE.setRelease(s.sequence, slot, pos + 1);
                }
                return true;
            }
        }
        return false;
    }

    /** Hands every published prediction to {@code sink}, and those claimed before the call once published. */
    long drain(Sink sink) {
        long drained = 0;
        long deadline = System.nanoTime() + IN_FLIGHT_WAIT_NANOS;
        for (Stripe s : stripes) {
            long head = s.head;
            long limit = (long) TAIL.getVolatile(s);
            while (true) {
                int slot = (int) (head & s.mask);
                long seq = (long) SEQUENCE.getAcquire(s.sequence, slot);
                if (seq == head + 1) {
                    try {
                        sink.accept(s.key[slot], s.value[slot], s.flags[slot], s.probabilities, slot * width);
                    } finally {
                        SEQUENCE.setRelease(s.sequence, slot, head + s.capacity);
                        head++;
                        drained++;
                    }
                } else if (head < limit && System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                } else {
                    break;
                }
            }
            s.head = head;
        }
        return drained;
    }

    interface Sink {
        /** The arrays are the buffer's own: read the range, keep nothing. */
        void accept(long key, double value, int flags, double[] probabilities, int offset);
    }

    static final class Stripe {
        long p00, p01, p02, p03, p04, p05, p06, p07;
        volatile long tail;
        long p10, p11, p12, p13, p14, p15, p16, p17;
        final int capacity;
        final int mask;
        final long[] sequence;
        final long[] key;
        final double[] value;
        final int[] flags;
        final double[] probabilities;
        /** The consumer's position; only the consumer reads it. */
        long head;

        Stripe(int capacity, int width) {
            this.capacity = capacity;
            this.mask = capacity - 1;
            this.sequence = new long[capacity];
            for (int i = 0; i < capacity; i++) {
                sequence[i] = i;
            }
            this.key = new long[capacity];
            this.value = new double[capacity];
            this.flags = new int[capacity];
            this.probabilities = new double[capacity * width];
        }
    }
}
