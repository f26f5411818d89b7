package dev.seismo.benchmarks;

import dev.seismo.monitor.Inference;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorRegistry;
import dev.seismo.monitor.Window;
import dev.seismo.privacy.HashKey;
import dev.seismo.privacy.Protection;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileBuilder;
import dev.seismo.schema.Schema;
import dev.seismo.snapshot.SnapshotPublisher;
import dev.seismo.snapshot.SnapshotSink;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * An endurance run outside the unit suite: recording threads at a steady rate through the three recording paths
 * (scopes, {@code observe}, reused inferences), windows closing every 5 s and compared with a reference, a hashed
 * feature, snapshots written to a directory and a reader taking {@code snapshot()} every second. Every 10 s it
 * collects garbage and samples the heap in use and the live threads.
 *
 * <p>It passes (exit 0) when no call is lost (the closed windows count exactly the calls made), the heap after GC in
 * the last minute is within 5% of minute 1's, and no thread was added after minute 1. Command and last figures:
 * {@code docs/RELIABILITY.md}.
 *
 * <pre>{@code
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar dev.seismo.benchmarks.Soak [minutes=6] [callsPerSecond=20000]
 * }</pre>
 */
public final class Soak {

    private static final int THREADS = 4;
    private static final long SAMPLE_SECONDS = 10;

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        if (minutes < 3) {
            throw new IllegalArgumentException("run at least 3 minutes: minute 0 warms up, minute 1 is the baseline");
        }
        Path snapshots = Files.createTempDirectory("seismo-soak");
        HashKey key = HashKey.of("soak-test-key-0123456789abcdef");
        AtomicLong counted = new AtomicLong();
        MonitorRegistry registry = MonitorRegistry.builder().hashKey(key).build();
        SnapshotPublisher publisher = SnapshotPublisher.to(pruning(SnapshotSink.directory(snapshots), snapshots))
                .replicaId("soak").build();
        registry.addObserver(publisher);
        ModelMonitor monitor = ModelMonitor.builder("soak").version("1")
                .numericFeature("amount").numericFeature("age").categoricalFeature("country")
                .categoricalFeature("email", Protection.HASHED).numericOutput("score")
                .windowDuration(Duration.ofSeconds(5)).windowHistory(6)
                .reference(reference(key))
                .listener((m, w) -> counted.addAndGet(w.calls().calls()))
                .register(registry);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong made = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int path = t % 3;
            long seed = t;
            Thread thread = new Thread(() -> record(monitor, path, seed, rate / THREADS, stop, made), "soak-" + t);
            threads.add(thread);
        }
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                monitor.snapshot();
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        }, "soak-reader");
        threads.add(reader);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        List<double[]> samples = new ArrayList<>(); // {second, heap MB, threads, calls made}
        System.out.printf(Locale.ROOT, "soak: %d min at %d calls/s on %d threads, heap max %d MB%n", minutes, rate,
                THREADS, memory.getHeapMemoryUsage().getMax() >> 20);
        System.out.println("second  heap-after-gc-MB  threads  calls");
        for (long s = SAMPLE_SECONDS; s <= minutes * 60L; s += SAMPLE_SECONDS) {
            long due = start + TimeUnit.SECONDS.toNanos(s);
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(due - System.nanoTime());
            }
            System.gc();
            System.gc();
            double heap = memory.getHeapMemoryUsage().getUsed() / 1048576.0;
            int live = threadBean.getThreadCount();
            samples.add(new double[] {s, heap, live, made.get()});
            System.out.printf(Locale.ROOT, "%6d  %16.2f  %7d  %d%n", s, heap, live, made.get());
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        registry.close();
        SnapshotPublisher.Stats stats = publisher.stats();
        deleteAll(snapshots);

        double minute1 = mean(samples, 60, 120);
        double last = mean(samples, minutes * 60 - 60 + 1, minutes * 60 + 1);
        double maxAfter1 = samples.stream().filter(x -> x[0] >= 60).mapToDouble(x -> x[1]).max().orElse(0);
        double drift = (last - minute1) / minute1;
        int threads1 = (int) samples.stream().filter(x -> x[0] >= 60).mapToDouble(x -> x[2]).min().orElse(0);
        int threadsMax = (int) samples.stream().filter(x -> x[0] >= 60).mapToDouble(x -> x[2]).max().orElse(0);
        long lost = made.get() - counted.get();
        System.out.printf(Locale.ROOT, "calls made %d (%.0f/s), counted in windows %d, lost %d%n", made.get(),
                made.get() / seconds, counted.get(), lost);
        System.out.printf(Locale.ROOT, "heap after GC: minute 1 mean %.2f MB, last minute mean %.2f MB, drift %+.2f%%,"
                + " max after minute 1 %.2f MB%n", minute1, last, 100 * drift, maxAfter1);
        System.out.printf(Locale.ROOT, "threads after minute 1: min %d, max %d%n", threads1, threadsMax);
        System.out.printf(Locale.ROOT, "snapshots delivered %d, dropped %d%n", stats.delivered(), stats.dropped());
        boolean ok = lost == 0 && Math.abs(drift) <= 0.05 && threadsMax == threads1;
        System.out.println(ok ? "PASS" : "FAIL");
        System.exit(ok ? 0 : 1);
    }

    private static void record(ModelMonitor monitor, int path, long seed, int perSecond, AtomicBoolean stop,
                               AtomicLong made) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] countries = {"DE", "FR", "US", "NG", "BR", "IN", "JP"};
        Inference reused = monitor.newInference();
        long tickNanos = TimeUnit.MILLISECONDS.toNanos(10);
        int perTick = Math.max(1, perSecond / 100);
        long next = System.nanoTime();
        Map<String, Object> features = new HashMap<>();
        while (!stop.get()) {
            for (int i = 0; i < perTick; i++) {
                double amount = random.nextDouble() * 100;
                String country = countries[random.nextInt(countries.length)];
                String email = "user" + random.nextInt(50_000) + "@example.com";
                switch (path) {
                    case 0 -> {
                        try (Inference call = monitor.start()) {
                            call.set("amount", amount).set("age", 20 + random.nextInt(60)).set("country", country)
                                    .set("email", email).set("score", random.nextDouble());
                        }
                    }
                    case 1 -> {
                        features.put("amount", amount);
                        features.put("age", 20 + random.nextInt(60));
                        features.put("country", country);
                        features.put("email", email);
                        monitor.observe(features, () -> 1);
                    }
                    default -> {
                        reused.numeric(0, amount).numeric(1, 20 + random.nextInt(60)).numeric(2, random.nextDouble())
                                .categorical(0, country).categorical(1, email).latency(1_000_000);
                        monitor.record(reused);
                    }
                }
                made.incrementAndGet();
            }
            next += tickNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private static Profile reference(HashKey key) {
        Schema schema = Schema.builder().numericInput("amount").numericInput("age").categoricalInput("country")
                .categoricalInput("email", Protection.HASHED).numericOutput("score").build();
        ProfileBuilder b = ProfileBuilder.forSchema(schema).hashKey(key).model("soak").version("1");
        SplittableRandom random = new SplittableRandom(99);
        String[] countries = {"DE", "FR", "US", "NG", "BR", "IN", "JP"};
        for (int i = 0; i < 20_000; i++) {
            b.add(Map.of("amount", random.nextDouble() * 100, "age", 20 + random.nextInt(60),
                    "country", countries[random.nextInt(countries.length)],
                    "email", "user" + random.nextInt(50_000) + "@example.com", "score", random.nextDouble()));
        }
        return b.build();
    }

    /** Writes through the directory sink, keeping the newest 20 files so the disk does not fill. */
    private static SnapshotSink pruning(SnapshotSink sink, Path root) {
        return snapshot -> {
            sink.write(snapshot);
            try (Stream<Path> files = Files.walk(root)) {
                List<Path> all = files.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString))
                        .toList();
                for (int i = 0; i < all.size() - 20; i++) {
                    Files.deleteIfExists(all.get(i));
                }
            }
        };
    }

    private static double mean(List<double[]> samples, double fromSecond, double toSecond) {
        return samples.stream().filter(x -> x[0] >= fromSecond && x[0] < toSecond).mapToDouble(x -> x[1])
                .average().orElse(Double.NaN);
    }

    private static void deleteAll(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
