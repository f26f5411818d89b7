package dev.seismo.cli;

import dev.seismo.cost.CostModel;
import dev.seismo.drift.DriftConfig;
import dev.seismo.monitor.DriftEvent;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorRegistry;
import dev.seismo.monitor.MonitorSnapshot;
import dev.seismo.monitor.Window;
import dev.seismo.profile.CallStats;
import dev.seismo.profile.NumericProfile;
import dev.seismo.resource.GpuSampler;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seismo demo}: a fraud model served by a few threads for some seconds, monitored as a user would monitor
 * theirs. Its first windows become the drift reference; halfway through, the traffic shifts, and the window lines
 * and drift events show it. GPUs are read through NVML when there are any.
 */
@Command(name = "demo",
        description = {"Runs a simulated model service with Seismo for a few seconds and prints each window:",
                "calls, errors, latency, cost, and drift against a reference bootstrapped from the first windows."})
final class DemoCommand implements Callable<Integer> {

    private static final String[] COUNTRIES = {"DE", "FR", "US", "GB"};

    @Spec
    private CommandSpec spec;

    @Option(names = "--seconds", paramLabel = "<n>", defaultValue = "12",
            description = "How long to run, at least 6 (default 12).")
    private int seconds;

    @Option(names = "--threads", paramLabel = "<n>", defaultValue = "4",
            description = "Caller threads (default 4).")
    private int threads;

    @Override
    public Integer call() throws InterruptedException {
        if (seconds < 6 || threads < 1 || threads > 64) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--seconds must be at least 6 and --threads in 1..64");
        }
        PrintWriter out = spec.commandLine().getOut();
        CostModel prices = CostModel.builder().currency("USD").perCall(0.00002).instancePerHour(3.06)
                .gpuPerHour(4.0).energyPerKwh(0.15).carbonGramsPerKwh(380).build();
        ModelMonitor monitor;
        String gpus;
        // The least lateness a 1 s GPU sampler and the 100 ms aggregation allow (the demo's calls are short), so
        // costs reach the 1 s windows while the demo runs.
        try (MonitorRegistry registry = MonitorRegistry.builder().costModel(prices).gpu(GpuSampler.start())
                .attributionLateness(Duration.ofMillis(1_100)).build()) {
            monitor = ModelMonitor.builder("demo-fraud").version("1")
                    .numericFeature("amount").categoricalFeature("country").numericOutput("score")
                    .windowDuration(Duration.ofSeconds(1))
                    .bootstrapReference(2)
                    .drift(DriftConfig.defaults())
                    .listener((m, w) -> print(out, w))
                    .driftListener(e -> print(out, e))
                    .register(registry);
            out.printf("seismo demo: %d threads calling model %s:%s for %d s; traffic shifts after %d s%n",
                    threads, monitor.name(), monitor.version(), seconds, seconds / 2);
            out.flush();
            long start = System.nanoTime();
            long shiftAt = start + TimeUnit.SECONDS.toNanos(seconds / 2);
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread caller = new Thread(() -> serve(monitor, shiftAt, end), "demo-caller-" + t);
                caller.start();
                callers.add(caller);
            }
            for (Thread caller : callers) {
                caller.join();
            }
            gpus = registry.gpu().flatMap(GpuSampler::unavailableReason).orElse("read");
        }
        // After close: the registry has closed the last window and settled every call's cost.
        MonitorSnapshot last = monitor.snapshot();
        out.printf(Locale.ROOT, "%d calls recorded; %d windows kept; GPUs: %s%n",
                last.lifetimeCalls(), last.closed().size(), gpus);
        out.flush();
        return 0;
    }

    /** One caller thread: a model that takes about 0.2 ms and fails 1 call in 100. */
    private static void serve(ModelMonitor monitor, long shiftAt, long end) {
        SplittableRandom random = new SplittableRandom(ThreadLocalRandom.current().nextLong());
        while (System.nanoTime() < end) {
            boolean shifted = System.nanoTime() > shiftAt;
            double amount = Math.exp(random.nextGaussian() + (shifted ? 4.6 : 4));
            String country = shifted && random.nextInt(4) == 0 ? "NG" : COUNTRIES[random.nextInt(COUNTRIES.length)];
            try {
                monitor.observe(Map.of("amount", amount, "country", country), () -> {
                    LockSupport.parkNanos(200_000);
                    if (random.nextInt(100) == 0) {
                        throw new IllegalStateException("model timed out");
                    }
                    return Math.min(1, amount / 500);
                }, (score, call) -> call.set("score", score));
            } catch (IllegalStateException expected) {
                // the model's failure: recorded as an error, and the service would answer with a fallback
            }
        }
    }

    private static synchronized void print(PrintWriter out, Window w) {
        CallStats calls = w.calls();
        NumericProfile cost = w.profile().numeric(ModelMonitor.COST);
        String drift = w.drift().map(r -> r.driftedFeatures().isEmpty() ? "none" : String.join(", ",
                r.driftedFeatures())).orElse("(reference)");
        out.printf(Locale.ROOT, "window %2d  %s  calls %6d  errors %4.1f%%  p50 %5.2f ms  p99 %5.2f ms"
                        + "  cost %.4f USD  drifted: %s%n",
                w.sequence(), w.start().toString().substring(11, 19), calls.calls(),
                calls.calls() == 0 ? 0 : 100.0 * calls.errors() / calls.calls(),
                calls.successLatency().getValueAtPercentile(50) / 1e6,
                calls.successLatency().getValueAtPercentile(99) / 1e6,
                cost.count() == 0 ? 0 : cost.mean() * cost.count(), drift);
        out.flush();
    }

    private static synchronized void print(PrintWriter out, DriftEvent e) {
        out.printf("  drift %s: %s%n", e.change() == DriftEvent.Change.STARTED ? "started" : "ended",
                e.isDataset() ? "the dataset" : e.feature());
        out.flush();
    }
}
