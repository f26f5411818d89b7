package dev.seismo.privacy;

/**
 * What of a categorical signal's values a profile may keep. Chosen per feature in the schema and honoured wherever
 * values are kept or shown: sketches, profiles and their files, snapshots, drift reports. Metric labels never carry
 * values whatever the protection.
 *
 * <p>Both protections need a {@link HashKey}: values (or, for {@link #COUNTS_ONLY}, the distinct-count sketch's
 * input) are keyed-hashed on the aggregation thread before they reach any sketch, so a profile can be compared and
 * merged with others made under the same key and tells nothing to whoever lacks it.
 */
public enum Protection {

    /** Values are kept as given (cut to {@code ProfileOptions.maxCategoryLength()}). */
    NONE,

    /**
     * Each value is replaced by its keyed hash ({@link HashKey}, HMAC-SHA-256 cut to 128 bits, 22 characters of
     * base64url) before it reaches any sketch. Profiles hashed under the same key compare exactly as unhashed ones
     * would: equal values hash alike, distinct values (to a chance of about 2^-128 per pair) differently. Drift
     * reports and tools then show hashes where they would show values.
     */
    HASHED,

    /**
     * No value is kept at all: counts, missing, invalid and a distinct count (a HyperLogLog sketch of the values'
     * keyed hashes). Such a feature has no distribution, so drift reports list it as not compared.
     */
    COUNTS_ONLY;

    /** Whether values pass through the keyed hash: every protection but {@link #NONE}. */
    public boolean needsKey() {
        return this != NONE;
    }
}
