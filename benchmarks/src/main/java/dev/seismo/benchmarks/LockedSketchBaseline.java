package dev.seismo.benchmarks;

import org.apache.datasketches.kll.KllDoublesSketch;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The design Seismo avoids, for comparison with {@link RecordingBenchmark}: one KLL sketch per feature updated on
 * the caller's thread behind a lock. Run with {@code -t 1} and {@code -t 2} to see what contention does to it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LockedSketchBaseline {

    @Param({"10"})
    public int features;

    KllDoublesSketch[] sketches;
    double[] values;

    @Setup(Level.Trial)
    public void setUp() {
        sketches = new KllDoublesSketch[features];
        for (int i = 0; i < features; i++) {
            sketches[i] = KllDoublesSketch.newHeapInstance(256);
        }
        SplittableRandom random = new SplittableRandom(42);
        values = new double[1024];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
    }

    @Benchmark
    public void updateUnderLock() {
        int r = (int) (Thread.currentThread().getId() * 31) & 1023;
        synchronized (this) {
            for (int i = 0; i < features; i++) {
                sketches[i].update(values[(r + i) & 1023]);
            }
        }
    }
}
