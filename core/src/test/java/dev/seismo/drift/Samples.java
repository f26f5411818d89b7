package dev.seismo.drift;

import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileAccumulator;
import dev.seismo.profile.ProfileMetadata;
import dev.seismo.profile.ProfileOptions;
import dev.seismo.schema.Schema;
import java.time.Instant;
import java.util.Random;
import java.util.function.DoubleSupplier;

/** Random samples and their profiles, made through the same accumulator the monitor uses. */
final class Samples {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private Samples() {
    }

    static double[] normal(Random r, int n, double mean, double sd) {
        return draw(n, () -> mean + sd * r.nextGaussian());
    }

    static double[] lognormal(Random r, int n, double mu, double sigma) {
        return draw(n, () -> Math.exp(mu + sigma * r.nextGaussian()));
    }

    static double[] draw(int n, DoubleSupplier supplier) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = supplier.getAsDouble();
        }
        return values;
    }

    /** Values 0..p.length-1 drawn with probabilities p. */
    static double[] discrete(Random r, int n, double[] p) {
        return draw(n, () -> index(r, p));
    }

    /** Categories "c0".."c{k-1}" drawn with probabilities p. */
    static String[] categories(Random r, int n, double[] p) {
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            values[i] = "c" + index(r, p);
        }
        return values;
    }

    private static int index(Random r, double[] p) {
        double u = r.nextDouble();
        for (int i = 0; i < p.length - 1; i++) {
            u -= p[i];
            if (u < 0) {
                return i;
            }
        }
        return p.length - 1;
    }

    /** The mixture (1 - w) p + w q. */
    static double[] mix(double[] p, double[] q, double w) {
        double[] m = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            m[i] = (1 - w) * p[i] + w * q[i];
        }
        return m;
    }

    /**
     * A profile of columns, one per feature of the schema in order: {@code double[]} for numeric features,
     * {@code String[]} for categorical ones.
     */
    static Profile profile(Schema schema, Object... columns) {
        return profile(schema, ProfileOptions.defaults(), columns);
    }

    static Profile profile(Schema schema, ProfileOptions options, Object... columns) {
        ProfileAccumulator acc = new ProfileAccumulator(schema, options);
        for (int f = 0; f < columns.length; f++) {
            String name = schema.features().get(f).name();
            if (columns[f] instanceof double[] values) {
                int index = schema.numericIndex(name);
                for (double v : values) {
                    acc.updateNumeric(index, v);
                }
            } else {
                int index = schema.categoricalIndex(name);
                for (String v : (String[]) columns[f]) {
                    acc.updateCategorical(index, v);
                }
            }
        }
        return acc.toProfile(new ProfileMetadata("fraud", "3", T0, T0.plusSeconds(3600)), null);
    }
}
