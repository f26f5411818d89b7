package dev.seismo.benchmarks;

import dev.seismo.cost.CostModel;
import dev.seismo.monitor.Inference;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorRegistry;
import dev.seismo.monitor.MonitorSnapshot;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.SplittableRandom;

/**
 * A monitor of one of four shapes, shared by the benchmark threads: {@code 0} is latency and outcome only;
 * {@code 10} adds 10 numeric features; {@code 100+5} is 100 numeric and 5 categorical features; {@code 10+cost} is
 * {@code 10} in a registry with a cost model, each call carrying token usage. At
 * teardown it prints how many records were shed because aggregation fell behind.
 */
@State(Scope.Benchmark)
public class MonitoredModel {

    /** Features per call; {@code 10+cost}: 10 numeric, and a cost model pricing each call's token usage. */
    @Param({"0", "10", "100+5", "10+cost"})
    public String shape;

    MonitorRegistry registry;
    ModelMonitor monitor;
    int numeric;
    int categorical;
    boolean priced;

    @Setup(Level.Trial)
    public void setUp() {
        numeric = switch (shape) {
            case "0" -> 0;
            case "10", "10+cost" -> 10;
            case "100+5" -> 100;
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        };
        categorical = shape.equals("100+5") ? 5 : 0;
        priced = shape.endsWith("+cost");
        registry = priced ? MonitorRegistry.builder().costModel(CostModel.builder().currency("USD")
                .inputPerMillionTokens(2.5).cachedInputPerMillionTokens(1.25).outputPerMillionTokens(10)
                .perCall(0.0001).instancePerHour(3).build()).build() : MonitorRegistry.create();
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

    /** Records the caller's next pre-drawn row: what a hot service does per call on the indexed fast path. */
    void record(Caller caller) {
        int r = caller.row = (caller.row + 1) & (Caller.ROWS - 1);
        Inference inference = caller.inference;
        if (numeric > 0) {
            inference.numeric(caller.numericRows[r]);
        }
        if (categorical > 0) {
            inference.categorical(caller.categoricalRows[r]);
        }
        if (priced) {
            inference.usage(caller.tokens[r], caller.tokens[r] >>> 2, caller.tokens[r] >>> 1);
        }
        monitor.record(inference.latency(caller.latencies[r]));
    }

    /**
     * One caller thread's reusable inference and pre-drawn values, so the benchmarks measure recording, not the
     * random generator.
     */
    @State(Scope.Thread)
    public static class Caller {
        static final int ROWS = 1024;
        Inference inference;
        double[][] numericRows;
        Object[][] categoricalRows;
        long[] latencies;
        long[] tokens;
        int row;

        @Setup(Level.Trial)
        public void setUp(MonitoredModel model) {
            inference = model.monitor.newInference();
            SplittableRandom random = new SplittableRandom(42);
            String[] categories = {"DE", "FR", "US", "GB", "NG", "BR", "IN", "JP"};
            numericRows = new double[ROWS][model.numeric];
            categoricalRows = new Object[ROWS][model.categorical];
            latencies = new long[ROWS];
            tokens = new long[ROWS];
            for (int r = 0; r < ROWS; r++) {
                for (int i = 0; i < model.numeric; i++) {
                    numericRows[r][i] = random.nextGaussian() * 10 + i;
                }
                for (int i = 0; i < model.categorical; i++) {
                    categoricalRows[r][i] = categories[random.nextInt(categories.length)];
                }
                latencies[r] = 200_000 + random.nextInt(2_000_000);
                tokens[r] = 100 + random.nextInt(2_000);
            }
        }
    }

    /** A caller whose monitor is drained before each invocation, outside the measured time. */
    @State(Scope.Thread)
    public static class PacedCaller extends Caller {
        private ModelMonitor monitor;

        @Setup(Level.Trial)
        public void remember(MonitoredModel model) {
            monitor = model.monitor;
        }

        /** As an aggregation that keeps up would. */
        @Setup(Level.Invocation)
        public void drain() {
            monitor.flush();
        }
    }
}
