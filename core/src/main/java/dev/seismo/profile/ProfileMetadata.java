package dev.seismo.profile;

import java.time.Instant;
import java.util.Objects;

/**
 * Which model a profile describes and the period its data covers.
 *
 * @param model the model's name, or null when the profile is not tied to one
 * @param version the model's version, or null
 * @param start the start of the period, inclusive
 * @param end the end of the period; not before {@code start}
 */
public record ProfileMetadata(String model, String version, Instant start, Instant end) {

    /** Validates the period. */
    public ProfileMetadata {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
    }

    /** The metadata of a merge: the same model and version (either may be absent), the period spanning both. */
    ProfileMetadata merge(ProfileMetadata other) {
        return new ProfileMetadata(
                same("model", model, other.model),
                same("version", version, other.version),
                start.isBefore(other.start) ? start : other.start,
                end.isAfter(other.end) ? end : other.end);
    }

    private static String same(String what, String a, String b) {
        if (a != null && b != null && !a.equals(b)) {
            throw new IllegalArgumentException("cannot merge profiles of " + what + " '" + a + "' and '" + b
                    + "'; merge profiles of one " + what + " only");
        }
        return a != null ? a : b;
    }
}
