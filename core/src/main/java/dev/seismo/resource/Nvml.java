package dev.seismo.resource;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of NVML ({@code nvml.h}) Seismo calls, bound with JNA. Structs of one field type are passed as primitive
 * arrays ({@code nvmlUtilization_t} is two {@code unsigned int}s, {@code nvmlMemory_t} three {@code unsigned long
 * long}s), which JNA hands over as pointers; {@code nvmlMemory_v2_t}, which mixes an {@code unsigned int} with
 * {@code unsigned long long}s, is a native buffer read at its offsets. So no {@code Structure} reflection runs per
 * call. Unsigned values are read back with a mask.
 *
 * <p>Internal: not for use outside this package.
 */
final class Nvml {

    static final int SUCCESS = 0;
    static final int ERROR_NOT_SUPPORTED = 3;
    static final int ERROR_NO_PERMISSION = 4;
    static final int ERROR_NOT_FOUND = 6;
    static final int ERROR_INSUFFICIENT_SIZE = 7;
    static final int ERROR_FUNCTION_NOT_FOUND = 13;
    static final int ERROR_GPU_IS_LOST = 15;
    static final int ERROR_ARGUMENT_VERSION_MISMATCH = 25;
    static final int TEMPERATURE_GPU = 0;
    /** {@code NVML_DEVICE_NAME_V2_BUFFER_SIZE} and {@code NVML_DEVICE_UUID_V2_BUFFER_SIZE}. */
    static final int STRING_BUFFER_SIZE = 96;
    /** {@code sizeof(nvmlProcessUtilizationSample_t)}: pid (u32, then 4 bytes padding), timeStamp (u64), sm, mem, enc, dec (u32). */
    static final int PROCESS_SAMPLE_SIZE = 32;

    /**
     * {@code sizeof(nvmlMemory_v2_t)}: version (u32, then 4 bytes padding), total, reserved, free, used (u64 each at
     * offsets 8, 16, 24, 32).
     */
    static final int MEMORY_V2_SIZE = 40;
    /** {@code nvmlMemory_v2}, {@code NVML_STRUCT_VERSION(Memory, 2)}: the size, with the version in the top byte. */
    static final int MEMORY_V2_VERSION = MEMORY_V2_SIZE | (2 << 24);

    private static final String[] ERROR_NAMES = {
        "NVML_SUCCESS", "NVML_ERROR_UNINITIALIZED", "NVML_ERROR_INVALID_ARGUMENT", "NVML_ERROR_NOT_SUPPORTED",
        "NVML_ERROR_NO_PERMISSION", "NVML_ERROR_ALREADY_INITIALIZED", "NVML_ERROR_NOT_FOUND",
        "NVML_ERROR_INSUFFICIENT_SIZE", "NVML_ERROR_INSUFFICIENT_POWER", "NVML_ERROR_DRIVER_NOT_LOADED",
        "NVML_ERROR_TIMEOUT", "NVML_ERROR_IRQ_ISSUE", "NVML_ERROR_LIBRARY_NOT_FOUND", "NVML_ERROR_FUNCTION_NOT_FOUND",
        "NVML_ERROR_CORRUPTED_INFOROM", "NVML_ERROR_GPU_IS_LOST", "NVML_ERROR_RESET_REQUIRED",
        "NVML_ERROR_OPERATING_SYSTEM", "NVML_ERROR_LIB_RM_VERSION_MISMATCH", "NVML_ERROR_IN_USE", "NVML_ERROR_MEMORY",
        "NVML_ERROR_NO_DATA", "NVML_ERROR_VGPU_ECC_NOT_SUPPORTED", "NVML_ERROR_INSUFFICIENT_RESOURCES",
        "NVML_ERROR_FREQ_NOT_SUPPORTED", "NVML_ERROR_ARGUMENT_VERSION_MISMATCH", "NVML_ERROR_DEPRECATED",
        "NVML_ERROR_NOT_READY", "NVML_ERROR_GPU_NOT_FOUND", "NVML_ERROR_INVALID_STATE",
    };

    private Nvml() {
    }

    /** The library's name for JNA: {@code libnvidia-ml.so} on Linux, {@code nvml.dll} on Windows. */
    static String libraryName() {
        return Platform.isWindows() ? "nvml" : "nvidia-ml";
    }

    /** Loads {@code library}: a name JNA searches for, such as {@link #libraryName()}, or a file's absolute path. */
    static Api load(String library) {
        return Native.load(library, Api.class);
    }

    /** The return code's name as {@code nvml.h} spells it, with its number: {@code NVML_ERROR_GPU_IS_LOST (15)}. */
    static String errorName(int code) {
        String name = code >= 0 && code < ERROR_NAMES.length ? ERROR_NAMES[code]
                : code == 999 ? "NVML_ERROR_UNKNOWN" : "unknown NVML return code";
        return name + " (" + code + ")";
    }

    static Memory processSamples(int count) {
        return new Memory((long) Math.max(1, count) * PROCESS_SAMPLE_SIZE);
    }

    /** The NVML entry points, each returning an {@code nvmlReturn_t}. Public only because JNA proxies it. */
    public interface Api extends Library {
        int nvmlInit_v2();

        int nvmlShutdown();

        int nvmlDeviceGetCount_v2(IntByReference count);

        int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

        int nvmlDeviceGetName(Pointer device, byte[] name, int length);

        int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

        /** {@code utilization}: {gpu, memory} percent. */
        int nvmlDeviceGetUtilizationRates(Pointer device, int[] utilization);

        /** {@code memory}: {total, free, used} bytes; used counts reserved memory too. */
        int nvmlDeviceGetMemoryInfo(Pointer device, long[] memory);

        /** {@code memory}: an {@code nvmlMemory_v2_t}, its version set to {@link Nvml#MEMORY_V2_VERSION}. */
        int nvmlDeviceGetMemoryInfo_v2(Pointer device, Pointer memory);

        int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts);

        int nvmlDeviceGetTotalEnergyConsumption(Pointer device, LongByReference millijoules);

        int nvmlDeviceGetTemperature(Pointer device, int sensor, IntByReference celsius);

        int nvmlDeviceGetProcessUtilization(Pointer device, Pointer samples, IntByReference count,
                                            long lastSeenTimestamp);
    }
}
