/**
 * Keeping personal data out of profiles: {@link dev.seismo.privacy.Protection} chosen per feature, and the
 * {@link dev.seismo.privacy.HashKey} that protected values are hashed with. The hashing itself runs where values
 * enter a profile ({@code ProfileAccumulator}), on the aggregation thread, never on a recording thread.
 */
package dev.seismo.privacy;
