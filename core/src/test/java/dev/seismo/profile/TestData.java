package dev.seismo.profile;

import dev.seismo.schema.Schema;
import java.time.Instant;
import java.util.Random;

/** Shared fixtures: a small schema and deterministic random data for it. */
final class TestData {

    static final Schema SCHEMA = Schema.builder()
            .numericInput("amount")
            .categoricalInput("country")
            .numericOutput("score")
            .categoricalOutput("label")
            .build();

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static final String[] COUNTRIES = {"DE", "FR", "US", "GB", "JP", "BR", "IN", "ES", "IT", "NL"};

    private TestData() {
    }

    /** An accumulator of {@code rows} random rows of {@link #SCHEMA}, seeded so that runs repeat. */
    static ProfileAccumulator accumulate(long seed, int rows) {
        ProfileAccumulator acc = new ProfileAccumulator(SCHEMA, ProfileOptions.defaults());
        Random r = new Random(seed);
        for (int i = 0; i < rows; i++) {
            acc.updateNumeric(0, Math.exp(r.nextGaussian() * 2 + 3));
            acc.updateCategorical(0, COUNTRIES[Math.min(COUNTRIES.length - 1, (int) (-Math.log(r.nextDouble()) * 2))]);
            acc.updateNumeric(1, r.nextInt(50) == 0 ? Double.NaN : r.nextDouble());
            acc.updateCategorical(1, r.nextBoolean());
        }
        return acc;
    }

    static Profile profile(long seed, int rows, Instant start, Instant end) {
        return accumulate(seed, rows).toProfile(new ProfileMetadata("fraud", "3", start, end), null);
    }
}
