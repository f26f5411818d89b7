package dev.seismo.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The cost on the caller's thread of recording one inference, by schema width ({@link MonitoredModel}). Run with
 * {@code -t 1} and {@code -t 2} and {@code -prof gc} (docs/PERFORMANCE.md has the command and the results).
 *
 * <p>Two regimes. {@link #record} is a service whose aggregation keeps up: before each burst of {@value #BURST}
 * calls (fewer than a stripe holds) the buffer is drained outside the measured time, so every call takes the
 * normal path into the ring. {@link #recordSaturated} records in a tight loop, far faster than one thread can
 * sketch, so most calls find the buffer full and take the overflow path (features shed, counts exact).
 * {@link ModelCallBenchmark} measures recording beside a model call instead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordingBenchmark {

    /** Calls per measured burst in {@link #record}. */
    public static final int BURST = 128;

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void record(MonitoredModel model, MonitoredModel.PacedCaller caller) {
        for (int i = 0; i < BURST; i++) {
            model.record(caller);
        }
    }

    @Benchmark
    public void recordSaturated(MonitoredModel model, MonitoredModel.Caller caller) {
        model.record(caller);
    }
}
