package dev.seismo.drift;

/**
 * How the {@link DriftPolicy#CALIBRATED} policy spreads its per-window false-alarm rate over the features it tests.
 *
 * <p>Thread-safe: an enum.
 */
public enum Correction {
    /** Each feature is tested at the full rate: with F features, up to F times as many windows raise an alarm. */
    NONE("none"),
    /** Each of F features is tested at rate / F: the chance that any feature of a no-drift window alarms stays at most the rate. */
    BONFERRONI("bonferroni"),
    /**
     * Benjamini-Hochberg step-up at the rate (the default): the same guarantee as Bonferroni for a window without
     * drift (independent or positively dependent features), and more power once some features do drift.
     */
    BENJAMINI_HOCHBERG("benjamini_hochberg");

    private final String key;

    Correction(String key) {
        this.key = key;
    }

    /** The name used in reports and JSON. */
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return key;
    }
}
