package dev.seismo.profile;

import dev.seismo.privacy.Protection;
import dev.seismo.schema.Feature;
import dev.seismo.schema.FeatureType;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;

/**
 * The profile of a categorical feature: exact counts, a frequent-items sketch of the categories and a
 * HyperLogLog sketch of how many distinct ones there were.
 *
 * <p>Category counts are exact until the feature has had {@code 0.75 * frequentItemsMapSize} distinct categories
 * (see {@link #countsExact()}); after that the sketch keeps the heavy hitters with error bounds.
 *
 * <p>Thread-safe: immutable. The sketches are kept serialized; the live frequent-items sketch that answers
 * {@link #estimate(String)} is private and only read.
 */
public final class CategoricalProfile implements FeatureProfile {

    private static final Comparator<ItemCount> BY_ESTIMATE_DESC =
            Comparator.comparingLong(ItemCount::estimate).reversed().thenComparing(ItemCount::value);

    private final Feature feature;
    private final long count;
    private final long missing;
    private final long invalid;
    private final long truncated;
    private final byte[] itemsBytes;
    private final byte[] hllBytes;
    private final ItemsSketch<String> items;
    private final List<ItemCount> frequentItems;
    private final int hllLgK;
    private final double distinctEstimate;

    private CategoricalProfile(Feature feature, long count, long missing, long invalid, long truncated,
            byte[] itemsBytes, ItemsSketch<String> items, byte[] hllBytes, HllSketch hll) {
        this.feature = feature;
        this.count = count;
        this.missing = missing;
        this.invalid = invalid;
        this.truncated = truncated;
        this.itemsBytes = itemsBytes;
        this.items = items;
        this.hllBytes = hllBytes;
        this.hllLgK = hll.getLgConfigK();
        this.distinctEstimate = hll.getEstimate();
        this.frequentItems = Arrays.stream(items.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES))
                .map(r -> new ItemCount(r.getItem(), r.getEstimate(), r.getLowerBound(), r.getUpperBound()))
                .sorted(BY_ESTIMATE_DESC)
                .toList();
    }

    /**
     * A profile from its parts.
     *
     * @param itemsBytes the bytes of an {@code ItemsSketch<String>} (serialized with {@code ArrayOfStringsSerDe})
     *     of the {@code count} valid values; the caller gives them up
     * @param hllBytes the bytes of an {@link HllSketch} of the same values; the caller gives them up
     * @throws IllegalArgumentException if the parts do not agree, or the bytes are not the sketches named
     */
    static CategoricalProfile of(Feature feature, long count, long missing, long invalid, long truncated,
            byte[] itemsBytes, byte[] hllBytes) {
        Objects.requireNonNull(feature, "feature");
        if (feature.type() != FeatureType.CATEGORICAL) {
            throw new IllegalArgumentException("feature '" + feature.name() + "' is " + feature.type()
                    + ", not CATEGORICAL");
        }
        Sketches.checkCounts(count, missing, invalid);
        if (truncated < 0 || truncated > count) {
            throw new IllegalArgumentException("truncated must be between 0 and count (" + count + "), was "
                    + truncated);
        }
        ItemsSketch<String> items = heapifyItems(itemsBytes);
        if (feature.protection() == Protection.COUNTS_ONLY) {
            if (!items.isEmpty()) {
                throw new IllegalArgumentException("the feature is COUNTS_ONLY but its frequent-items sketch holds "
                        + items.getStreamLength() + " values");
            }
        } else if (items.getStreamLength() != count) {
            throw new IllegalArgumentException("the frequent-items sketch holds " + items.getStreamLength()
                    + " values but count is " + count);
        }
        HllSketch hll = heapifyHll(hllBytes);
        if (hll.isEmpty() != (count == 0)) {
            throw new IllegalArgumentException("the HyperLogLog sketch is " + (hll.isEmpty() ? "" : "not ")
                    + "empty but count is " + count);
        }
        return new CategoricalProfile(feature, count, missing, invalid, truncated, itemsBytes, items, hllBytes, hll);
    }

    private static ItemsSketch<String> heapifyItems(byte[] bytes) {
        try {
            return ItemsSketch.getInstance(Memory.wrap(bytes), Sketches.STRINGS);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the bytes are not a frequent-items sketch of strings: "
                    + e.getMessage(), e);
        }
    }

    private static HllSketch heapifyHll(byte[] bytes) {
        try {
            return HllSketch.heapify(bytes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the bytes are not a HyperLogLog sketch: " + e.getMessage(), e);
        }
    }

    @Override
    public Feature feature() {
        return feature;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long missing() {
        return missing;
    }

    @Override
    public long invalid() {
        return invalid;
    }

    /**
     * The categories that may be frequent, most frequent first (ties by value): every category whose true count
     * can exceed the sketch's maximum error, so none is left out. While {@link #countsExact()}, every category.
     * Empty for a {@link Protection#COUNTS_ONLY} feature, which keeps no value.
     */
    public List<ItemCount> frequentItems() {
        return frequentItems;
    }

    /**
     * The estimated number of times the category was seen; 0 if the sketch does not hold it. Long categories were
     * kept cut to {@link ProfileOptions#maxCategoryLength()}: ask for the cut value.
     */
    public long estimate(String category) {
        return items.getEstimate(Objects.requireNonNull(category, "category"));
    }

    /** The estimated number of distinct categories (HyperLogLog; about 1.6% relative error at the default lgK 12). */
    public double distinctEstimate() {
        return distinctEstimate;
    }

    /** Whether every category's count is exact: the frequent-items sketch never had to evict small counts. */
    public boolean countsExact() {
        return items.getMaximumError() == 0;
    }

    /** How many valid values were longer than the maximum category length and were cut. */
    public long truncated() {
        return truncated;
    }

    byte[] itemsBytes() {
        return itemsBytes;
    }

    byte[] hllBytes() {
        return hllBytes;
    }

    /** @throws IllegalArgumentException if {@code other} is not categorical or of another feature */
    @Override
    public CategoricalProfile merge(FeatureProfile other) {
        Sketches.checkSameFeature(this, other);
        return mergeAll(List.of(this, (CategoricalProfile) other));
    }

    /**
     * The profile of all the given profiles' values. Items merge into a copy of the smallest sketch and the
     * HyperLogLog union keeps the smallest lgK: a merge is never more precise than its least precise input.
     */
    static CategoricalProfile mergeAll(List<CategoricalProfile> profiles) {
        CategoricalProfile first = profiles.get(0);
        int smallestItems = 0;
        int lgK = first.hllLgK;
        long count = 0;
        long missing = 0;
        long invalid = 0;
        long truncated = 0;
        for (int i = 0; i < profiles.size(); i++) {
            CategoricalProfile p = profiles.get(i);
            Sketches.checkSameFeature(first, p);
            count += p.count;
            missing += p.missing;
            invalid += p.invalid;
            truncated += p.truncated;
            if (p.items.getMaximumMapCapacity() < profiles.get(smallestItems).items.getMaximumMapCapacity()) {
                smallestItems = i;
            }
            lgK = Math.min(lgK, p.hllLgK);
        }
        ItemsSketch<String> items = heapifyItems(profiles.get(smallestItems).itemsBytes);
        Union union = new Union(lgK);
        for (int i = 0; i < profiles.size(); i++) {
            if (i != smallestItems) {
                items.merge(profiles.get(i).items);
            }
            union.update(heapifyHll(profiles.get(i).hllBytes));
        }
        HllSketch hll = union.getResult(TgtHllType.HLL_4);
        return new CategoricalProfile(first.feature, count, missing, invalid, truncated,
                items.toByteArray(Sketches.STRINGS), items, hll.toCompactByteArray(), hll);
    }

    @Override
    public String toString() {
        return "CategoricalProfile[" + feature.name() + ": count=" + count + ", missing=" + missing + ", invalid="
                + invalid + ", distinct~" + Math.round(distinctEstimate) + ", top="
                + frequentItems.subList(0, Math.min(3, frequentItems.size())) + "]";
    }
}
