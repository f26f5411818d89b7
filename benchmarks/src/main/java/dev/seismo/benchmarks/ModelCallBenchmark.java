package dev.seismo.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Recording beside a model call, as a service meets it: each operation burns {@code modelTokens} of CPU (a stand-in
 * for a fast model, slow enough that the background aggregation keeps up) and records the call. The cost of
 * recording is {@code modelAndRecord - modelOnly}. Unlike {@link RecordingBenchmark#record}, this includes the
 * record buffer's cache lines travelling between the caller's core and the aggregation thread's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ModelCallBenchmark {

    @Param({"4000"})
    public long modelTokens;

    @Benchmark
    public void modelOnly() {
        Blackhole.consumeCPU(modelTokens);
    }

    @Benchmark
    public void modelAndRecord(MonitoredModel model, MonitoredModel.Caller caller) {
        Blackhole.consumeCPU(modelTokens);
        model.record(caller);
    }
}
