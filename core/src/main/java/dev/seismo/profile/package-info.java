/**
 * Profiles: mergeable sketches of a model's feature values and call stats over a period.
 *
 * <p>{@link dev.seismo.profile.ProfileAccumulator} (mutable, single-threaded) collects values;
 * {@link dev.seismo.profile.Profile} (immutable) is what it hands out, what merges across periods and replicas,
 * and what {@link dev.seismo.profile.ProfileJson} stores. {@link dev.seismo.profile.ProfileBuilder} profiles rows
 * of Java values and {@link dev.seismo.profile.CsvProfiler} CSV files. The value conventions (what counts as missing or invalid) are in {@code docs/DESIGN.md}.
 */
package dev.seismo.profile;
