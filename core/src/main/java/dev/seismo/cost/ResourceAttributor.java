package dev.seismo.cost;

import dev.seismo.resource.CpuInterval;
import dev.seismo.resource.GpuInterval;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Allocates measured resources to the requests that were running when they were used, and prices them.
 *
 * <p><b>The rule.</b> Each {@link Resource} is measured in intervals {@code [start, end)}: an instance's wall-clock
 * time, the process's CPU seconds, the GPUs' busy seconds and joules. An interval's amount is split among the
 * requests {@code [start, end)} that overlap it, in proportion to their overlap with it: a request running through
 * all of a 1 s interval gets twice the share of one running through half of it. Over every finalized interval,
 * what requests receive sums to what was measured (to floating-point rounding). An interval no request overlaps is
 * <em>idle</em>: its amount is reported and priced as idle in the {@link Settlement}, never dropped. A request of
 * zero length overlaps nothing and costs only its tokens and its call.
 *
 * <p><b>Streaming.</b> Nothing is computed until {@link #settle(long) settle(watermark)}, which finalizes every
 * interval that ends at or before the watermark (each then sees all the requests added so far) and hands out every
 * request that no unfinalized interval overlaps any more. A request still running at an interval's end is carried:
 * it keeps the shares of the intervals finalized so far and gets the rest when its last interval is finalized.
 * Memory is the requests and intervals not yet settled: about {@code lateness x request rate} requests, capped by
 * {@link Builder#maxPendingRequests(int)} (beyond it, the oldest intervals are finalized early and counted in
 * {@link AttributionTotals#forcedIntervals()}).
 *
 * <p><b>Contract for a feeder</b> (the monitor registry's aggregation thread):
 * <ol>
 * <li>Take every timestamp from one monotonic clock ({@code Clock.nanoTime()}): the requests' start and end, and
 * the measurement intervals ({@code GpuSampler} and {@code ProcessCpuTime} take the clock in their builders).</li>
 * <li>Each aggregation cycle, for each drained record: {@link #addRequest(Object, long, long, TokenUsage)}. Then add
 * the measurements that completed since the last cycle: {@link #addInstanceTime(long, long)} for
 * {@code [previous cycle, now)}, {@link #addCpuInterval} for {@code ProcessCpuTime.sample()} (when per-thread CPU
 * time is not measured), {@link #addGpuInterval} for each of {@code GpuSampler.drainIntervals()}.</li>
 * <li>Then {@code settle(now - lateness)}. The lateness must cover the time from an interval's end until every
 * request overlapping it has been added: the longest request to attribute fully, plus the aggregation interval,
 * plus the GPU sampling interval (a GPU interval is known only at its end). A request running longer is marked
 * {@link RequestAttribution#late() late}: the intervals settled before it was added went to the others.</li>
 * <li>Record each {@link RequestAttribution} where its key says (its cost and emissions into the window open at
 * that moment, which can be up to the lateness after the call); record the settlement's idle cost apart.</li>
 * <li>On shutdown, {@code settle(Long.MAX_VALUE)} finalizes everything.</li>
 * </ol>
 * Within one resource, intervals must come in time order without overlapping (gaps are allowed: nothing was
 * measured there). Different resources are independent: GPU intervals of 1 s and CPU intervals of 100 ms mix freely.
 *
 * <p>Not thread-safe: meant for one thread (the aggregation thread), like a {@code ProfileAccumulator}. Pure and
 * deterministic: no clock, no thread, the same inputs give the same outputs.
 *
 * @param <K> what identifies a request's owner for the caller, such as its monitor
 */
public final class ResourceAttributor<K> {

    /** The default cap on requests waiting for settlement. */
    public static final int DEFAULT_MAX_PENDING_REQUESTS = 100_000;

    private static final Resource[] RESOURCES = Resource.values();

    private final CostModel hostPrices;
    private final Function<? super K, CostModel> pricing;
    private final int maxPendingRequests;

    private final List<Pending<K>> pending = new ArrayList<>();
    private final List<ArrayDeque<Interval>> streams = new ArrayList<>();
    private final long[] lastEnd = new long[RESOURCES.length];
    private long settledTo = Long.MIN_VALUE;
    private long finalizedEnd = Long.MIN_VALUE;
    private final double[] measured = new double[RESOURCES.length];
    private final double[] attributed = new double[RESOURCES.length];
    private final double[] idle = new double[RESOURCES.length];
    private long settledRequests;
    private long lateRequests;
    private long lateIntervals;
    private long forcedIntervals;

    private ResourceAttributor(Builder<K> b) {
        this.hostPrices = b.hostPrices;
        this.pricing = b.pricing;
        this.maxPendingRequests = b.maxPendingRequests;
        for (int i = 0; i < RESOURCES.length; i++) {
            streams.add(new ArrayDeque<>());
        }
        Arrays.fill(lastEnd, Long.MIN_VALUE);
    }

    /**
     * A builder whose {@code hostPrices} price idle time and every request whose key has no prices of its own (see
     * {@link Builder#pricing(Function)}).
     */
    public static <K> Builder<K> builder(CostModel hostPrices) {
        return new Builder<>(hostPrices);
    }

    /** An attributor pricing everything with {@code prices}. */
    public static <K> ResourceAttributor<K> create(CostModel prices) {
        return ResourceAttributor.<K>builder(prices).build();
    }

    /**
     * Adds a finished request that ran over {@code [startNanos, endNanos)}.
     *
     * @throws IllegalArgumentException if it ends before it starts
     */
    public void addRequest(K key, long startNanos, long endNanos, TokenUsage tokens) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(tokens, "tokens");
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("a request must not end before it starts, was [" + startNanos + ", "
                    + endNanos + ")");
        }
        boolean late = startNanos < finalizedEnd;
        if (late) {
            lateRequests++;
        }
        pending.add(new Pending<>(key, startNanos, endNanos, tokens, late));
    }

    /**
     * Adds {@code amount} of {@code resource} measured over {@code [startNanos, endNanos)}. A {@code NaN} amount
     * means not measured and is ignored.
     *
     * @throws IllegalArgumentException if the interval is empty, overlaps the previous one of the same resource, or
     *                                  the amount is negative or infinite
     */
    public void addMeasurement(Resource resource, long startNanos, long endNanos, double amount) {
        Objects.requireNonNull(resource, "resource");
        if (Double.isNaN(amount)) {
            return;
        }
        if (endNanos <= startNanos) {
            throw new IllegalArgumentException(resource + " interval must end after it starts, was [" + startNanos
                    + ", " + endNanos + ")");
        }
        if (amount < 0 || Double.isInfinite(amount)) {
            throw new IllegalArgumentException(resource + " amount must be finite and >= 0, was " + amount);
        }
        int r = resource.ordinal();
        if (startNanos < lastEnd[r]) {
            throw new IllegalArgumentException(resource + " intervals must come in time order without overlapping:"
                    + " [" + startNanos + ", " + endNanos + ") starts before the previous one ends at " + lastEnd[r]);
        }
        lastEnd[r] = endNanos;
        if (endNanos <= settledTo) {
            lateIntervals++;
        }
        streams.get(r).addLast(new Interval(startNanos, endNanos, amount));
    }

    /** Adds the instance's wall-clock time {@code [startNanos, endNanos)}, allocated by overlap. */
    public void addInstanceTime(long startNanos, long endNanos) {
        addMeasurement(Resource.INSTANCE_TIME, startNanos, endNanos, (endNanos - startNanos) / 1e9);
    }

    /** Adds the process CPU seconds of {@code interval}. */
    public void addCpuInterval(CpuInterval interval) {
        addMeasurement(Resource.CPU_TIME, interval.startNanos(), interval.endNanos(), interval.cpuSeconds());
    }

    /** Adds the GPU busy seconds and, where measured, the joules of {@code interval}, summed over GPUs. */
    public void addGpuInterval(GpuInterval interval) {
        addMeasurement(Resource.GPU_TIME, interval.startNanos(), interval.endNanos(), interval.busySeconds());
        addMeasurement(Resource.GPU_ENERGY, interval.startNanos(), interval.endNanos(), interval.energyJoules());
    }

    /**
     * Finalizes every interval that ends at or before {@code watermarkNanos} and returns the requests now complete.
     * A watermark below an earlier one counts as the earlier one. {@code Long.MAX_VALUE} finalizes everything.
     */
    public Settlement<K> settle(long watermarkNanos) {
        long watermark = Math.max(watermarkNanos, settledTo);
        long target = watermark;
        boolean forced = false;
        if (pending.size() > maxPendingRequests) {
            long[] ends = new long[pending.size()];
            for (int i = 0; i < ends.length; i++) {
                ends[i] = pending.get(i).end;
            }
            Arrays.sort(ends);
            long cut = ends[ends.length - maxPendingRequests - 1];
            if (cut > target) {
                target = cut;
                forced = true;
            }
        }
        double[] stepMeasured = new double[RESOURCES.length];
        double[] stepIdle = new double[RESOURCES.length];
        long horizon = target;
        for (int r = 0; r < RESOURCES.length; r++) {
            ArrayDeque<Interval> q = streams.get(r);
            while (!q.isEmpty() && (q.peekFirst().end <= target || forced && q.peekFirst().start < target)) {
                Interval i = q.pollFirst();
                if (i.end > watermark) {
                    forcedIntervals++;
                }
                finalize(r, i, stepMeasured, stepIdle);
            }
            if (!q.isEmpty()) {
                horizon = Math.min(horizon, q.peekFirst().start);
            }
        }
        settledTo = target;
        List<RequestAttribution<K>> done = new ArrayList<>();
        int kept = 0;
        for (int i = 0; i < pending.size(); i++) {
            Pending<K> p = pending.get(i);
            if (p.end <= horizon) {
                done.add(attribution(p));
            } else {
                pending.set(kept++, p);
            }
        }
        pending.subList(kept, pending.size()).clear();
        settledRequests += done.size();
        ResourceUsage idleUsage = ResourceUsage.of(stepIdle);
        return new Settlement<>(target, done, ResourceUsage.of(stepMeasured), idleUsage,
                hostPrices.resourceCost(idleUsage), hostPrices.emissionsGrams(idleUsage));
    }

    /** Splits one interval among the pending requests that overlap it; two passes, since shares need the sum. */
    private void finalize(int r, Interval interval, double[] stepMeasured, double[] stepIdle) {
        long totalOverlap = 0;
        for (Pending<K> p : pending) {
            totalOverlap += overlap(p, interval);
        }
        measured[r] += interval.amount;
        stepMeasured[r] += interval.amount;
        finalizedEnd = Math.max(finalizedEnd, interval.end);
        if (totalOverlap == 0) {
            idle[r] += interval.amount;
            stepIdle[r] += interval.amount;
            return;
        }
        for (Pending<K> p : pending) {
            long o = overlap(p, interval);
            if (o > 0) {
                double share = interval.amount * ((double) o / totalOverlap);
                p.shares[r] += share;
                attributed[r] += share;
            }
        }
    }

    private static long overlap(Pending<?> p, Interval i) {
        return Math.max(0, Math.min(p.end, i.end) - Math.max(p.start, i.start));
    }

    private RequestAttribution<K> attribution(Pending<K> p) {
        CostModel prices = pricing.apply(p.key);
        if (prices == null) {
            prices = hostPrices;
        }
        ResourceUsage usage = ResourceUsage.of(p.shares);
        return new RequestAttribution<>(p.key, p.start, p.end, p.tokens, usage, prices.cost(p.tokens, usage),
                prices.emissionsGrams(usage), p.late);
    }

    /** Everything finalized so far: measured = attributed + idle. */
    public AttributionTotals totals() {
        return new AttributionTotals(ResourceUsage.of(measured), ResourceUsage.of(attributed), ResourceUsage.of(idle),
                settledRequests, lateRequests, lateIntervals, forcedIntervals);
    }

    /** Requests added and not yet handed out by a settlement. */
    public int pendingRequests() {
        return pending.size();
    }

    /** Intervals added and not yet finalized, over all resources. */
    public int pendingIntervals() {
        int n = 0;
        for (ArrayDeque<Interval> q : streams) {
            n += q.size();
        }
        return n;
    }

    private static final class Pending<K> {
        final K key;
        final long start;
        final long end;
        final TokenUsage tokens;
        final boolean late;
        final double[] shares = new double[RESOURCES.length];

        Pending(K key, long start, long end, TokenUsage tokens, boolean late) {
            this.key = key;
            this.start = start;
            this.end = end;
            this.tokens = tokens;
            this.late = late;
        }
    }

    private record Interval(long start, long end, double amount) {
    }

    /** Builds a {@link ResourceAttributor}; every setting is checked when set. Not thread-safe. */
    public static final class Builder<K> {
        private final CostModel hostPrices;
        private Function<? super K, CostModel> pricing = key -> null;
        private int maxPendingRequests = DEFAULT_MAX_PENDING_REQUESTS;

        private Builder(CostModel hostPrices) {
            this.hostPrices = Objects.requireNonNull(hostPrices, "hostPrices");
        }

        /**
         * Prices each request by its key, such as the monitor's own cost model (its token prices); a {@code null}
         * answer means the host prices. Called on the settling thread, once per request.
         */
        public Builder<K> pricing(Function<? super K, CostModel> pricing) {
            this.pricing = Objects.requireNonNull(pricing, "pricing");
            return this;
        }

        /**
         * The most requests kept waiting for settlement, at least 1 (default
         * {@value ResourceAttributor#DEFAULT_MAX_PENDING_REQUESTS}); beyond it, intervals are finalized early so
         * the oldest requests can be handed out.
         */
        public Builder<K> maxPendingRequests(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxPendingRequests must be >= 1, was " + max);
            }
            this.maxPendingRequests = max;
            return this;
        }

        /** The attributor. */
        public ResourceAttributor<K> build() {
            return new ResourceAttributor<>(this);
        }
    }
}
