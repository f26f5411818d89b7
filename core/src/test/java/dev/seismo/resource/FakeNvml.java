package dev.seismo.resource;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake {@code libnvidia-ml} built from {@code src/test/c/fake_nvml.c} with the system's C compiler, once per test
 * JVM, and the control functions the tests set its state with. Each build gets its own file because JNA and the
 * dynamic linker keep one loaded library per path.
 */
final class FakeNvml {

    /** Relative to the core module, where Maven runs its tests. */
    private static final Path SOURCE = Path.of("src", "test", "c", "fake_nvml.c");

    private static FakeNvml full;
    private static FakeNvml withoutEnergy;
    private static FakeNvml withoutMemoryV2;
    private static Path directory;

    private final String path;
    private final Control control;

    private FakeNvml(Path library) {
        this.path = library.toAbsolutePath().toString();
        this.control = Native.load(path, Control.class);
    }

    /** The fake with every entry point {@link Nvml.Api} declares. */
    static synchronized FakeNvml full() {
        if (full == null) {
            full = new FakeNvml(compile("libfake-nvml.so"));
        }
        return full;
    }

    /** The fake built without {@code nvmlDeviceGetTotalEnergyConsumption}, as on a driver older than that call. */
    static synchronized FakeNvml withoutEnergy() {
        if (withoutEnergy == null) {
            withoutEnergy = new FakeNvml(compile("libfake-nvml-no-energy.so", "-DFAKE_NVML_NO_ENERGY"));
        }
        return withoutEnergy;
    }

    /** The fake built without {@code nvmlDeviceGetMemoryInfo_v2}, as on a driver older than that call. */
    static synchronized FakeNvml withoutMemoryV2() {
        if (withoutMemoryV2 == null) {
            withoutMemoryV2 = new FakeNvml(compile("libfake-nvml-no-memory-v2.so", "-DFAKE_NVML_NO_MEMORY_V2"));
        }
        return withoutMemoryV2;
    }

    /** The library's absolute path, for {@link NvmlGpuReader#NvmlGpuReader(String)}. */
    String path() {
        return path;
    }

    /** The fake's state, reset to no devices. */
    Control reset() {
        control.fake_nvml_reset();
        return control;
    }

    private static Path compile(String fileName, String... defines) {
        if (!Files.isRegularFile(SOURCE)) {
            throw new IllegalStateException("The fake NVML's source " + SOURCE.toAbsolutePath() + " is missing;"
                    + " run the tests from the core module (Maven does)");
        }
        List<String> command = new ArrayList<>(List.of("cc", "-shared", "-fPIC", "-O1"));
        command.addAll(List.of(defines));
        try {
            Path library = directory().resolve(fileName);
            command.addAll(List.of("-o", library.toString(), SOURCE.toString()));
            Process cc = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output;
            try (InputStream in = cc.getInputStream()) {
                output = new String(in.readAllBytes(), Charset.defaultCharset());
            }
            int status = cc.waitFor();
            if (status != 0) {
                throw new IllegalStateException("Building the fake NVML failed (" + String.join(" ", command)
                        + " exited with " + status + "):\n" + output);
            }
            library.toFile().deleteOnExit();
            return library;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot build the fake NVML that NvmlBindingTest loads: running 'cc'"
                    + " failed (" + e.getMessage() + "). Install a C compiler: Debian or Ubuntu 'apt-get install"
                    + " gcc libc6-dev', macOS 'xcode-select --install'; .ci/run installs them on CI.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while building the fake NVML", e);
        }
    }

    private static Path directory() throws IOException {
        if (directory == null) {
            directory = Files.createTempDirectory("seismo-fake-nvml-");
            // Registered before the files in it, so it is deleted after them.
            directory.toFile().deleteOnExit();
        }
        return directory;
    }

    /** The fake's control functions (see fake_nvml.c); indices are device indices. Public only because JNA proxies it. */
    public interface Control extends Library {
        void fake_nvml_reset();

        int fake_nvml_add_device(String name, String uuid);

        /**
         * NVML's units: percent, bytes, mW, mJ, degrees C. Unsigned C values travel in Java's signed types.
         * {@code usedBytes} is allocated memory, v2's used; v1 reports it plus the reserve.
         */
        int fake_nvml_set_readings(int index, int gpuPercent, int memoryPercent, long totalBytes, long freeBytes,
                                   long usedBytes, int milliwatts, long millijoules, int celsius);

        int fake_nvml_set_reserved(int index, long reservedBytes);

        int fake_nvml_add_process_sample(int index, int pid, long timestampMicros, int smPercent, int memPercent);

        int fake_nvml_add_arriving_sample(int index, int pid, long timestampMicros, int smPercent, int memPercent);

        int fake_nvml_fail(String function, int rc);

        int fake_nvml_fail_device(int index, String function, int rc);

        int fake_nvml_calls(String function);

        long fake_nvml_last_seen_timestamp(int index);

        int fake_nvml_initialized();
    }
}
