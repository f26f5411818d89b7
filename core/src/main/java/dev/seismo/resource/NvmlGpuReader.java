package dev.seismo.resource;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads NVIDIA GPUs through NVML. Costs per {@link #read} measured on an H200 (FIELD-NOTES section 4): about 30 us
 * for utilization, memory, power and temperature, and 3.9 ms for the energy counter, which is why reads belong on
 * {@link GpuSampler}'s thread and never on a request's.
 *
 * <p><b>GPUs this process cannot open are skipped.</b> {@code nvmlDeviceGetCount_v2} counts every GPU in the host,
 * and on a shared one (cgroups, Slurm, containers) {@code nvmlDeviceGetHandleByIndex_v2} answers
 * {@code NVML_ERROR_NO_PERMISSION} for the GPUs given to others, as {@code nvml.h} documents. {@link #open} leaves
 * those out and also a GPU that answers {@code NVML_ERROR_GPU_IS_LOST} while it is opened (fallen off the bus: one
 * broken GPU should not hide the others); it says which in one log line, INFO, or WARN when a GPU is lost. The GPUs
 * listed keep NVML's index, so indices can have gaps, and {@code nvidia-smi -i} names the same GPU. When no GPU can
 * be opened, {@link #open} fails, naming each GPU's error. Any other error while opening (such as
 * {@code NVML_ERROR_INSUFFICIENT_POWER} or {@code NVML_ERROR_IRQ_ISSUE}, which NVML reports for the host's GPUs as a
 * whole) fails it too. A GPU lost after opening fails {@link #read}, as below.
 *
 * <p><b>Memory used is what {@code nvidia-smi} shows.</b> {@code nvmlDeviceGetMemoryInfo} counts the memory the
 * driver reserves for itself as used (several hundred MiB on an idle data-center GPU); {@code
 * nvmlDeviceGetMemoryInfo_v2} reports that apart, and its {@code used} is allocated memory only. The reader asks v2
 * and falls back to v1 for a GPU whose driver lacks v2 or answers {@code NVML_ERROR_NOT_SUPPORTED} or
 * {@code NVML_ERROR_ARGUMENT_VERSION_MISMATCH}; the choice is kept per GPU until the reader is opened again.
 *
 * <p>Power, energy, temperature and per-process utilization are optional: a board or driver that answers
 * {@code NVML_ERROR_NOT_SUPPORTED} or {@code NVML_ERROR_NO_PERMISSION} (or lacks the function) gives {@code NaN} or
 * an empty list for them. Any other error fails the read with the call and the error's name.
 *
 * <p>Not thread-safe: one thread opens, reads and closes it (it keeps, per GPU, the driver timestamp of the last
 * process sample seen and which memory call answers).
 */
final class NvmlGpuReader implements GpuReader {

    /** Process samples can appear between the sizing call and the filling one; a few retries absorb that. */
    private static final int PROCESS_SAMPLE_ATTEMPTS = 3;
    private static final int PROCESS_SAMPLE_SLACK = 8;

    private final String library;
    /** Where the line about skipped GPUs goes: the log, or a test's list. */
    private final Consumer<String> notices;
    private Nvml.Api nvml;
    /** Per NVML index; null for a GPU skipped at open. */
    private Pointer[] handles = new Pointer[0];
    private long[] lastProcessTimestamp = new long[0];
    /** Per NVML index: whether the GPU answers only nvmlDeviceGetMemoryInfo (v1). */
    private boolean[] memoryV1 = new boolean[0];
    /** One nvmlMemory_v2_t, reused by every read; allocated at open, so creating a reader loads nothing. */
    private Memory memoryV2;

    /** Reads through the driver's NVML, found where the system keeps libraries. */
    NvmlGpuReader() {
        this(Nvml.libraryName());
    }

    /** Reads through {@code library}, a name or an absolute path: tests load a fake NVML built from C this way. */
    NvmlGpuReader(String library) {
        this(library, null);
    }

    /** As {@link #NvmlGpuReader(String)}, handing the line about skipped GPUs to {@code notices} instead of the log. */
    NvmlGpuReader(String library, Consumer<String> notices) {
        this.library = library;
        this.notices = notices;
    }

    @Override
    public String name() {
        return "NVML";
    }

    @Override
    public List<GpuDevice> open() throws GpuException {
        if (nvml == null) {
            try {
                nvml = Nvml.load(library);
            } catch (LinkageError e) {
                throw new GpuException("NVML library '" + library + "' could not be loaded (no NVIDIA"
                        + " driver on this host?): " + firstLines(e.getMessage()), e);
            }
            int rc = nvml.nvmlInit_v2();
            if (rc != Nvml.SUCCESS) {
                nvml = null;
                throw failure("nvmlInit_v2", -1, rc);
            }
            memoryV2 = new Memory(Nvml.MEMORY_V2_SIZE);
        }
        IntByReference count = new IntByReference();
        check(nvml.nvmlDeviceGetCount_v2(count), "nvmlDeviceGetCount_v2", -1);
        int n = count.getValue();
        handles = new Pointer[n];
        lastProcessTimestamp = new long[n];
        memoryV1 = new boolean[n];
        List<GpuDevice> devices = new ArrayList<>(n);
        List<Skipped> skipped = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            GpuDevice device = openDevice(i, skipped);
            if (device != null) {
                devices.add(device);
            }
        }
        if (!skipped.isEmpty()) {
            reportSkipped(n, devices, skipped);
        }
        return List.copyOf(devices);
    }

    /** GPU {@code i}, or null when NVML answers that this process cannot open it, which is added to skipped. */
    private GpuDevice openDevice(int i, List<Skipped> skipped) throws GpuException {
        PointerByReference handle = new PointerByReference();
        byte[] name = new byte[Nvml.STRING_BUFFER_SIZE];
        byte[] uuid = new byte[Nvml.STRING_BUFFER_SIZE];
        String function = "nvmlDeviceGetHandleByIndex_v2";
        int rc = nvml.nvmlDeviceGetHandleByIndex_v2(i, handle);
        if (rc == Nvml.SUCCESS) {
            function = "nvmlDeviceGetName";
            rc = nvml.nvmlDeviceGetName(handle.getValue(), name, name.length);
        }
        if (rc == Nvml.SUCCESS) {
            function = "nvmlDeviceGetUUID";
            rc = nvml.nvmlDeviceGetUUID(handle.getValue(), uuid, uuid.length);
        }
        if (rc == Nvml.SUCCESS) {
            handles[i] = handle.getValue();
            return new GpuDevice(i, Native.toString(name), Native.toString(uuid));
        }
        if (rc == Nvml.ERROR_NO_PERMISSION || rc == Nvml.ERROR_GPU_IS_LOST) {
            skipped.add(new Skipped(i, function, rc));
            return null;
        }
        throw failure(function, i, rc);
    }

    /** A GPU left out at open, and why. */
    private record Skipped(int index, String function, int rc) {
        String describe() {
            return "GPU " + index + ": " + function + " failed: " + Nvml.errorName(rc)
                    + (rc == Nvml.ERROR_GPU_IS_LOST ? " (fallen off the bus)" : " (not this process's GPU)");
        }
    }

    /** One line when some GPUs open; a failure naming each error and the fix when none does. */
    private void reportSkipped(int count, List<GpuDevice> opened, List<Skipped> skipped) throws GpuException {
        boolean lost = skipped.stream().anyMatch(s -> s.rc == Nvml.ERROR_GPU_IS_LOST);
        String each = skipped.stream().map(Skipped::describe).collect(Collectors.joining("; "));
        if (opened.isEmpty()) {
            List<String> fixes = new ArrayList<>(2);
            if (skipped.stream().anyMatch(s -> s.rc == Nvml.ERROR_NO_PERMISSION)) {
                fixes.add("run it where a GPU is allocated to it (Slurm --gres=gpu, a container's --gpus) or give it"
                        + " access to that GPU's /dev/nvidia* device");
            }
            if (lost) {
                fixes.add("a lost GPU needs an operator (nvidia-smi -q, then a GPU reset or a reboot)");
            }
            throw new GpuException("NVML lists " + count + " GPU" + (count == 1 ? "" : "s") + " but this process can"
                    + " open none of them (" + skipped.size() + " skipped): " + each + "; " + String.join("; ", fixes));
        }
        String line = "NVML lists " + count + " GPUs; reading " + opened.stream().map(d -> "GPU " + d.index())
                .collect(Collectors.joining(", ")) + " and skipping " + skipped.size() + " this process cannot open: "
                + each;
        Notices.tell(notices, NvmlGpuReader.class, lost, line);
    }

    @Override
    public GpuSample read(GpuDevice device) throws GpuException {
        int i = device.index();
        if (nvml == null || i >= handles.length || handles[i] == null) {
            throw new GpuException("NVML is not open, or GPU " + i + " is not among the GPUs it opened; call open()"
                    + " first and read only the GPUs it lists");
        }
        Pointer h = handles[i];
        int[] utilization = new int[2];
        check(nvml.nvmlDeviceGetUtilizationRates(h, utilization), "nvmlDeviceGetUtilizationRates", i);
        long[] memory = memory(h, i);

        IntByReference milliwatts = new IntByReference();
        double watts = optional(() -> nvml.nvmlDeviceGetPowerUsage(h, milliwatts), "nvmlDeviceGetPowerUsage", i)
                ? Integer.toUnsignedLong(milliwatts.getValue()) / 1e3 : Double.NaN;
        LongByReference millijoules = new LongByReference();
        double joules = optional(() -> nvml.nvmlDeviceGetTotalEnergyConsumption(h, millijoules),
                "nvmlDeviceGetTotalEnergyConsumption", i) ? millijoules.getValue() / 1e3 : Double.NaN;
        IntByReference celsius = new IntByReference();
        double temperature = optional(() -> nvml.nvmlDeviceGetTemperature(h, Nvml.TEMPERATURE_GPU, celsius),
                "nvmlDeviceGetTemperature", i) ? Integer.toUnsignedLong(celsius.getValue()) : Double.NaN;

        return new GpuSample(device, Math.min(100, Integer.toUnsignedLong(utilization[0])) / 100.0, memory[0],
                memory[1], watts, joules, temperature, processes(h, i));
    }

    /**
     * {used, total} bytes: from {@code nvmlDeviceGetMemoryInfo_v2}, whose used leaves out the driver's reserve, or
     * from v1 for a GPU whose driver lacks v2, does not support it, or expects another struct version. Once v1 is
     * chosen for a GPU, v2 is not asked again: a missing function costs JNA a symbol lookup on every call.
     */
    private long[] memory(Pointer h, int i) throws GpuException {
        if (!memoryV1[i]) {
            memoryV2.setInt(0, Nvml.MEMORY_V2_VERSION);
            int rc = call(() -> nvml.nvmlDeviceGetMemoryInfo_v2(h, memoryV2));
            if (rc == Nvml.SUCCESS) {
                return new long[] {memoryV2.getLong(32), memoryV2.getLong(8)};
            }
            if (rc != Nvml.ERROR_FUNCTION_NOT_FOUND && rc != Nvml.ERROR_NOT_SUPPORTED
                    && rc != Nvml.ERROR_ARGUMENT_VERSION_MISMATCH) {
                throw failure("nvmlDeviceGetMemoryInfo_v2", i, rc);
            }
            memoryV1[i] = true;
        }
        long[] memory = new long[3];
        check(nvml.nvmlDeviceGetMemoryInfo(h, memory), "nvmlDeviceGetMemoryInfo", i);
        return new long[] {memory[2], memory[0]};
    }

    /**
     * NVML's two-call protocol: a call with no buffer answers {@code NVML_ERROR_INSUFFICIENT_SIZE} and the count
     * needed, then a call with a buffer of that size fills it. Only samples newer than the last one seen are asked
     * for, and a process's samples are averaged, so each read covers the time since the previous read.
     */
    private List<ProcessUtilization> processes(Pointer h, int i) throws GpuException {
        IntByReference count = new IntByReference(0);
        int rc = call(() -> nvml.nvmlDeviceGetProcessUtilization(h, null, count, lastProcessTimestamp[i]));
        for (int attempt = 0; attempt < PROCESS_SAMPLE_ATTEMPTS && rc == Nvml.ERROR_INSUFFICIENT_SIZE; attempt++) {
            int capacity = count.getValue() + PROCESS_SAMPLE_SLACK;
            Memory buffer = Nvml.processSamples(capacity);
            count.setValue(capacity);
            rc = nvml.nvmlDeviceGetProcessUtilization(h, buffer, count, lastProcessTimestamp[i]);
            if (rc == Nvml.SUCCESS) {
                return aggregate(buffer, Math.min(count.getValue(), capacity), i);
            }
        }
        if (rc == Nvml.SUCCESS || rc == Nvml.ERROR_NOT_FOUND || rc == Nvml.ERROR_INSUFFICIENT_SIZE
                || unsupported(rc)) {
            // SUCCESS with no buffer means no samples; NOT_FOUND means none since the last one seen.
            return List.of();
        }
        throw failure("nvmlDeviceGetProcessUtilization", i, rc);
    }

    private List<ProcessUtilization> aggregate(Memory buffer, int n, int i) {
        Map<Long, double[]> byPid = new LinkedHashMap<>(); // pid -> {sm sum, mem sum, samples}
        long newest = lastProcessTimestamp[i];
        for (int k = 0; k < n; k++) {
            long offset = (long) k * Nvml.PROCESS_SAMPLE_SIZE;
            long pid = Integer.toUnsignedLong(buffer.getInt(offset));
            newest = Math.max(newest, buffer.getLong(offset + 8));
            double[] acc = byPid.computeIfAbsent(pid, p -> new double[3]);
            acc[0] += Math.min(100, Integer.toUnsignedLong(buffer.getInt(offset + 16)));
            acc[1] += Math.min(100, Integer.toUnsignedLong(buffer.getInt(offset + 20)));
            acc[2]++;
        }
        lastProcessTimestamp[i] = newest;
        List<ProcessUtilization> out = new ArrayList<>(byPid.size());
        byPid.forEach((pid, acc) -> out.add(new ProcessUtilization(pid, acc[0] / acc[2] / 100, acc[1] / acc[2] / 100)));
        return List.copyOf(out);
    }

    @Override
    public void close() {
        if (nvml != null) {
            try {
                nvml.nvmlShutdown();
            } catch (RuntimeException | LinkageError e) {
                // Closing is best effort: the process is usually exiting, and there is nothing left to read.
            }
            nvml = null;
            handles = new Pointer[0];
            memoryV1 = new boolean[0];
        }
    }

    /** Calls an optional reading: true if it succeeded, false if the device or driver does not offer it. */
    private static boolean optional(NvmlCall call, String function, int device) throws GpuException {
        int rc = call(call);
        if (rc == Nvml.SUCCESS) {
            return true;
        }
        if (unsupported(rc)) {
            return false;
        }
        throw failure(function, device, rc);
    }

    /** An older driver may lack a function; JNA says so with an UnsatisfiedLinkError when it is first called. */
    private static int call(NvmlCall call) {
        try {
            return call.invoke();
        } catch (UnsatisfiedLinkError e) {
            return Nvml.ERROR_FUNCTION_NOT_FOUND;
        }
    }

    private static boolean unsupported(int rc) {
        return rc == Nvml.ERROR_NOT_SUPPORTED || rc == Nvml.ERROR_NO_PERMISSION || rc == Nvml.ERROR_FUNCTION_NOT_FOUND;
    }

    private static void check(int rc, String function, int device) throws GpuException {
        if (rc != Nvml.SUCCESS) {
            throw failure(function, device, rc);
        }
    }

    private static GpuException failure(String function, int device, int rc) {
        return new GpuException(function + (device >= 0 ? " for GPU " + device : "") + " failed: "
                + Nvml.errorName(rc));
    }

    /** JNA's first line says what failed and its second why; the rest lists every path it tried. */
    private static String firstLines(String message) {
        if (message == null) {
            return "no reason given";
        }
        String[] lines = message.split("\n", 3);
        return lines.length > 1 && lines[0].endsWith(":") ? lines[0] + " " + lines[1].strip() : lines[0];
    }

    @FunctionalInterface
    private interface NvmlCall {
        int invoke();
    }
}
