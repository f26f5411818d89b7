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
 * <p><b>The rules.</b> Each {@link Resource} is measured in intervals {@code [start, end)}: an instance's wall-clock
 * time, the process's CPU seconds, the GPUs' busy seconds and joules. Requests run over {@code [start, end)} too.
 * <ul>
 * <li><b>Instance time is shared per moment</b> (processor sharing): it is known exactly, second by second, so each
 * moment of an interval is split equally among the requests running at that moment, and a moment with no request
 * running is idle. Two identical requests get identical shares wherever the intervals happen to be cut, and an idle
 * host's time is idle.</li>
 * <li><b>CPU time, GPU time and GPU energy are shared by overlap</b>: their amount is only known per interval, not
 * when within it it was used, so an interval's amount is split among the requests that overlap it in proportion to
 * their overlap with it: a request running through all of a 1 s interval gets twice the share of one running
 * through half of it. An interval no request overlaps is idle.</li>
 * </ul>
 * Over every finalized interval, what requests receive plus what is idle sums to what was measured (to
 * floating-point rounding). Idle amounts are reported and priced in the {@link Settlement}, never dropped. A request
 * of zero length overlaps nothing and costs only its tokens and its call.
 *
 * <p><b>Streaming.</b> Nothing is computed until {@link #settle(long) settle(watermark)}, which finalizes every
 * interval that ends at or before the watermark (each then sees all the requests added so far) and hands out every
 * request that no unfinalized interval overlaps any more. A request still running at an interval's end is carried:
 * it keeps the shares of the intervals finalized so far and gets the rest when its last interval is finalized.
 * Memory is the requests and intervals not yet settled: about {@code lateness x request rate} requests, capped by
 * {@link Builder#maxPendingRequests(int)}. Beyond the cap the oldest requests are handed out before the watermark
 * reaches their end, with the intervals they overlap finalized early: counted in
 * {@link AttributionTotals#forcedRequests()} and {@link AttributionTotals#forcedIntervals()}; a measurement that
 * arrives afterwards for their time (a GPU interval, known only at its end) goes to the requests still pending, or
 * to idle, and is counted in {@link AttributionTotals#lateIntervals()}.
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
 * {@link RequestAttribution#late() late} and counted in {@link AttributionTotals#lateRequests()}: the intervals
 * settled before it was added went to the others, or to idle. Requests are known only when they end, so no
 * retention shorter than the longest request avoids this.</li>
 * <li>Record each {@link RequestAttribution} where its key says (its cost and emissions into the window open at
 * that moment, which can be up to the lateness after the call); record the settlement's idle cost apart.</li>
 * <li>On shutdown, {@code settle(Long.MAX_VALUE)} finalizes everything.</li>
 * </ol>
 * Within one resource, intervals must come in time order without overlapping (gaps are allowed: nothing was
 * measured there). Different resources are independent: GPU intervals of 1 s and CPU intervals of 100 ms mix freely.
 *
 * <p><b>Cost.</b> Finalizing an interval scans the pending requests once; instance time also sorts the starts and
 * ends of the requests overlapping it ({@code O(k log k)} for {@code k} of them) and sweeps them once, keeping the
 * running sum of {@code dt / (requests running)} so that each request's share is the difference of that sum at its
 * two ends.
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
    private static final int INSTANCE = Resource.INSTANCE_TIME.ordinal();

    private final CostModel hostPrices;
    private final Function<? super K, CostModel> pricing;
    private final int maxPendingRequests;

    private final List<Pending<K>> pending = new ArrayList<>();
    private final List<ArrayDeque<Interval>> streams = new ArrayList<>();
    private final long[] lastEnd = new long[RESOURCES.length];
    private long settledTo = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;
    private long finalizedEnd = Long.MIN_VALUE;
    private final double[] measured = new double[RESOURCES.length];
    private final double[] attributed = new double[RESOURCES.length];
    private final double[] idle = new double[RESOURCES.length];
    private long settledRequests;
    private long lateRequests;
    private long forcedRequests;
    private long lateIntervals;
    private long forcedIntervals;
    // Scratch for sharing instance time per moment, kept between intervals: at 100k pending requests, allocating
    // them for every 100 ms interval would be megabytes of garbage per second.
    private Pending<?>[] running = new Pending<?>[0];
    private long[] from = new long[0];
    private long[] to = new long[0];
    private long[] sortedStarts = new long[0];
    private long[] sortedEnds = new long[0];
    private long[] moments = new long[0];
    private double[] shareSum = new double[0];

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
        // A request of no length overlaps nothing, so the time settled before it arrived cost it nothing.
        boolean late = startNanos < finalizedEnd && endNanos > startNanos;
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
        if (startNanos < settledTo) {
            lateIntervals++;
        }
        streams.get(r).addLast(new Interval(startNanos, endNanos, amount));
    }

    /** Adds the instance's wall-clock time {@code [startNanos, endNanos)}, shared per moment. */
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
        watermark = Math.max(watermark, watermarkNanos);
        long target = Math.max(watermark, settledTo);
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
                if (p.end > watermark) {
                    forcedRequests++;
                }
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

    /** Hands one interval's amount out to the pending requests by the resource's rule; the rest is idle. */
    private void finalize(int r, Interval interval, double[] stepMeasured, double[] stepIdle) {
        measured[r] += interval.amount;
        stepMeasured[r] += interval.amount;
        finalizedEnd = Math.max(finalizedEnd, interval.end);
        double idleAmount = r == INSTANCE ? sharePerMoment(r, interval) : shareByOverlap(r, interval);
        idle[r] += idleAmount;
        stepIdle[r] += idleAmount;
    }

    /** Splits the amount in proportion to each request's overlap; two passes, since shares need the sum. */
    private double shareByOverlap(int r, Interval interval) {
        long totalOverlap = 0;
        for (Pending<K> p : pending) {
            totalOverlap += overlap(p, interval);
        }
        if (totalOverlap == 0) {
            return interval.amount;
        }
        for (Pending<K> p : pending) {
            long o = overlap(p, interval);
            if (o > 0) {
                double share = interval.amount * ((double) o / totalOverlap);
                p.shares[r] += share;
                attributed[r] += share;
            }
        }
        return 0;
    }

    /**
     * Splits each moment of the interval equally among the requests running then. A sweep over the sorted starts
     * and ends keeps {@code shareSum}, the running integral of {@code dt / (requests running)} at each moment where
     * the count changes; a request's share is the rate times that integral between its two ends. The moments with
     * no request running are idle.
     */
    private double sharePerMoment(int r, Interval interval) {
        int n = pending.size();
        if (running.length < n) {
            int size = Math.max(n, running.length * 2);
            running = new Pending<?>[size];
            from = new long[size];
            to = new long[size];
            sortedStarts = new long[size];
            sortedEnds = new long[size];
            moments = new long[2 * size];
            shareSum = new double[2 * size];
        }
        int k = 0;
        for (Pending<K> p : pending) {
            long s = Math.max(p.start, interval.start);
            long e = Math.min(p.end, interval.end);
            if (e > s) {
                running[k] = p;
                from[k] = s;
                to[k] = e;
                k++;
            }
        }
        if (k == 0) {
            return interval.amount;
        }
        System.arraycopy(from, 0, sortedStarts, 0, k);
        System.arraycopy(to, 0, sortedEnds, 0, k);
        Arrays.sort(sortedStarts, 0, k);
        Arrays.sort(sortedEnds, 0, k);
        int m = 0;
        int active = 0;
        double sum = 0;
        long covered = 0;
        for (int i = 0, j = 0; j < k; ) {
            long t = i < k ? Math.min(sortedStarts[i], sortedEnds[j]) : sortedEnds[j];
            if (active > 0) { // the count over [previous moment, t)
                sum += (double) (t - moments[m - 1]) / active;
                covered += t - moments[m - 1];
            }
            moments[m] = t;
            shareSum[m] = sum;
            m++;
            while (i < k && sortedStarts[i] == t) {
                active++;
                i++;
            }
            while (j < k && sortedEnds[j] == t) {
                active--;
                j++;
            }
        }
        long length = interval.end - interval.start;
        // Per second, not per nanosecond: for instance time the rate is then exactly 1 and shares are exact.
        double perSecond = interval.amount / (length / 1e9);
        for (int q = 0; q < k; q++) {
            double seconds = (shareSum[Arrays.binarySearch(moments, 0, m, to[q])]
                    - shareSum[Arrays.binarySearch(moments, 0, m, from[q])]) / 1e9;
            double share = perSecond * seconds;
            running[q].shares[r] += share;
            attributed[r] += share;
            running[q] = null;
        }
        return covered == length ? 0 : interval.amount * ((double) (length - covered) / length);
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

    /** Everything finalized so far (measured = attributed + idle), the counts of what went wrong, and the backlog. */
    public AttributionTotals totals() {
        ResourceUsage idleUsage = ResourceUsage.of(idle);
        return new AttributionTotals(ResourceUsage.of(measured), ResourceUsage.of(attributed), idleUsage,
                hostPrices.resourceCost(idleUsage), hostPrices.emissionsGrams(idleUsage), settledRequests,
                lateRequests, forcedRequests, lateIntervals, forcedIntervals, pending.size(), pendingIntervals());
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
         * the oldest requests can be handed out, counted in {@link AttributionTotals#forcedRequests()}.
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
