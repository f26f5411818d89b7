package dev.seismo.monitor;

import dev.seismo.resource.ThreadCpuTime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Striped, bounded, multi-producer single-consumer buffer of inference records: the only structure the caller's
 * thread writes to.
 *
 * <h2>Design notes</h2>
 * Each stripe is a ring in the manner of Dmitry Vyukov's bounded queue: a producer claims a slot by a CAS on the
 * stripe's tail, copies the record into preallocated primitive arrays (struct of arrays, so no object is created
 * per record) and publishes it with a release store of the slot's sequence number. The single consumer (the
 * aggregation thread) reads a slot once its sequence says it is published and hands it back with another release
 * store. A producer never waits: if its stripe is contended it tries the next one, and if every stripe it tries is
 * full it reports failure so the caller can take the exact-but-featureless overflow path ({@code OverflowCounts}).
 * The stripe is chosen by the thread id, so the threads of a pool take stripes in turn and rarely share a tail;
 * the tails are padded onto their own cache lines so stripes never share one either.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 * <li>Any number of producer threads; exactly one consumer at a time (callers of {@link #drain} hold the monitor's
 * aggregation lock).</li>
 * <li>{@link #offer} is wait-free with respect to the consumer and lock-free among producers; it allocates nothing
 * and does not throw.</li>
 * <li>A record whose {@code offer} returned {@code true} is seen by a {@link #drain} with {@code waitForInFlight}
 * that starts after the return; such a drain also waits (bounded) for records claimed but not yet published when it
 * started, because a later slot of the same stripe may belong to a call that has already returned.</li>
 * </ul>
 */
final class RecordBuffer {

    /** Record flag: its feature values were copied (the call was sampled for profiling). */
    static final int PROFILED = 1;
    /** Record flag: it carries usage units. */
    static final int HAS_USAGE = 2;

    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);
    /** How long a draining snapshot waits for a producer between claim and publish before leaving the slot for the next drain. */
    private static final long IN_FLIGHT_WAIT_NANOS = 100_000_000L;

    private final Stripe[] stripes;
    private final int stripeMask;
    private final int numericWidth;
    private final int categoricalWidth;
    private final int sampling;
    private final boolean resources;
    private final Runnable wakeConsumer;

    /**
     * @param resources    whether records carry their end time, CPU time and cached input tokens (for resource
     *                     attribution and pricing); without, those columns are neither allocated nor written
     * @param wakeConsumer run by a producer that finds its stripe at least half full (it looks each time it passes
     *                     another half of the capacity), so the consumer drains before the stripe is full; it must
     *                     not block
     */
    RecordBuffer(int stripeCount, int capacityPerStripe, int numericWidth, int categoricalWidth, int sampling,
                 boolean resources, Runnable wakeConsumer) {
        if (Integer.bitCount(stripeCount) != 1 || Integer.bitCount(capacityPerStripe) != 1) {
            throw new IllegalArgumentException("stripe count and capacity must be powers of two");
        }
        this.numericWidth = numericWidth;
        this.categoricalWidth = categoricalWidth;
        this.sampling = sampling;
        this.resources = resources;
        this.wakeConsumer = wakeConsumer;
        this.stripes = new Stripe[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new Stripe(capacityPerStripe, numericWidth, categoricalWidth, resources);
        }
        this.stripeMask = stripeCount - 1;
    }

    /**
     * Copies one record into a free slot. Feature values are copied only for sampled records.
     *
     * @return false when every stripe tried was full: the record was not taken
     */
    boolean offer(long latencyNanos, int errorType, Inference rec) {
        int start = stripeIndex();
        for (int attempt = 0; attempt <= stripeMask; attempt++) {
            Stripe s = stripes[(start + attempt) & stripeMask];
            long pos = s.tail;
            long seq = (long) SEQUENCE.getAcquire(s.sequence, (int) (pos & s.mask));
            if (seq == pos && Stripe.TAIL.compareAndSet(s, pos, pos + 1)) {
                write(s, pos, latencyNanos, errorType, rec);
                long half = s.capacity >>> 1;
                // Waking a parked thread is a system call: only when the consumer is really half a stripe behind.
                if (((pos + 1) & (half - 1)) == 0 && pos + 1 - s.head >= half) {
                    wakeConsumer.run();
                }
                return true;
            }
            // Full (seq < pos) or lost the race to another producer: either way another stripe is the better bet.
        }
        return false;
    }

    private void write(Stripe s, long pos, long latencyNanos, int errorType, Inference rec) {
        int slot = (int) (pos & s.mask);
        try {
            boolean profiled = sampling == 1 || pos % sampling == 0;
            int flags = (profiled ? PROFILED : 0) | (rec.hasUsage ? HAS_USAGE : 0);
            s.latency[slot] = latencyNanos;
            if (resources) {
                s.endNanos[slot] = rec.endNanos;
                s.cpuNanos[slot] = rec.cpuNanos;
                s.cachedUnits[slot] = rec.cachedInputUnits;
            }
            s.meta[slot] = flags | (errorType << 8) | (Math.min(rec.unknownNames, 0xFFFF) << 16);
            s.inputUnits[slot] = rec.inputUnits;
            s.outputUnits[slot] = rec.outputUnits;
            if (rec.firstUnknownName != null) { // drained slots are already null: skip the GC write barrier
                s.unknownName[slot] = rec.firstUnknownName;
            }
            if (profiled) {
                if (numericWidth > 0) {
                    System.arraycopy(rec.numeric, 0, s.numeric, slot * numericWidth, numericWidth);
                }
                if (categoricalWidth > 0) {
                    System.arraycopy(rec.categorical, 0, s.categorical, slot * categoricalWidth, categoricalWidth);
                }
            }
        } finally {
            // Publish even if something above failed: an unpublished slot would stall its stripe forever.
            SEQUENCE.setRelease(s.sequence, slot, pos + 1);
        }
    }

    /**
     * Hands every published record to {@code sink}, in order per stripe.
     *
     * @param waitForInFlight also wait for records claimed before this call but not yet published
     * @return the number of records drained
     */
    long drain(RecordSink sink, boolean waitForInFlight) {
        long drained = 0;
        // One deadline for the whole drain, so a snapshot waits at most that long however many stripes there are.
        long deadline = System.nanoTime() + IN_FLIGHT_WAIT_NANOS;
        for (Stripe s : stripes) {
            drained += drain(s, sink, waitForInFlight, deadline);
        }
        return drained;
    }

    private long drain(Stripe s, RecordSink sink, boolean waitForInFlight, long deadline) {
        long head = s.head;
        long limit = waitForInFlight ? (long) Stripe.TAIL.getVolatile(s) : head;
        long drained = 0;
        try {
            while (true) {
                int slot = (int) (head & s.mask);
                long seq = (long) SEQUENCE.getAcquire(s.sequence, slot);
                if (seq == head + 1) {
                    try {
                        int meta = s.meta[slot];
                        sink.accept(s.latency[slot], meta, s.inputUnits[slot], s.outputUnits[slot],
                                resources ? s.cachedUnits[slot] : 0, resources ? s.endNanos[slot] : 0,
                                resources ? s.cpuNanos[slot] : ThreadCpuTime.NOT_MEASURED,
                                s.numeric, slot * numericWidth, s.categorical,
                                slot * categoricalWidth, (String) s.unknownName[slot]);
                    } catch (Throwable t) {
                        // A record that cannot be aggregated (a caller's object whose toString throws, say) is
                        // skipped, never retried: retrying would count it again or stall the stripe behind it.
                        sink.failed(t);
                    } finally {
                        // Let go of the caller's objects now rather than when the slot is next overwritten.
                        s.unknownName[slot] = null;
                        if (categoricalWidth > 0) {
                            Arrays.fill(s.categorical, slot * categoricalWidth, (slot + 1) * categoricalWidth, null);
                        }
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
        } finally {
            s.head = head;
        }
        return drained;
    }

    private int stripeIndex() {
        // Thread ids are handed out in sequence, so the threads of a pool, created together, take stripes in turn:
        // a hash would put two of them on one stripe a quarter of the time with four stripes.
        return (int) Thread.currentThread().getId() & stripeMask;
    }

    /** Receives drained records. The arrays are the buffer's own: read the record's range, keep nothing. */
    interface RecordSink {
        void accept(long latencyNanos, int meta, long inputUnits, long outputUnits, long cachedInputUnits,
                    long endNanos, long cpuNanos, double[] numeric, int numericOffset, Object[] categorical,
                    int categoricalOffset, String unknownName);

        /** A record could not be aggregated; it has been skipped. */
        void failed(Throwable t);
    }

    /** Padding before the tail, so it does not share a cache line with the previous object's fields. */
    abstract static class LhsPadding {
        long p00, p01, p02, p03, p04, p05, p06, p07;
    }

    /** The producers' claim counter. */
    abstract static class Tail extends LhsPadding {
        static final VarHandle TAIL;

        static {
            try {
                TAIL = MethodHandles.lookup().findVarHandle(Tail.class, "tail", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        volatile long tail;
    }

    /** Padding after the tail. */
    abstract static class RhsPadding extends Tail {
        long p10, p11, p12, p13, p14, p15, p16, p17;
    }

    /** One ring: sequence numbers and the record's columns. */
    static final class Stripe extends RhsPadding {
        final int capacity;
        final int mask;
        final long[] sequence;
        final long[] latency;
        final long[] endNanos;
        final long[] cpuNanos;
        final long[] cachedUnits;
        final int[] meta;
        final long[] inputUnits;
        final long[] outputUnits;
        final Object[] unknownName;
        final double[] numeric;
        final Object[] categorical;
        /** Written by the consumer once per drain; read by producers only to decide whether to wake it. */
        volatile long head;

        Stripe(int capacity, int numericWidth, int categoricalWidth, boolean resources) {
            this.capacity = capacity;
            this.mask = capacity - 1;
            this.sequence = new long[capacity];
            for (int i = 0; i < capacity; i++) {
                sequence[i] = i;
            }
            this.latency = new long[capacity];
            this.endNanos = resources ? new long[capacity] : null;
            this.cpuNanos = resources ? new long[capacity] : null;
            this.cachedUnits = resources ? new long[capacity] : null;
            this.meta = new int[capacity];
            this.inputUnits = new long[capacity];
            this.outputUnits = new long[capacity];
            this.unknownName = new Object[capacity];
            this.numeric = new double[capacity * numericWidth];
            this.categorical = new Object[capacity * categoricalWidth];
        }
    }
}
