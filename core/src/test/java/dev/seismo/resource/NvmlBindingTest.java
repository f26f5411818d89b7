package dev.seismo.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seismo.time.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs {@link NvmlGpuReader} through JNA against a fake {@code libnvidia-ml} built from C with nvml.h's signatures and
 * struct layouts ({@link FakeNvml}), so marshalling, units and NVML's protocols are checked without a GPU.
 */
class NvmlBindingTest {

    private static final String H200_UUID = "GPU-8f2c4b1e-3d5a-4c7e-9b0f-1a2b3c4d5e6f";
    /** A CPU timestamp in microseconds, as NVML stamps process samples: 2026-01-01T00:00:00Z. */
    private static final long NOW_MICROS = 1_767_225_600_000_000L;
    private static final int NOT_SUPPORTED = 3;
    private static final int NO_PERMISSION = 4;
    private static final int INSUFFICIENT_POWER = 8;
    private static final int DRIVER_NOT_LOADED = 9;
    private static final int FUNCTION_NOT_FOUND = 13;
    private static final int GPU_IS_LOST = 15;
    private static final int ARGUMENT_VERSION_MISMATCH = 25;
    /** Allocated memory of the H200 in {@link #oneH200()}: what v2 and nvidia-smi report as used. */
    private static final long ALLOCATED = 12_345_678_901_234L;
    /** Memory the driver reserves for itself; v1 counts it as used. */
    private static final long RESERVED = 567_279_616L;
    private static final int UNKNOWN = 999;

    private final FakeNvml fake = FakeNvml.full();
    private FakeNvml.Control nvml;

    @BeforeEach
    void oneH200() {
        nvml = fake.reset();
        ok(nvml.fake_nvml_add_device("NVIDIA H200", H200_UUID));
        ok(nvml.fake_nvml_set_readings(0, 73, 41, 20_000_000_000_000L, 7_654_321_098_766L, 12_345_678_901_234L,
                690_500, 1_234_567, 56));
    }

    private static void ok(int rc) {
        assertThat(rc).as("fake NVML control call").isNotNegative();
    }

    @Test
    void listsEveryGpuWithItsNameAndUuid() throws GpuException {
        ok(nvml.fake_nvml_add_device("NVIDIA A100-SXM4-80GB", "GPU-00000000-1111-2222-3333-444444444444"));
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            assertThat(reader.open()).containsExactly(new GpuDevice(0, "NVIDIA H200", H200_UUID),
                    new GpuDevice(1, "NVIDIA A100-SXM4-80GB", "GPU-00000000-1111-2222-3333-444444444444"));
        }
    }

    @Test
    void namesAsLongAsNvmlsBufferAllowsComeBackWhole() throws GpuException {
        // nvml.h: NVML_DEVICE_NAME_V2_BUFFER_SIZE and NVML_DEVICE_UUID_V2_BUFFER_SIZE are 96, with the NUL.
        String longest = "N".repeat(95);
        ok(nvml.fake_nvml_add_device(longest, "GPU-" + "u".repeat(91)));
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            GpuDevice device = reader.open().get(1);

            assertThat(device.name()).isEqualTo(longest);
            assertThat(device.uuid()).hasSize(95);
        }
    }

    @Test
    void readsEveryValueThroughNvmlsStructLayoutsInBaseUnits() throws GpuException {
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            GpuSample sample = reader.read(reader.open().get(0));

            assertThat(sample.utilization()).isEqualTo(0.73); // nvmlUtilization_t.gpu, not .memory (41)
            assertThat(sample.memoryUsedBytes()).isEqualTo(12_345_678_901_234L); // nvmlMemory_v2_t.used, at 32
            assertThat(sample.memoryTotalBytes()).isEqualTo(20_000_000_000_000L);
            assertThat(sample.powerWatts()).isEqualTo(690.5); // 690500 mW
            assertThat(sample.energyJoules()).isEqualTo(1_234.567); // 1234567 mJ
            assertThat(sample.temperatureCelsius()).isEqualTo(56);
            assertThat(sample.processes()).isEmpty(); // NVML_ERROR_NOT_FOUND: no samples
        }
    }

    @Test
    void unsignedValuesAboveTwoToThe31AreReadUnsigned() throws GpuException {
        // 3 000 000 000 mW and 0xFFFFFFFF percent: negative as Java ints unless masked.
        ok(nvml.fake_nvml_set_readings(0, 0xFFFF_FFFF, 0, 1L << 40, 0, 1L << 40, (int) 3_000_000_000L, 0, 0));
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            GpuSample sample = reader.read(reader.open().get(0));

            assertThat(sample.powerWatts()).isEqualTo(3_000_000.0);
            assertThat(sample.utilization()).isEqualTo(1.0);
        }
    }

    @Test
    void processSamplesAreAveragedPerPidAndReadAtNvmlsOffsets() throws GpuException {
        ok(nvml.fake_nvml_add_process_sample(0, 4242, NOW_MICROS + 100_000, 90, 40));
        ok(nvml.fake_nvml_add_process_sample(0, (int) 3_000_000_000L, NOW_MICROS + 200_000, 7, 3));
        ok(nvml.fake_nvml_add_process_sample(0, 4242, NOW_MICROS + 300_000, 100, 50));
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            GpuSample sample = reader.read(reader.open().get(0));

            // encUtil and decUtil (11, 22 in the fake) sit next to smUtil and memUtil; reading them would show here.
            assertThat(sample.processes()).containsExactly(new ProcessUtilization(4242, 0.95, 0.45),
                    new ProcessUtilization(3_000_000_000L, 0.07, 0.03));
        }
    }

    @Test
    void eachReadAsksOnlyForSamplesNewerThanTheNewestSeen() throws GpuException {
        ok(nvml.fake_nvml_add_process_sample(0, 4242, NOW_MICROS + 300_000, 90, 40));
        ok(nvml.fake_nvml_add_process_sample(0, 77, NOW_MICROS + 100_000, 10, 10)); // older, listed later
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            GpuDevice h200 = reader.open().get(0);

            assertThat(reader.read(h200).processes()).extracting(ProcessUtilization::pid).containsExactly(4242L, 77L);
            assertThat(nvml.fake_nvml_last_seen_timestamp(0)).isZero();

            assertThat(reader.read(h200).processes()).isEmpty(); // NVML_ERROR_NOT_FOUND
            assertThat(nvml.fake_nvml_last_seen_timestamp(0)).isEqualTo(NOW_MICROS + 300_000);

            ok(nvml.fake_nvml_add_process_sample(0, 5150, NOW_MICROS + 400_000, 60, 20));
            assertThat(reader.read(h200).processes()).containsExactly(new ProcessUtilization(5150, 0.6, 0.2));
            assertThat(reader.read(h200).processes()).isEmpty();
            assertThat(nvml.fake_nvml_last_seen_timestamp(0)).isEqualTo(NOW_MICROS + 400_000);
        }
    }

    @Test
    void samplesArrivingBetweenTheSizingAndTheFillingCallAreReadOnTheRetry() throws GpuException {
        ok(nvml.fake_nvml_add_process_sample(0, 1000, NOW_MICROS + 1, 50, 5));
        for (int k = 1; k <= 20; k++) { // more than the reader's slack of 8
            ok(nvml.fake_nvml_add_arriving_sample(0, 1000 + k, NOW_MICROS + 1 + k, 50, 5));
        }
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            List<ProcessUtilization> processes = reader.read(reader.open().get(0)).processes();

            assertThat(processes).hasSize(21).extracting(ProcessUtilization::pid).doesNotHaveDuplicates()
                    .startsWith(1000L).endsWith(1020L);
            // Sizing, a filling call answered INSUFFICIENT_SIZE with the new count, a filling call that fits.
            assertThat(nvml.fake_nvml_calls("nvmlDeviceGetProcessUtilization")).isEqualTo(3);
        }
    }

    @ParameterizedTest(name = "{0} answering {1}")
    @CsvSource({
        "nvmlDeviceGetPowerUsage, " + NOT_SUPPORTED,
        "nvmlDeviceGetPowerUsage, " + NO_PERMISSION,
        "nvmlDeviceGetTotalEnergyConsumption, " + NOT_SUPPORTED,
        "nvmlDeviceGetTotalEnergyConsumption, " + NO_PERMISSION,
        "nvmlDeviceGetTemperature, " + NOT_SUPPORTED,
        "nvmlDeviceGetTemperature, " + NO_PERMISSION,
        "nvmlDeviceGetProcessUtilization, " + NOT_SUPPORTED,
        "nvmlDeviceGetProcessUtilization, " + NO_PERMISSION,
    })
    void anOptionalReadingTheDeviceDoesNotOfferIsNotANumberAndTheRestIsRead(String function, int rc)
            throws GpuException {
        ok(nvml.fake_nvml_add_process_sample(0, 4242, NOW_MICROS, 90, 40));
        ok(nvml.fake_nvml_fail(function, rc));
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            GpuSample sample = reader.read(reader.open().get(0));

            assertThat(sample.utilization()).isEqualTo(0.73);
            assertThat(sample.memoryUsedBytes()).isEqualTo(12_345_678_901_234L);
            assertThat(Double.isNaN(sample.powerWatts())).isEqualTo(function.equals("nvmlDeviceGetPowerUsage"));
            assertThat(Double.isNaN(sample.energyJoules()))
                    .isEqualTo(function.equals("nvmlDeviceGetTotalEnergyConsumption"));
            assertThat(Double.isNaN(sample.temperatureCelsius())).isEqualTo(function.equals("nvmlDeviceGetTemperature"));
            assertThat(sample.processes().isEmpty()).isEqualTo(function.equals("nvmlDeviceGetProcessUtilization"));
        }
    }

    @ParameterizedTest(name = "{0} answering {1}")
    @CsvSource({
        "nvmlDeviceGetPowerUsage, " + GPU_IS_LOST + ", NVML_ERROR_GPU_IS_LOST (15)",
        "nvmlDeviceGetProcessUtilization, " + UNKNOWN + ", NVML_ERROR_UNKNOWN (999)",
        "nvmlDeviceGetMemoryInfo_v2, " + GPU_IS_LOST + ", NVML_ERROR_GPU_IS_LOST (15)",
    })
    void anyOtherErrorFailsTheReadNamingTheCallAndTheError(String function, int rc, String error)
            throws GpuException {
        ok(nvml.fake_nvml_add_process_sample(0, 4242, NOW_MICROS, 90, 40));
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            GpuDevice h200 = reader.open().get(0);
            ok(nvml.fake_nvml_fail(function, rc));

            assertThatThrownBy(() -> reader.read(h200)).isInstanceOf(GpuException.class)
                    .hasMessage(function + " for GPU 0 failed: " + error);
        }
    }

    @Test
    void memoryUsedComesFromV2AndLeavesOutTheDriversReserve() throws GpuException {
        ok(nvml.fake_nvml_set_reserved(0, RESERVED));
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            GpuSample sample = reader.read(reader.open().get(0));

            // The fake answers ARGUMENT_VERSION_MISMATCH unless version is nvmlMemory_v2 exactly, and the reader would
            // then fall back to v1, which counts the reserve.
            assertThat(sample.memoryUsedBytes()).isEqualTo(ALLOCATED);
            assertThat(sample.memoryTotalBytes()).isEqualTo(20_000_000_000_000L); // at 8, after version and padding
            assertThat(nvml.fake_nvml_calls("nvmlDeviceGetMemoryInfo_v2")).isOne();
            assertThat(nvml.fake_nvml_calls("nvmlDeviceGetMemoryInfo")).isZero();
        }
    }

    @ParameterizedTest(name = "v2 answering {0}")
    @CsvSource({FUNCTION_NOT_FOUND + "", NOT_SUPPORTED + "", ARGUMENT_VERSION_MISMATCH + ""})
    void aGpuWhoseDriverRefusesV2IsReadThroughV1WithoutAskingV2Again(int rc) throws GpuException {
        ok(nvml.fake_nvml_set_reserved(0, RESERVED));
        ok(nvml.fake_nvml_fail("nvmlDeviceGetMemoryInfo_v2", rc));
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            GpuDevice h200 = reader.open().get(0);

            assertThat(reader.read(h200).memoryUsedBytes()).isEqualTo(RESERVED + ALLOCATED);
            assertThat(reader.read(h200).memoryUsedBytes()).isEqualTo(RESERVED + ALLOCATED);
            assertThat(reader.read(h200).memoryTotalBytes()).isEqualTo(20_000_000_000_000L);
            assertThat(nvml.fake_nvml_calls("nvmlDeviceGetMemoryInfo_v2")).isOne();
            assertThat(nvml.fake_nvml_calls("nvmlDeviceGetMemoryInfo")).isEqualTo(3);
        }
    }

    @Test
    void aDriverWithoutMemoryInfoV2IsReadThroughV1() throws GpuException {
        FakeNvml older = FakeNvml.withoutMemoryV2();
        FakeNvml.Control olderNvml = older.reset();
        ok(olderNvml.fake_nvml_add_device("Tesla T4", "GPU-t4"));
        ok(olderNvml.fake_nvml_set_readings(0, 50, 0, 16L << 30, 15L << 30, 1L << 29, 70_000, 0, 40));
        ok(olderNvml.fake_nvml_set_reserved(0, 1L << 29));
        try (NvmlGpuReader reader = new NvmlGpuReader(older.path())) {
            GpuDevice t4 = reader.open().get(0);

            assertThat(reader.read(t4).memoryUsedBytes()).isEqualTo(1L << 30); // JNA's UnsatisfiedLinkError, caught
            assertThat(reader.read(t4).memoryTotalBytes()).isEqualTo(16L << 30);
            assertThat(olderNvml.fake_nvml_calls("nvmlDeviceGetMemoryInfo")).isEqualTo(2);
        }
    }

    @Test
    void theMemoryCallIsChosenPerGpu() throws GpuException {
        ok(nvml.fake_nvml_add_device("NVIDIA H200", "GPU-second"));
        ok(nvml.fake_nvml_set_readings(1, 0, 0, 20_000_000_000_000L, 0, 1_000, 0, 0, 0));
        ok(nvml.fake_nvml_set_reserved(0, RESERVED));
        ok(nvml.fake_nvml_set_reserved(1, RESERVED));
        ok(nvml.fake_nvml_fail_device(1, "nvmlDeviceGetMemoryInfo_v2", NOT_SUPPORTED));
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            List<GpuDevice> gpus = reader.open();

            assertThat(reader.read(gpus.get(1)).memoryUsedBytes()).isEqualTo(RESERVED + 1_000);
            assertThat(reader.read(gpus.get(0)).memoryUsedBytes()).isEqualTo(ALLOCATED);
        }
    }

    @Test
    void aV1FailureAfterTheFallbackNamesV1() throws GpuException {
        ok(nvml.fake_nvml_fail("nvmlDeviceGetMemoryInfo_v2", NOT_SUPPORTED));
        ok(nvml.fake_nvml_fail("nvmlDeviceGetMemoryInfo", GPU_IS_LOST));
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            GpuDevice h200 = reader.open().get(0);

            assertThatThrownBy(() -> reader.read(h200)).isInstanceOf(GpuException.class)
                    .hasMessage("nvmlDeviceGetMemoryInfo for GPU 0 failed: NVML_ERROR_GPU_IS_LOST (15)");
        }
    }

    @Test
    void gpusThisProcessCannotOpenAreSkippedAndTheOthersKeepNvmlsIndex() throws GpuException {
        ok(nvml.fake_nvml_add_device("NVIDIA H200", "GPU-slurm-job-b"));
        ok(nvml.fake_nvml_add_device("NVIDIA H200", "GPU-fallen-off"));
        ok(nvml.fake_nvml_add_device("NVIDIA H200", "GPU-mine-too"));
        ok(nvml.fake_nvml_set_readings(3, 12, 0, 20_000_000_000_000L, 0, 3_333, 300_000, 0, 33));
        ok(nvml.fake_nvml_fail_device(1, "nvmlDeviceGetHandleByIndex_v2", NO_PERMISSION));
        ok(nvml.fake_nvml_fail_device(2, "nvmlDeviceGetName", GPU_IS_LOST));
        List<String> notices = new ArrayList<>();
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path(), notices::add)) {
            List<GpuDevice> gpus = reader.open();

            assertThat(gpus).containsExactly(new GpuDevice(0, "NVIDIA H200", H200_UUID),
                    new GpuDevice(3, "NVIDIA H200", "GPU-mine-too"));
            assertThat(notices).containsExactly("NVML lists 4 GPUs; reading GPU 0, GPU 3 and skipping 2 this process"
                    + " cannot open: GPU 1: nvmlDeviceGetHandleByIndex_v2 failed: NVML_ERROR_NO_PERMISSION (4) (not"
                    + " this process's GPU); GPU 2: nvmlDeviceGetName failed: NVML_ERROR_GPU_IS_LOST (15) (fallen off"
                    + " the bus)");
            GpuSample third = reader.read(gpus.get(1)); // GPU 3's handle, not the second one opened
            assertThat(third.memoryUsedBytes()).isEqualTo(3_333);
            assertThat(third.powerWatts()).isEqualTo(300.0);
            assertThatThrownBy(() -> reader.read(new GpuDevice(1, "NVIDIA H200", "GPU-slurm-job-b")))
                    .isInstanceOf(GpuException.class).hasMessageStartingWith("NVML is not open, or GPU 1 is not among");
        }
    }

    @Test
    void theSamplerReadsTheGpuSelectedByNvmlIndexWhenLowerIndicesAreSkipped() {
        ok(nvml.fake_nvml_add_device("NVIDIA H200", "GPU-mine"));
        ok(nvml.fake_nvml_set_readings(1, 64, 0, 20_000_000_000_000L, 0, 1_111, 0, 0, 0));
        ok(nvml.fake_nvml_fail_device(0, "nvmlDeviceGetHandleByIndex_v2", NO_PERMISSION));
        List<String> notices = new ArrayList<>();
        try (GpuSampler sampler = GpuSampler.builder().reader(new NvmlGpuReader(fake.path(), notices::add))
                .devices("1").notices(notices::add).build()) {
            assertThat(sampler.sample()).isTrue();

            GpuSample sample = sampler.latest().get(0);
            assertThat(sample.device()).isEqualTo(new GpuDevice(1, "NVIDIA H200", "GPU-mine"));
            assertThat(sample.utilization()).isEqualTo(0.64);
            assertThat(sample.memoryUsedBytes()).isEqualTo(1_111);
            assertThat(notices).singleElement().asString()
                    .startsWith("NVML lists 2 GPUs; reading GPU 1 and skipping 1");
        }
    }

    @Test
    void whenNoGpuCanBeOpenedOpeningFailsNamingEachErrorAndTheFix() {
        ok(nvml.fake_nvml_add_device("NVIDIA H200", "GPU-other"));
        ok(nvml.fake_nvml_fail_device(0, "nvmlDeviceGetHandleByIndex_v2", NO_PERMISSION));
        ok(nvml.fake_nvml_fail_device(1, "nvmlDeviceGetUUID", GPU_IS_LOST));
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            assertThatThrownBy(reader::open).isInstanceOf(GpuException.class).hasMessage("NVML lists 2 GPUs but this"
                    + " process can open none of them (2 skipped): GPU 0: nvmlDeviceGetHandleByIndex_v2 failed:"
                    + " NVML_ERROR_NO_PERMISSION (4) (not this process's GPU); GPU 1: nvmlDeviceGetUUID failed:"
                    + " NVML_ERROR_GPU_IS_LOST (15) (fallen off the bus); run it where a GPU is allocated to it (Slurm"
                    + " --gres=gpu, a container's --gpus) or give it access to that GPU's /dev/nvidia* device; a lost"
                    + " GPU needs an operator (nvidia-smi -q, then a GPU reset or a reboot)");
        }
    }

    @Test
    void theOnlyGpuBeingAnotherJobsFailsOpeningWithTheAllocationFixAlone() {
        ok(nvml.fake_nvml_fail_device(0, "nvmlDeviceGetHandleByIndex_v2", NO_PERMISSION));
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            assertThatThrownBy(reader::open).isInstanceOf(GpuException.class).hasMessage("NVML lists 1 GPU but this"
                    + " process can open none of them (1 skipped): GPU 0: nvmlDeviceGetHandleByIndex_v2 failed:"
                    + " NVML_ERROR_NO_PERMISSION (4) (not this process's GPU); run it where a GPU is allocated to it"
                    + " (Slurm --gres=gpu, a container's --gpus) or give it access to that GPU's /dev/nvidia* device");
        }
    }

    @Test
    void anErrorNvmlReportsForTheHostsGpusAsAWholeFailsOpening() {
        ok(nvml.fake_nvml_add_device("NVIDIA H200", "GPU-second"));
        ok(nvml.fake_nvml_fail_device(1, "nvmlDeviceGetHandleByIndex_v2", INSUFFICIENT_POWER));
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            assertThatThrownBy(reader::open).isInstanceOf(GpuException.class)
                    .hasMessage("nvmlDeviceGetHandleByIndex_v2 for GPU 1 failed: NVML_ERROR_INSUFFICIENT_POWER (8)");
        }
    }

    @Test
    void aDriverWithoutTheEnergyCounterGivesNotANumberAndEnergyFromPower() throws GpuException {
        FakeNvml older = FakeNvml.withoutEnergy();
        FakeNvml.Control olderNvml = older.reset();
        ok(olderNvml.fake_nvml_add_device("Tesla T4", "GPU-t4"));
        ok(olderNvml.fake_nvml_set_readings(0, 50, 0, 16L << 30, 15L << 30, 1L << 30, 70_000, 0, 40));
        ManualClock clock = ManualClock.create();
        try (NvmlGpuReader reader = new NvmlGpuReader(older.path())) {
            GpuSample sample = reader.read(reader.open().get(0));

            assertThat(sample.energyJoules()).isNaN(); // JNA's UnsatisfiedLinkError, caught
            assertThat(sample.powerWatts()).isEqualTo(70.0);
            assertThat(sample.temperatureCelsius()).isEqualTo(40);
        }
        try (GpuSampler sampler = GpuSampler.builder().reader(new NvmlGpuReader(older.path())).clock(clock).build()) {
            assertThat(sampler.sample()).isTrue();
            clock.advance(Duration.ofSeconds(2));
            assertThat(sampler.sample()).isTrue();

            assertThat(sampler.lastInterval().orElseThrow().energyJoules()).isCloseTo(140.0, within(1e-9));
        }
    }

    @Test
    void energyBetweenReadingsComesFromTheCounterInJoules() {
        ManualClock clock = ManualClock.create();
        try (GpuSampler sampler = GpuSampler.builder().reader(new NvmlGpuReader(fake.path())).clock(clock).build()) {
            assertThat(sampler.sample()).isTrue();
            clock.advance(Duration.ofSeconds(2));
            ok(nvml.fake_nvml_set_readings(0, 100, 41, 20_000_000_000_000L, 0, 12_345_678_901_234L, 690_500,
                    1_234_567 + 1_381_000, 57));
            assertThat(sampler.sample()).isTrue();

            GpuInterval interval = sampler.lastInterval().orElseThrow();
            assertThat(interval.energyJoules()).isCloseTo(1_381.0, within(1e-9));
            assertThat(interval.busySeconds()).isCloseTo(2.0, within(1e-12));
        }
    }

    @Test
    void aFailedInitNamesTheErrorAndNeedsNoShutdown() {
        ok(nvml.fake_nvml_fail("nvmlInit_v2", DRIVER_NOT_LOADED));
        try (NvmlGpuReader reader = new NvmlGpuReader(fake.path())) {
            assertThatThrownBy(reader::open).isInstanceOf(GpuException.class)
                    .hasMessage("nvmlInit_v2 failed: NVML_ERROR_DRIVER_NOT_LOADED (9)");
        }
        assertThat(nvml.fake_nvml_calls("nvmlShutdown")).isZero();
    }

    @Test
    void closingShutsNvmlDownOnceAndReadingAfterwardsFails() throws GpuException {
        NvmlGpuReader reader = new NvmlGpuReader(fake.path());
        GpuDevice h200 = reader.open().get(0);
        assertThat(nvml.fake_nvml_initialized()).isOne();

        reader.close();
        reader.close();

        assertThat(nvml.fake_nvml_calls("nvmlShutdown")).isOne();
        assertThat(nvml.fake_nvml_initialized()).isZero();
        assertThatThrownBy(() -> reader.read(h200)).isInstanceOf(GpuException.class)
                .hasMessage("NVML is not open, or GPU 0 is not among the GPUs it opened; call open() first and read"
                        + " only the GPUs it lists");
    }

    @Test
    void aGpuLostMidRunStopsTheSamplerWithOneNoticeAndNothingThrown() {
        List<String> notices = new ArrayList<>();
        try (GpuSampler sampler = GpuSampler.builder().reader(new NvmlGpuReader(fake.path()))
                .notices(notices::add).build()) {
            assertThat(sampler.sample()).isTrue();
            ok(nvml.fake_nvml_fail("nvmlDeviceGetUtilizationRates", GPU_IS_LOST));

            assertThat(sampler.sample()).isFalse();
            assertThat(sampler.sample()).isFalse();

            assertThat(notices).containsExactly("GPU readings unavailable from now on: nvmlDeviceGetUtilizationRates"
                    + " for GPU 0 failed: NVML_ERROR_GPU_IS_LOST (15); resource telemetry continues without GPU time"
                    + " and energy");
            assertThat(sampler.latest()).isEmpty();
            assertThat(sampler.devices()).isEmpty();
            assertThat(sampler.lastInterval()).isEmpty();
            assertThat(nvml.fake_nvml_calls("nvmlDeviceGetUtilizationRates")).isEqualTo(2); // not retried
            assertThat(nvml.fake_nvml_calls("nvmlShutdown")).isOne();
        }
        assertThat(nvml.fake_nvml_calls("nvmlShutdown")).isOne();
    }

    @Test
    void theProbePrintsWhatNvmlReports() {
        ok(nvml.fake_nvml_set_readings(0, 73, 41, 141L << 30, 129L << 30, 12L << 30, 690_500, 1_234_567, 56));
        ok(nvml.fake_nvml_add_process_sample(0, 4242, NOW_MICROS + 100_000, 90, 40));
        ok(nvml.fake_nvml_add_process_sample(0, (int) 3_000_000_000L, NOW_MICROS + 200_000, 7, 3));
        ok(nvml.fake_nvml_add_process_sample(0, 4242, NOW_MICROS + 300_000, 100, 50));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = GpuProbe.run(new String[] {"--count", "1"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new NvmlGpuReader(fake.path()));

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("gpu 0 NVIDIA H200 util  73.0% mem 12.00/141.00 GiB"
                + " power 690.5 W energy 1234.6 J temp 56 C pid 4242 sm 95% mem 45% pid 3000000000 sm 7% mem 3%"
                + System.lineSeparator());
        assertThat(nvml.fake_nvml_calls("nvmlShutdown")).isOne();
    }

    @Test
    void theProbeSaysWhyWhenNvmlDoesNotStartOrSeesNoGpu() {
        ok(nvml.fake_nvml_fail("nvmlInit_v2", DRIVER_NOT_LOADED));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

        int failedInit = GpuProbe.run(new String[] {"--count", "1"}, print, new NvmlGpuReader(fake.path()));
        nvml = fake.reset();
        int noGpu = GpuProbe.run(new String[] {"--count", "1"}, print, new NvmlGpuReader(fake.path()));

        assertThat(failedInit).isOne();
        assertThat(noGpu).isOne();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "GpuProbe: no GPU readings: nvmlInit_v2 failed: NVML_ERROR_DRIVER_NOT_LOADED (9)"
                        + System.lineSeparator()
                        + "GpuProbe: no GPU readings: NVML is loaded but sees no GPU" + System.lineSeparator());
        assertThat(nvml.fake_nvml_calls("nvmlShutdown")).isOne();
    }
}
