package dev.seismo.benchmarks;

import dev.seismo.drift.DriftDetector;
import dev.seismo.drift.DriftReport;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileAccumulator;
import dev.seismo.profile.ProfileMetadata;
import dev.seismo.profile.ProfileOptions;
import dev.seismo.schema.Schema;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Drift of a live window against a reference, from stored sketches only: what the monitor computes at each window
 * close. The reference has 20,000 rows profiled with {@link ProfileOptions#reference()}, the window 5,000 rows with
 * {@link ProfileOptions#defaults()}, and half the features are shifted. Mixes: {@code 100n} is 100 numeric
 * features; {@code 80n+20c} is 80 numeric and 20 categorical (12 categories each).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DriftBenchmark {

    @Param({"100n", "80n+20c"})
    public String mix;

    Profile reference;
    Profile window;
    DriftDetector detector;

    @Setup(Level.Trial)
    public void setUp() {
        int categorical = mix.equals("100n") ? 0 : 20;
        int numeric = 100 - categorical;
        Schema.Builder schema = Schema.builder();
        for (int i = 0; i < numeric; i++) {
            schema.numericInput("n" + i);
        }
        for (int i = 0; i < categorical; i++) {
            schema.categoricalInput("c" + i);
        }
        Schema s = schema.build();
        reference = profile(s, ProfileOptions.reference(), 20_000, 0, 1);
        window = profile(s, ProfileOptions.defaults(), 5_000, 0.2, 2);
        detector = DriftDetector.ofDefaults();
    }

    private static Profile profile(Schema schema, ProfileOptions options, int rows, double shift, long seed) {
        ProfileAccumulator acc = new ProfileAccumulator(schema, options);
        SplittableRandom random = new SplittableRandom(seed);
        int numeric = schema.numeric().size();
        int categorical = schema.categorical().size();
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < numeric; i++) {
                acc.updateNumeric(i, random.nextGaussian() + (i % 2 == 0 ? shift : 0));
            }
            for (int i = 0; i < categorical; i++) {
                int bound = i % 2 == 0 && shift > 0 ? 8 : 12;
                acc.updateCategorical(i, "v" + random.nextInt(bound));
            }
        }
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return acc.toProfile(new ProfileMetadata("bench", "1", now, now), null);
    }

    @Benchmark
    public DriftReport compare() {
        return detector.compare(reference, window);
    }
}
