/*
 * A fake libnvidia-ml for NvmlBindingTest: the NVML entry points Seismo binds (Nvml.Api), with nvml.h's signatures,
 * struct layouts and return codes, answering from state that the test sets through the fake_nvml_* functions below.
 * It lets the Java binding run through real JNA marshalling on a host without an NVIDIA GPU.
 *
 * Build: cc -shared -fPIC -O1 -o libfake-nvml.so fake_nvml.c
 * -DFAKE_NVML_NO_ENERGY leaves out nvmlDeviceGetTotalEnergyConsumption, as a driver older than the function does.
 * -DFAKE_NVML_NO_MEMORY_V2 leaves out nvmlDeviceGetMemoryInfo_v2, likewise.
 *
 * Like NVML, every device call checks that nvmlInit_v2 succeeded and that the handle is one this library handed out,
 * so a pointer marshalled wrongly fails the call instead of reading garbage.
 */
#include <stddef.h>
#include <string.h>

/* nvml.h's enums, with the values this fake answers with; any other code comes from the test through fake_nvml_fail. */
typedef enum nvmlReturn_enum {
    NVML_SUCCESS = 0,
    NVML_ERROR_UNINITIALIZED = 1,
    NVML_ERROR_INVALID_ARGUMENT = 2,
    NVML_ERROR_NOT_FOUND = 6,
    NVML_ERROR_INSUFFICIENT_SIZE = 7,
    NVML_ERROR_ARGUMENT_VERSION_MISMATCH = 25,
    NVML_ERROR_UNKNOWN = 999
} nvmlReturn_t;

typedef enum nvmlTemperatureSensors_enum {
    NVML_TEMPERATURE_GPU = 0,
    NVML_TEMPERATURE_COUNT
} nvmlTemperatureSensors_t;

/* nvml.h: opaque handle and the structs Seismo reads. */
typedef struct nvmlDevice_st *nvmlDevice_t;

typedef struct nvmlUtilization_st {
    unsigned int gpu;
    unsigned int memory;
} nvmlUtilization_t;

/* v1: used is the driver's reserve plus allocated memory. */
typedef struct nvmlMemory_st {
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
} nvmlMemory_t;

/* v2: the reserve apart; used is allocated memory only, as nvidia-smi shows it. */
typedef struct nvmlMemory_v2_st {
    unsigned int version;
    unsigned long long total;
    unsigned long long reserved;
    unsigned long long free;
    unsigned long long used;
} nvmlMemory_v2_t;

#define NVML_STRUCT_VERSION(data, ver) (unsigned int)(sizeof(nvml ## data ## _v ## ver ## _t) | (ver << 24U))
#define nvmlMemory_v2 NVML_STRUCT_VERSION(Memory, 2)

typedef struct nvmlProcessUtilizationSample_st {
    unsigned int pid;
    unsigned long long timeStamp;
    unsigned int smUtil;
    unsigned int memUtil;
    unsigned int encUtil;
    unsigned int decUtil;
} nvmlProcessUtilizationSample_t;

/* The layout Nvml.PROCESS_SAMPLE_SIZE and NvmlGpuReader's offsets assume (LP64 and LLP64 alike). */
_Static_assert(sizeof(nvmlProcessUtilizationSample_t) == 32, "nvmlProcessUtilizationSample_t is 32 bytes");
_Static_assert(offsetof(nvmlProcessUtilizationSample_t, timeStamp) == 8, "timeStamp follows 4 bytes of padding");
_Static_assert(offsetof(nvmlProcessUtilizationSample_t, smUtil) == 16, "smUtil at 16");
_Static_assert(offsetof(nvmlProcessUtilizationSample_t, memUtil) == 20, "memUtil at 20");
_Static_assert(sizeof(nvmlMemory_t) == 24, "nvmlMemory_t is three unsigned long longs");
/* The layout Nvml.MEMORY_V2_SIZE and MEMORY_V2_VERSION and NvmlGpuReader's offsets assume. */
_Static_assert(sizeof(nvmlMemory_v2_t) == 40, "nvmlMemory_v2_t is 40 bytes");
_Static_assert(offsetof(nvmlMemory_v2_t, total) == 8, "total follows the version and 4 bytes of padding");
_Static_assert(offsetof(nvmlMemory_v2_t, used) == 32, "used at 32");
_Static_assert(nvmlMemory_v2 == 0x02000028, "nvmlMemory_v2 is 40 | 2 << 24");

#define MAX_DEVICES 4
#define MAX_SAMPLES 256
#define STRING_SIZE 96

enum function {
    F_INIT, F_SHUTDOWN, F_COUNT, F_HANDLE, F_NAME, F_UUID, F_UTILIZATION, F_MEMORY, F_MEMORY_V2, F_POWER, F_ENERGY,
    F_TEMPERATURE, F_PROCESSES, F_FUNCTIONS
};

static const char *const FUNCTION_NAMES[F_FUNCTIONS] = {
    "nvmlInit_v2", "nvmlShutdown", "nvmlDeviceGetCount_v2", "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetName",
    "nvmlDeviceGetUUID", "nvmlDeviceGetUtilizationRates", "nvmlDeviceGetMemoryInfo", "nvmlDeviceGetMemoryInfo_v2",
    "nvmlDeviceGetPowerUsage", "nvmlDeviceGetTotalEnergyConsumption", "nvmlDeviceGetTemperature",
    "nvmlDeviceGetProcessUtilization",
};

struct nvmlDevice_st {
    char name[STRING_SIZE];
    char uuid[STRING_SIZE];
    nvmlUtilization_t utilization;
    unsigned long long memory_total;
    unsigned long long memory_reserved;
    unsigned long long memory_free;
    unsigned long long memory_allocated;
    unsigned int milliwatts;
    unsigned long long millijoules;
    unsigned int celsius;
    nvmlProcessUtilizationSample_t samples[MAX_SAMPLES];
    unsigned int sample_count;
    /* Published right after the next sizing call, so the filling call finds more samples than were counted. */
    nvmlProcessUtilizationSample_t arriving[MAX_SAMPLES];
    unsigned int arriving_count;
    unsigned long long last_seen;
    /* Failures set for this device only, as NO_PERMISSION for a GPU given to another job. */
    nvmlReturn_t failures[F_FUNCTIONS];
};

static struct nvmlDevice_st devices[MAX_DEVICES];
static unsigned int device_count;
static int initialized;
static nvmlReturn_t failures[F_FUNCTIONS];
static int calls[F_FUNCTIONS];

static int function_index(const char *name) {
    for (int f = 0; f < F_FUNCTIONS; f++) {
        if (strcmp(FUNCTION_NAMES[f], name) == 0) {
            return f;
        }
    }
    return -1;
}

/*
 * Counts the call and answers the failure set for it, or checks initialization and the handle, then answers the
 * failure set for that device.
 */
static nvmlReturn_t enter(enum function f, nvmlDevice_t device) {
    calls[f]++;
    if (failures[f] != NVML_SUCCESS) {
        return failures[f];
    }
    if (!initialized) {
        return NVML_ERROR_UNINITIALIZED;
    }
    if (device != NULL && (device < devices || device >= devices + device_count)) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    return device != NULL ? device->failures[f] : NVML_SUCCESS;
}

static nvmlReturn_t copy_string(const char *value, char *out, unsigned int length) {
    if (out == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    if (strlen(value) + 1 > length) {
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    strcpy(out, value);
    return NVML_SUCCESS;
}

/* ---- NVML entry points (nvml.h signatures) ---- */

nvmlReturn_t nvmlInit_v2(void) {
    calls[F_INIT]++;
    if (failures[F_INIT] != NVML_SUCCESS) {
        return failures[F_INIT];
    }
    initialized = 1;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlShutdown(void) {
    nvmlReturn_t rc = enter(F_SHUTDOWN, NULL);
    if (rc == NVML_SUCCESS) {
        initialized = 0;
    }
    return rc;
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
    nvmlReturn_t rc = enter(F_COUNT, NULL);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    if (count == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    *count = device_count;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
    nvmlReturn_t rc = enter(F_HANDLE, NULL);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    if (index >= device_count || device == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    if (devices[index].failures[F_HANDLE] != NVML_SUCCESS) {
        return devices[index].failures[F_HANDLE];
    }
    *device = &devices[index];
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
    nvmlReturn_t rc = enter(F_NAME, device);
    return rc != NVML_SUCCESS ? rc : copy_string(device->name, name, length);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
    nvmlReturn_t rc = enter(F_UUID, device);
    return rc != NVML_SUCCESS ? rc : copy_string(device->uuid, uuid, length);
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization) {
    nvmlReturn_t rc = enter(F_UTILIZATION, device);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    if (utilization == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    *utilization = device->utilization;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory) {
    nvmlReturn_t rc = enter(F_MEMORY, device);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    if (memory == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    memory->total = device->memory_total;
    memory->free = device->memory_free;
    memory->used = device->memory_reserved + device->memory_allocated;
    return NVML_SUCCESS;
}

#ifndef FAKE_NVML_NO_MEMORY_V2
/* Like NVML, answers ARGUMENT_VERSION_MISMATCH unless the caller set version to nvmlMemory_v2 exactly. */
nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t device, nvmlMemory_v2_t *memory) {
    nvmlReturn_t rc = enter(F_MEMORY_V2, device);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    if (memory == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    if (memory->version != nvmlMemory_v2) {
        return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
    }
    memory->total = device->memory_total;
    memory->reserved = device->memory_reserved;
    memory->free = device->memory_free;
    memory->used = device->memory_allocated;
    return NVML_SUCCESS;
}
#endif

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *power) {
    nvmlReturn_t rc = enter(F_POWER, device);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    if (power == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    *power = device->milliwatts;
    return NVML_SUCCESS;
}

#ifndef FAKE_NVML_NO_ENERGY
nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long *energy) {
    nvmlReturn_t rc = enter(F_ENERGY, device);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    if (energy == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    *energy = device->millijoules;
    return NVML_SUCCESS;
}
#endif

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, nvmlTemperatureSensors_t sensorType, unsigned int *temp) {
    nvmlReturn_t rc = enter(F_TEMPERATURE, device);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    if (sensorType != NVML_TEMPERATURE_GPU || temp == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    *temp = device->celsius;
    return NVML_SUCCESS;
}

/*
 * nvml.h's protocol: with utilization NULL, answer INSUFFICIENT_SIZE and the number of samples newer than
 * lastSeenTimeStamp; with a buffer, *processSamplesCount is its size in entries: too small answers INSUFFICIENT_SIZE
 * and the count needed, else the samples are written and the count set to how many. No newer sample: NOT_FOUND.
 */
nvmlReturn_t nvmlDeviceGetProcessUtilization(nvmlDevice_t device, nvmlProcessUtilizationSample_t *utilization,
                                             unsigned int *processSamplesCount, unsigned long long lastSeenTimeStamp) {
    nvmlReturn_t rc = enter(F_PROCESSES, device);
    if (rc != NVML_SUCCESS) {
        return rc;
    }
    if (processSamplesCount == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    device->last_seen = lastSeenTimeStamp;
    unsigned int newer = 0;
    for (unsigned int i = 0; i < device->sample_count; i++) {
        if (device->samples[i].timeStamp > lastSeenTimeStamp) {
            newer++;
        }
    }
    if (newer == 0) {
        return NVML_ERROR_NOT_FOUND;
    }
    if (utilization == NULL || *processSamplesCount < newer) {
        *processSamplesCount = newer;
        if (utilization == NULL) {
            for (unsigned int i = 0; i < device->arriving_count && device->sample_count < MAX_SAMPLES; i++) {
                device->samples[device->sample_count++] = device->arriving[i];
            }
            device->arriving_count = 0;
        }
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    unsigned int written = 0;
    for (unsigned int i = 0; i < device->sample_count; i++) {
        if (device->samples[i].timeStamp > lastSeenTimeStamp) {
            utilization[written++] = device->samples[i];
        }
    }
    *processSamplesCount = written;
    return NVML_SUCCESS;
}

/* ---- Control functions for the test (not NVML) ---- */

/** Forgets everything: no devices, not initialized, no failures, no calls counted. */
void fake_nvml_reset(void) {
    memset(devices, 0, sizeof devices);
    device_count = 0;
    initialized = 0;
    memset(failures, 0, sizeof failures);
    memset(calls, 0, sizeof calls);
}

/** Adds a device; returns its index, or -1 if there are MAX_DEVICES already. */
int fake_nvml_add_device(const char *name, const char *uuid) {
    if (device_count == MAX_DEVICES) {
        return -1;
    }
    struct nvmlDevice_st *d = &devices[device_count];
    strncpy(d->name, name, STRING_SIZE - 1);
    strncpy(d->uuid, uuid, STRING_SIZE - 1);
    return (int) device_count++;
}

/**
 * Sets what the device reports, in NVML's units (percent, bytes, mW, mJ, degrees C); used is allocated memory, what
 * v2 reports as used (v1 adds the reserve, see fake_nvml_set_reserved). -1 for an unknown index.
 */
int fake_nvml_set_readings(int index, unsigned int gpu, unsigned int memory_percent, unsigned long long total,
                           unsigned long long free, unsigned long long used, unsigned int milliwatts,
                           unsigned long long millijoules, unsigned int celsius) {
    if (index < 0 || (unsigned int) index >= device_count) {
        return -1;
    }
    struct nvmlDevice_st *d = &devices[index];
    d->utilization.gpu = gpu;
    d->utilization.memory = memory_percent;
    d->memory_total = total;
    d->memory_free = free;
    d->memory_allocated = used;
    d->milliwatts = milliwatts;
    d->millijoules = millijoules;
    d->celsius = celsius;
    return 0;
}

/** Sets the memory the driver reserves for itself (0 after a reset); -1 for an unknown index. */
int fake_nvml_set_reserved(int index, unsigned long long reserved) {
    if (index < 0 || (unsigned int) index >= device_count) {
        return -1;
    }
    devices[index].memory_reserved = reserved;
    return 0;
}

static nvmlProcessUtilizationSample_t sample(unsigned int pid, unsigned long long timestamp, unsigned int sm,
                                             unsigned int mem) {
    nvmlProcessUtilizationSample_t s = {pid, timestamp, sm, mem, 11, 22};
    return s;
}

/** Adds a process sample to the driver's buffer; -1 for an unknown index or a full buffer. */
int fake_nvml_add_process_sample(int index, unsigned int pid, unsigned long long timestamp, unsigned int sm,
                                 unsigned int mem) {
    if (index < 0 || (unsigned int) index >= device_count || devices[index].sample_count == MAX_SAMPLES) {
        return -1;
    }
    struct nvmlDevice_st *d = &devices[index];
    d->samples[d->sample_count++] = sample(pid, timestamp, sm, mem);
    return 0;
}

/** Adds a process sample that appears just after the next sizing call has counted the samples; -1 as above. */
int fake_nvml_add_arriving_sample(int index, unsigned int pid, unsigned long long timestamp, unsigned int sm,
                                  unsigned int mem) {
    if (index < 0 || (unsigned int) index >= device_count || devices[index].arriving_count == MAX_SAMPLES) {
        return -1;
    }
    struct nvmlDevice_st *d = &devices[index];
    d->arriving[d->arriving_count++] = sample(pid, timestamp, sm, mem);
    return 0;
}

/** Makes every later call of the named function answer rc (0 clears it); returns -1 for an unknown name. */
int fake_nvml_fail(const char *function, int rc) {
    int f = function_index(function);
    if (f < 0) {
        return -1;
    }
    failures[f] = (nvmlReturn_t) rc;
    return 0;
}

/**
 * Makes every later call of the named function for this device answer rc (0 clears it), after the checks that NVML
 * makes first; -1 for an unknown index or name.
 */
int fake_nvml_fail_device(int index, const char *function, int rc) {
    int f = function_index(function);
    if (index < 0 || (unsigned int) index >= device_count || f < 0) {
        return -1;
    }
    devices[index].failures[f] = (nvmlReturn_t) rc;
    return 0;
}

/** How many times the named function was called since the reset; -1 for an unknown name. */
int fake_nvml_calls(const char *function) {
    int f = function_index(function);
    return f < 0 ? -1 : calls[f];
}

/** The lastSeenTimeStamp the latest nvmlDeviceGetProcessUtilization call passed for the device (0 if none). */
unsigned long long fake_nvml_last_seen_timestamp(int index) {
    return index < 0 || index >= MAX_DEVICES ? 0 : devices[index].last_seen;
}

/** Whether nvmlInit_v2 succeeded and no nvmlShutdown followed. */
int fake_nvml_initialized(void) {
    return initialized;
}
