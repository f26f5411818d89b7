package dev.seismo.drift;

import dev.seismo.profile.Profile;
import java.time.Instant;

/**
 * Which profile a side of a {@link DriftReport} was: its model, version, period and number of rows.
 *
 * @param model the model's name, or null
 * @param version the model's version, or null
 * @param start the start of the profiled period
 * @param end the end of the profiled period
 * @param rows the number of rows profiled
 */
public record ProfileSummary(String model, String version, Instant start, Instant end, long rows) {

    /** The summary of a profile. */
    public static ProfileSummary of(Profile profile) {
        return new ProfileSummary(profile.model(), profile.version(), profile.start(), profile.end(), profile.rows());
    }
}
