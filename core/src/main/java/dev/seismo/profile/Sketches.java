package dev.seismo.profile;

import org.apache.datasketches.common.ArrayOfStringsSerDe;

/** Checks shared by the profiles' factories and merges. Internal. */
final class Sketches {

    /** How frequent-items sketches of categories are serialized, in memory and in files alike. */
    static final ArrayOfStringsSerDe STRINGS = new ArrayOfStringsSerDe();

    private Sketches() {
    }

    static void checkCounts(long count, long missing, long invalid) {
        if (count < 0 || missing < 0 || invalid < 0) {
            throw new IllegalArgumentException("counts must not be negative, were count=" + count + ", missing="
                    + missing + ", invalid=" + invalid);
        }
    }

    static void checkSameFeature(FeatureProfile a, FeatureProfile b) {
        if (!a.feature().equals(b.feature())) {
            throw new IllegalArgumentException("cannot merge the profile of " + a.feature() + " with that of "
                    + b.feature() + "; only profiles of one feature (same name, type and role) merge");
        }
    }
}
