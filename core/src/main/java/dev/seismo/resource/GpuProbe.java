package dev.seismo.resource;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Prints what Seismo reads from the GPUs, once a second, to check a GPU host by eye: under load utilization should
 * read near 100% and power rise; idle, near 0%.
 *
 * <pre>
 * java -cp seismo-core.jar:jna.jar:slf4j-api.jar dev.seismo.resource.GpuProbe [--count N] [--interval-ms MS]
 *     [--devices 0,GPU-5e0c...]
 * </pre>
 *
 * Each line is one GPU: index, name, utilization, memory used and installed, power, energy counter, the busy time
 * and energy of the last interval, temperature, and the processes the driver reports. {@code --count} stops after
 * that many readings (default: until interrupted). {@code --devices} reads only the GPUs named, by NVML index or
 * UUID, comma-separated, as {@link GpuSampler.Builder#devices(String...)} takes them. With no driver, no GPU, or a
 * selected GPU the host does not have, it prints one line saying why and exits with status 1.
 *
 * <p>Not thread-safe; a command.
 */
public final class GpuProbe {

    private GpuProbe() {
    }

    /** Runs the probe on NVML; see the class comment for the arguments. */
    public static void main(String[] args) {
        int status = run(args, System.out, GpuReader.nvml());
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out, GpuReader reader) {
        long count = Long.MAX_VALUE;
        long intervalMillis = 1000;
        GpuSampler.Builder builder = GpuSampler.builder().reader(reader);
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--count" -> count = positive("--count", args, ++i);
                    case "--interval-ms" -> intervalMillis = positive("--interval-ms", args, ++i);
                    case "--devices" -> devices(builder, value("--devices", args, ++i));
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                            + "'; usage: GpuProbe [--count N] [--interval-ms MS] [--devices 0,GPU-...]");
                }
            }
        } catch (IllegalArgumentException e) {
            out.println("GpuProbe: " + e.getMessage());
            return 2;
        }
        String[] notice = new String[1];
        try (GpuSampler sampler = builder.interval(Duration.ofMillis(Math.max(10, intervalMillis)))
                .notices(line -> notice[0] = line).build()) {
            for (long n = 0; n < count; n++) {
                if (n > 0) {
                    Thread.sleep(intervalMillis);
                }
                if (!sampler.sample()) {
                    out.println("GpuProbe: no GPU readings: " + sampler.unavailableReason().orElse(notice[0]));
                    return 1;
                }
                print(out, sampler.latest(), sampler.lastInterval());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static String value(String name, String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }

    private static void devices(GpuSampler.Builder builder, String list) {
        try {
            builder.devices(list.split(",", -1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--devices '" + list + "': " + e.getMessage(), e);
        }
    }

    private static long positive(String name, String[] args, int i) {
        String text = value(name, args, i);
        try {
            long v = Long.parseLong(text);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the setting's name
        }
        throw new IllegalArgumentException(name + " must be a positive whole number, was '" + text + "'");
    }

    private static void print(PrintStream out, List<GpuSample> samples, Optional<GpuInterval> last) {
        for (int k = 0; k < samples.size(); k++) {
            GpuSample s = samples.get(k);
            int position = k; // intervals list the same GPUs as the samples, in the same order
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "gpu %d %s util %5.1f%% mem %.2f/%.2f GiB power %s energy %s",
                    s.device().index(), s.device().name(), s.utilization() * 100,
                    s.memoryUsedBytes() / (double) (1L << 30), s.memoryTotalBytes() / (double) (1L << 30),
                    orNa(s.powerWatts(), "%.1f W"), orNa(s.energyJoules(), "%.1f J")));
            last.ifPresent(i -> {
                GpuInterval.Device d = i.devices().get(position);
                line.append(String.format(Locale.ROOT, " last %.2f s: busy %.3f s, %s", i.seconds(), d.busySeconds(),
                        orNa(d.energyJoules(), "%.1f J")));
            });
            line.append(" temp ").append(orNa(s.temperatureCelsius(), "%.0f C"));
            for (ProcessUtilization p : s.processes()) {
                line.append(String.format(Locale.ROOT, " pid %d sm %.0f%% mem %.0f%%", p.pid(),
                        p.smUtilization() * 100, p.memoryUtilization() * 100));
            }
            out.println(line);
        }
    }

    private static String orNa(double value, String format) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, format, value);
    }
}
