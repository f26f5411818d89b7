package dev.seismo.profile;

/**
 * How precisely profiles sketch their values. Two presets: {@link #defaults()} for live windows, sized so a numeric
 * feature costs at most about 6.5 KB a window however long it runs, and {@link #reference()} for reference data
 * profiled once (CSV files, {@link ProfileBuilder}), four times as precise, which keeps the normed Wasserstein
 * distance within 5% of exact even on heavy-tailed features.
 *
 * <p>Merging profiles built with different options gives a profile with the smaller of each setting, since a
 * merged sketch is never more precise than its least precise input.
 *
 * <p>Thread-safe: immutable.
 */
public final class ProfileOptions {

    static final int MIN_KLL_K = 8;
    static final int MAX_KLL_K = 65_535;
    static final int MIN_MAP_SIZE = 8;
    static final int MAX_MAP_SIZE = 65_536;
    static final int MIN_HLL_LG_K = 4;
    static final int MAX_HLL_LG_K = 21;

    private static final ProfileOptions DEFAULTS = new Builder().build();
    private static final ProfileOptions REFERENCE = new Builder().kllK(1024).frequentItemsMapSize(4096).build();

    private final int kllK;
    private final int frequentItemsMapSize;
    private final int hllLgK;
    private final int maxCategoryLength;

    private ProfileOptions(Builder b) {
        this.kllK = b.kllK;
        this.frequentItemsMapSize = b.frequentItemsMapSize;
        this.hllLgK = b.hllLgK;
        this.maxCategoryLength = b.maxCategoryLength;
    }

    /** kllK 256, frequentItemsMapSize 256, hllLgK 12, maxCategoryLength 128. */
    public static ProfileOptions defaults() {
        return DEFAULTS;
    }

    /**
     * For reference profiles: kllK 1024 (rank error about 0.3%), frequentItemsMapSize 4096 (counts exact up to
     * 3,072 categories), hllLgK 12, maxCategoryLength 128. About 25 KB per numeric feature (docs/PERFORMANCE.md).
     */
    public static ProfileOptions reference() {
        return REFERENCE;
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        return new Builder().kllK(kllK).frequentItemsMapSize(frequentItemsMapSize).hllLgK(hllLgK)
                .maxCategoryLength(maxCategoryLength);
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The KLL quantile sketch's k: its normalized rank error (99% confidence) is about 1% at 256 and shrinks
     * roughly as 1/k.
     */
    public int kllK() {
        return kllK;
    }

    /**
     * The frequent-items sketch's maximum map size: a categorical feature's counts are exact while it has fewer
     * than {@code 0.75 * frequentItemsMapSize} distinct categories.
     */
    public int frequentItemsMapSize() {
        return frequentItemsMapSize;
    }

    /** log2 of the HyperLogLog sketch's register count; its relative error is about {@code 1.04 / sqrt(2^hllLgK)}. */
    public int hllLgK() {
        return hllLgK;
    }

    /** Categories longer than this many chars are cut to it, so a stray payload cannot bloat a sketch. */
    public int maxCategoryLength() {
        return maxCategoryLength;
    }

    /** The options with the smaller of each setting: what a merge of profiles built with these two keeps. */
    ProfileOptions min(ProfileOptions other) {
        if (equals(other)) {
            return this;
        }
        return new Builder()
                .kllK(Math.min(kllK, other.kllK))
                .frequentItemsMapSize(Math.min(frequentItemsMapSize, other.frequentItemsMapSize))
                .hllLgK(Math.min(hllLgK, other.hllLgK))
                .maxCategoryLength(Math.min(maxCategoryLength, other.maxCategoryLength))
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProfileOptions p
                && p.kllK == kllK
                && p.frequentItemsMapSize == frequentItemsMapSize
                && p.hllLgK == hllLgK
                && p.maxCategoryLength == maxCategoryLength;
    }

    @Override
    public int hashCode() {
        return ((kllK * 31 + frequentItemsMapSize) * 31 + hllLgK) * 31 + maxCategoryLength;
    }

    @Override
    public String toString() {
        return "ProfileOptions[kllK=" + kllK + ", frequentItemsMapSize=" + frequentItemsMapSize
                + ", hllLgK=" + hllLgK + ", maxCategoryLength=" + maxCategoryLength + "]";
    }

    /** Builds {@link ProfileOptions}; every setter rejects an out-of-range value at once. Not thread-safe. */
    public static final class Builder {
        private int kllK = 256;
        private int frequentItemsMapSize = 256;
        private int hllLgK = 12;
        private int maxCategoryLength = 128;

        private Builder() {
        }

        /** The KLL sketch's k, from 8 to 65535 (default 256). */
        public Builder kllK(int kllK) {
            if (kllK < MIN_KLL_K || kllK > MAX_KLL_K) {
                throw new IllegalArgumentException("kllK must be between " + MIN_KLL_K + " and " + MAX_KLL_K
                        + ", was " + kllK);
            }
            this.kllK = kllK;
            return this;
        }

        /** The frequent-items map size, a power of two from 8 to 65536 (default 256). */
        public Builder frequentItemsMapSize(int frequentItemsMapSize) {
            if (frequentItemsMapSize < MIN_MAP_SIZE || frequentItemsMapSize > MAX_MAP_SIZE
                    || Integer.bitCount(frequentItemsMapSize) != 1) {
                throw new IllegalArgumentException("frequentItemsMapSize must be a power of two between "
                        + MIN_MAP_SIZE + " and " + MAX_MAP_SIZE + ", was " + frequentItemsMapSize);
            }
            this.frequentItemsMapSize = frequentItemsMapSize;
            return this;
        }

        /** log2 of the HyperLogLog register count, from 4 to 21 (default 12). */
        public Builder hllLgK(int hllLgK) {
            if (hllLgK < MIN_HLL_LG_K || hllLgK > MAX_HLL_LG_K) {
                throw new IllegalArgumentException("hllLgK must be between " + MIN_HLL_LG_K + " and " + MAX_HLL_LG_K
                        + ", was " + hllLgK);
            }
            this.hllLgK = hllLgK;
            return this;
        }

        /** The longest category kept, in chars, at least 1 (default 128). */
        public Builder maxCategoryLength(int maxCategoryLength) {
            if (maxCategoryLength < 1) {
                throw new IllegalArgumentException("maxCategoryLength must be at least 1, was " + maxCategoryLength);
            }
            this.maxCategoryLength = maxCategoryLength;
            return this;
        }

        /** The options. */
        public ProfileOptions build() {
            return new ProfileOptions(this);
        }
    }
}
