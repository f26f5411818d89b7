package dev.seismo.benchmarks;

import dev.seismo.monitor.Inference;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorRegistry;
import dev.seismo.monitor.MonitorSnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The cost on the caller's thread of recording one inference, by schema width. Run with {@code -t 1} and
 * {@code -t 2} and {@code -prof gc} (docs/PERFORMANCE.md has the command and the results).
 *
 * <p>Shapes: {@code 0} is latency and outcome only; {@code 10} adds 10 numeric features; {@code 100+5} is 100
 * numeric and 5 categorical features. Values are drawn ahead of time so the benchmark measures recording, not the
 * random generator.
 *
 * <p>Two regimes. {@link #record} is a service whose aggregation keeps up: before each burst of {@value #BURST}
 * calls (fewer than a stripe holds) the buffer is drained outside the measured time, so every call takes the
 * normal path into the ring. {@link #recordSaturated} records in a tight loop, far faster than one thread can
 * sketch, so most calls find the buffer full and take the overflow path (features shed, counts exact); at teardown
 * it prints the share shed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordingBenchmark {

    @Param({"0", "10", "100+5"})
    public String shape;

    MonitorRegistry registry;
    ModelMonitor monitor;
    int numeric;
    int categorical;

    @Setup(Level.Trial)
    public void setUp() {
        numeric = switch (shape) {
            case "0" -> 0;
            case "10" -> 10;
            case "100+5" -> 100;
            default -> throw new IllegalArgumentException(shape);
        };
        categorical = shape.equals("100+5") ? 5 : 0;
        registry = MonitorRegistry.create();
        ModelMonitor.Builder builder = ModelMonitor.builder("bench-" + shape);
        for (int i = 0; i < numeric; i++) {
            builder.numericFeature("n" + i);
        }
        for (int i = 0; i < categorical; i++) {
            builder.categoricalFeature("c" + i);
        }
        monitor = builder.register(registry);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        MonitorSnapshot snapshot = monitor.snapshot();
        long shed = snapshot.windows().stream().mapToLong(w -> w.calls().shedRecords()).sum();
        long calls = snapshot.windows().stream().mapToLong(w -> w.calls().calls()).sum();
        System.out.printf("%n[%s] calls in held windows: %d, shed (features not profiled): %d (%.1f%%)%n",
                shape, calls, shed, calls == 0 ? 0.0 : 100.0 * shed / calls);
        registry.close();
    }

    /** One caller thread's reusable inference and pre-drawn values. */
    @State(Scope.Thread)
    public static class Caller {
        static final int ROWS = 1024;
        Inference inference;
        double[][] numericRows;
        Object[][] categoricalRows;
        long[] latencies;
        int row;

        @Setup(Level.Trial)
        public void setUp(RecordingBenchmark bench) {
            inference = bench.monitor.newInference();
            SplittableRandom random = new SplittableRandom(42);
            String[] categories = {"DE", "FR", "US", "GB", "NG", "BR", "IN", "JP"};
            numericRows = new double[ROWS][bench.numeric];
            categoricalRows = new Object[ROWS][bench.categorical];
            latencies = new long[ROWS];
            for (int r = 0; r < ROWS; r++) {
                for (int i = 0; i < bench.numeric; i++) {
                    numericRows[r][i] = random.nextGaussian() * 10 + i;
                }
                for (int i = 0; i < bench.categorical; i++) {
                    categoricalRows[r][i] = categories[random.nextInt(categories.length)];
                }
                latencies[r] = 200_000 + random.nextInt(2_000_000);
            }
        }
    }

    /** A caller whose buffer is drained before each burst, outside the measured time. */
    @State(Scope.Thread)
    public static class PacedCaller extends Caller {
        ModelMonitor monitor;

        @Setup(Level.Trial)
        public void remember(RecordingBenchmark bench) {
            monitor = bench.monitor;
        }

        /** As an aggregation that keeps up would. */
        @Setup(Level.Invocation)
        public void drain() {
            monitor.flush();
        }
    }

    /** Calls per measured burst in {@link #record}. */
    public static final int BURST = 128;

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void record(PacedCaller caller) {
        for (int i = 0; i < BURST; i++) {
            recordSaturated(caller);
        }
    }

    @Benchmark
    public void recordSaturated(Caller caller) {
        int r = caller.row = (caller.row + 1) & (Caller.ROWS - 1);
        Inference inference = caller.inference;
        if (numeric > 0) {
            inference.numeric(caller.numericRows[r]);
        }
        if (categorical > 0) {
            inference.categorical(caller.categoricalRows[r]);
        }
        monitor.record(inference.latency(caller.latencies[r]));
    }
}
