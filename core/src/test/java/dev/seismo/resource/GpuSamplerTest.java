package dev.seismo.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.seismo.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GpuSamplerTest {

    private final ManualClock clock = ManualClock.create();
    private final InMemoryGpuReader reader = InMemoryGpuReader.withDevices("A100", "H200");
    private final List<String> notices = new ArrayList<>();

    private GpuSampler sampler() {
        return GpuSampler.builder().reader(reader).clock(clock).notices(notices::add).build();
    }

    private void set(int device, double utilization, double watts, double joules) {
        reader.set(new GpuSample(reader.devices().get(device), utilization, 10L << 30, 80L << 30, watts, joules, 55,
                List.of(new ProcessUtilization(42, utilization, 0.25))));
    }

    @Test
    void aSampleKeepsTheLatestReadingOfEachGpu() {
        set(0, 0.5, 300, 1_000);
        set(1, 1.0, 690, 2_000);
        try (GpuSampler sampler = sampler()) {
            assertThat(sampler.sample()).isTrue();

            assertThat(sampler.devices()).extracting(GpuDevice::name).containsExactly("A100", "H200");
            assertThat(sampler.latest()).extracting(GpuSample::utilization).containsExactly(0.5, 1.0);
            assertThat(sampler.latest().get(1).powerWatts()).isEqualTo(690);
            assertThat(sampler.latest().get(1).processes()).containsExactly(new ProcessUtilization(42, 1.0, 0.25));
            assertThat(sampler.lastInterval()).isEmpty();
            assertThat(sampler.unavailableReason()).isEmpty();
        }
    }

    @Test
    void consecutiveSamplesMakeAnIntervalOfBusyTimeAndEnergy() {
        set(0, 0.2, 100, 1_000);
        set(1, 0.0, 80, 5_000);
        try (GpuSampler sampler = sampler()) {
            sampler.sample();
            clock.advance(Duration.ofMillis(1_500));
            set(0, 0.5, 300, 1_450);
            set(1, 1.0, 690, 6_035);
            sampler.sample();

            GpuInterval interval = sampler.lastInterval().orElseThrow();
            assertThat(interval.seconds()).isCloseTo(1.5, within(1e-12));
            assertThat(interval.devices()).extracting(GpuInterval.Device::busySeconds)
                    .containsExactly(0.75, 1.5);
            assertThat(interval.devices()).extracting(GpuInterval.Device::energyJoules)
                    .containsExactly(450.0, 1_035.0);
            assertThat(interval.busySeconds()).isCloseTo(2.25, within(1e-12));
            assertThat(interval.energyJoules()).isCloseTo(1_485, within(1e-9));
            assertThat(sampler.drainIntervals()).containsExactly(interval);
            assertThat(sampler.drainIntervals()).isEmpty();
        }
    }

    @Test
    void withoutAnEnergyCounterEnergyComesFromTheMeanPower() {
        set(0, 0.5, 100, Double.NaN);
        set(1, 0.5, Double.NaN, Double.NaN);
        try (GpuSampler sampler = sampler()) {
            sampler.sample();
            clock.advance(Duration.ofSeconds(2));
            set(0, 0.5, 300, Double.NaN);
            sampler.sample();

            GpuInterval interval = sampler.lastInterval().orElseThrow();
            assertThat(interval.devices().get(0).energyJoules()).isCloseTo(400, within(1e-9));
            assertThat(interval.devices().get(1).energyJoules()).isNaN();
            assertThat(interval.energyJoules()).isCloseTo(400, within(1e-9));
        }
    }

    @Test
    void anEnergyCounterGoingBackwardsGivesNoEnergyForThatInterval() {
        set(0, 0.5, 100, 9_000);
        try (GpuSampler sampler = sampler()) {
            sampler.sample();
            clock.advance(Duration.ofSeconds(1));
            set(0, 0.5, 100, 10);
            sampler.sample();

            assertThat(sampler.lastInterval().orElseThrow().devices().get(0).energyJoules()).isNaN();
        }
    }

    @Test
    void aNegativePowerOrAnInfiniteCounterGivesNoEnergyRatherThanAnInvalidInterval() {
        set(0, 0.5, -5, Double.NaN); // no counter: energy from the power, here garbage
        set(1, 1.0, 300, Double.POSITIVE_INFINITY);
        try (GpuSampler sampler = sampler()) {
            sampler.sample();
            clock.advance(Duration.ofSeconds(1));
            sampler.sample();

            GpuInterval interval = sampler.lastInterval().orElseThrow();
            assertThat(interval.devices()).extracting(GpuInterval.Device::energyJoules).containsOnly(Double.NaN);
            assertThat(interval.busySeconds()).isCloseTo(1.5, within(1e-12));
            assertThat(notices).isEmpty();
        }
    }

    @Test
    void aReaderFailingMidRunLogsOneLineAndLeavesReadingsAbsent() {
        set(0, 0.5, 100, 1_000);
        try (GpuSampler sampler = sampler()) {
            sampler.sample();
            clock.advance(Duration.ofSeconds(1));
            sampler.sample();
            reader.failWith("nvmlDeviceGetUtilizationRates for GPU 0 failed: NVML_ERROR_GPU_IS_LOST (15)");
            clock.advance(Duration.ofSeconds(1));

            assertThat(sampler.sample()).isFalse();
            assertThat(sampler.sample()).isFalse();

            assertThat(notices).containsExactly("GPU readings unavailable from now on: nvmlDeviceGetUtilizationRates"
                    + " for GPU 0 failed: NVML_ERROR_GPU_IS_LOST (15); resource telemetry continues without GPU time"
                    + " and energy");
            assertThat(sampler.latest()).isEmpty();
            assertThat(sampler.devices()).isEmpty();
            assertThat(sampler.lastInterval()).isEmpty();
            assertThat(sampler.unavailableReason()).contains(
                    "nvmlDeviceGetUtilizationRates for GPU 0 failed: NVML_ERROR_GPU_IS_LOST (15)");
            assertThat(sampler.drainIntervals()).hasSize(1);
            assertThat(reader.isClosed()).isTrue();
        }
    }

    @Test
    void aReaderThatCannotOpenLeavesReadingsAbsentWithOneLine() {
        reader.failWith("NVML library 'nvidia-ml' could not be loaded");
        try (GpuSampler sampler = sampler()) {
            assertThat(sampler.sample()).isFalse();
            assertThat(sampler.sample()).isFalse();

            assertThat(notices).hasSize(1);
            assertThat(sampler.unavailableReason()).contains("NVML library 'nvidia-ml' could not be loaded");
            assertThat(reader.opens()).isEqualTo(1);
        }
    }

    @Test
    void aDriverThatSeesNoGpuIsReportedAsSuch() {
        InMemoryGpuReader none = InMemoryGpuReader.withDevices();
        try (GpuSampler sampler = GpuSampler.builder().reader(none).notices(notices::add).build()) {
            assertThat(sampler.sample()).isFalse();

            assertThat(sampler.unavailableReason()).contains("in-memory is loaded but sees no GPU");
            assertThat(notices).hasSize(1);
        }
    }

    @Test
    void aReaderThrowingAnUncheckedExceptionIsContainedToo() {
        GpuReader broken = new GpuReader() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public List<GpuDevice> open() {
                throw new IllegalStateException("bug");
            }

            @Override
            public GpuSample read(GpuDevice device) {
                throw new AssertionError("not opened");
            }

            @Override
            public void close() {
            }
        };
        try (GpuSampler sampler = GpuSampler.builder().reader(broken).notices(notices::add).build()) {
            assertThat(sampler.sample()).isFalse();

            assertThat(sampler.unavailableReason()).contains("broken failed unexpectedly: "
                    + "java.lang.IllegalStateException: bug");
            assertThat(notices).hasSize(1);
        }
    }

    @Test
    void undrainedIntervalsBeyondTheLimitDropTheOldest() {
        try (GpuSampler sampler = GpuSampler.builder().reader(reader).clock(clock).maxPendingIntervals(2).build()) {
            for (int i = 0; i < 4; i++) {
                sampler.sample();
                clock.advance(Duration.ofSeconds(1));
            }

            assertThat(sampler.droppedIntervals()).isEqualTo(1);
            assertThat(sampler.drainIntervals()).extracting(GpuInterval::startNanos)
                    .containsExactly(1_000_000_000L, 2_000_000_000L);
        }
    }

    @Test
    void closingClosesTheReaderAndStopsSampling() {
        GpuSampler sampler = sampler();
        sampler.sample();
        sampler.close();

        assertThat(reader.isClosed()).isTrue();
        assertThat(sampler.sample()).isFalse();
        assertThat(sampler.latest()).isEmpty();
        assertThat(notices).isEmpty();
    }

    @Test
    void theThreadTakesTheFirstSampleAtOnce() throws InterruptedException {
        set(0, 0.75, 100, 1_000);
        try (GpuSampler sampler = GpuSampler.builder().reader(reader).interval(Duration.ofHours(1)).start()) {
            for (int i = 0; i < 500 && sampler.latest().isEmpty(); i++) {
                Thread.sleep(2);
            }

            assertThat(sampler.latest()).extracting(GpuSample::utilization).containsExactly(0.75, 0.0);
            assertThat(sampler.interval()).isEqualTo(Duration.ofHours(1));
        }
        assertThat(reader.isClosed()).isTrue();
    }

    @Test
    void intervalOutOfRangeIsRejectedNamingTheRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> GpuSampler.builder().interval(Duration.ofMillis(5)))
                .withMessage("GPU sampling interval must be between 10 ms and 1 hour, was PT0.005S");
    }

    @Test
    void aGpuSelectedByIndexIsTheOnlyOneReadReportedAndInTheIntervals() {
        InMemoryGpuReader host = InMemoryGpuReader.withDevices("A100", "H200", "L4");
        try (GpuSampler sampler = GpuSampler.builder().reader(host).clock(clock).devices("1").build()) {
            host.set(busy(host, 0, 1.0, 1_000));
            host.set(busy(host, 1, 0.5, 2_000));
            host.set(busy(host, 2, 1.0, 3_000));
            sampler.sample();
            clock.advance(Duration.ofSeconds(2));
            host.set(busy(host, 0, 1.0, 1_900));
            host.set(busy(host, 1, 0.5, 2_400));
            host.set(busy(host, 2, 1.0, 3_100));
            sampler.sample();

            assertThat(sampler.devices()).containsExactly(host.devices().get(1));
            assertThat(sampler.latest()).extracting(GpuSample::device).containsExactly(host.devices().get(1));
            GpuInterval interval = sampler.lastInterval().orElseThrow();
            assertThat(interval.devices()).extracting(GpuInterval.Device::device)
                    .containsExactly(host.devices().get(1));
            assertThat(interval.busySeconds()).isCloseTo(1.0, within(1e-12));
            assertThat(interval.energyJoules()).isCloseTo(400, within(1e-9));
        }
    }

    @Test
    void unselectedGpusAreNeverRead() {
        InMemoryGpuReader host = InMemoryGpuReader.withDevices("A100", "H200", "L4");
        try (GpuSampler sampler = GpuSampler.builder().reader(host).clock(clock).devices("1").build()) {
            for (int i = 0; i < 3; i++) {
                sampler.sample();
                clock.advance(Duration.ofSeconds(1));
            }

            assertThat(host.reads(0)).isZero();
            assertThat(host.reads(1)).isEqualTo(3);
            assertThat(host.reads(2)).isZero();
        }
    }

    @Test
    void aGpuCanBeSelectedByItsUuid() {
        InMemoryGpuReader host = InMemoryGpuReader.withDevices("A100", "H200", "L4");
        try (GpuSampler sampler = GpuSampler.builder().reader(host).devices("GPU-in-memory-2").build()) {
            sampler.sample();

            assertThat(sampler.devices()).extracting(GpuDevice::name).containsExactly("L4");
            assertThat(host.reads(0) + host.reads(1)).isZero();
        }
    }

    @Test
    void indicesAndUuidsMixAndTheGpusComeBackInIndexOrder() {
        InMemoryGpuReader host = InMemoryGpuReader.withDevices("A100", "H200", "L4");
        try (GpuSampler sampler = GpuSampler.builder().reader(host).clock(clock)
                .devices(" GPU-in-memory-2", "0 ").build()) {
            sampler.sample();
            clock.advance(Duration.ofSeconds(1));
            sampler.sample();

            assertThat(sampler.devices()).extracting(GpuDevice::index).containsExactly(0, 2);
            assertThat(sampler.latest()).extracting(s -> s.device().index()).containsExactly(0, 2);
            assertThat(sampler.lastInterval().orElseThrow().devices()).extracting(d -> d.device().index())
                    .containsExactly(0, 2);
            assertThat(host.reads(1)).isZero();
        }
    }

    @Test
    void aSelectorMatchingNoGpuMakesTheSamplerUnavailableWithOneLineListingTheHostsGpus() {
        try (GpuSampler sampler = GpuSampler.builder().reader(reader).notices(notices::add)
                .devices("0", "3", "GPU-5e0c").build()) {
            assertThat(sampler.sample()).isFalse();
            assertThat(sampler.sample()).isFalse();

            assertThat(notices).containsExactly("GPU readings unavailable from now on: GPU selectors '3', 'GPU-5e0c'"
                    + " match no GPU in-memory opened (GPU 0: A100 (UUID: GPU-in-memory-0), GPU 1: H200 (UUID:"
                    + " GPU-in-memory-1)); select GPUs by an index or a full UUID from this list (a GPU this process"
                    + " may not open is left out of it, and named in the reader's own line); resource telemetry"
                    + " continues without GPU time and energy");
            assertThat(sampler.devices()).isEmpty();
            assertThat(sampler.latest()).isEmpty();
            assertThat(reader.reads(0) + reader.reads(1)).isZero();
            assertThat(reader.isClosed()).isTrue();
            assertThat(reader.opens()).isEqualTo(1);
        }
    }

    @Test
    void anIndexAndAUuidNamingTheSameGpuMakeTheSamplerUnavailable() {
        try (GpuSampler sampler = GpuSampler.builder().reader(reader).notices(notices::add)
                .devices("1", "GPU-in-memory-1").build()) {
            assertThat(sampler.sample()).isFalse();

            assertThat(sampler.unavailableReason()).contains("GPU selectors '1' and 'GPU-in-memory-1' both name"
                    + " GPU 1: H200 (UUID: GPU-in-memory-1); name each GPU once");
            assertThat(notices).hasSize(1);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"0,  \"  | GPU selector #2 is blank; give an NVML index such as 0 or a UUID such as"
                + " GPU-5e0c1a2b-..., as nvidia-smi -L lists each GPU's index and UUID",
        "-1        | GPU index must be >= 0, was '-1'; NVML numbers GPUs from 0 and nvidia-smi -L lists each GPU's"
                + " index and UUID",
        "3,03      | GPU selector '03' names the same GPU as '3'; name each GPU once",
        "GPU-a,GPU-a | GPU selector 'GPU-a' names the same GPU as 'GPU-a'; name each GPU once",
        "gpu0      | GPU selector 'gpu0' is neither an NVML index (0, 1, ...) nor a GPU UUID (GPU-...); nvidia-smi -L"
                + " lists each GPU's index and UUID",
        "GPU-      | GPU selector 'GPU-' is neither an NVML index (0, 1, ...) nor a GPU UUID (GPU-...); nvidia-smi -L"
                + " lists each GPU's index and UUID",
        "99999999999 | GPU index '99999999999' is too large; nvidia-smi -L lists each GPU's index and UUID",
        "MIG-8f3a  | GPU selector 'MIG-8f3a' names a MIG instance, but GPUs are read whole (NVML gives no"
                + " utilization per MIG instance); select the parent GPU's UUID, which nvidia-smi -L lists above its"
                + " MIG devices, knowing its readings cover all its instances",
    })
    void malformedSelectorsAreRejectedWhenSetSayingHowToFixThem(String selectors, String message) {
        GpuSampler.Builder builder = GpuSampler.builder();

        assertThatIllegalArgumentException().isThrownBy(() -> builder.devices(selectors.split(",", -1)))
                .withMessage(message);
    }

    @Test
    void anEmptySelectionIsRejectedRatherThanTakenAsAll() {
        assertThatIllegalArgumentException().isThrownBy(() -> GpuSampler.builder().devices())
                .withMessage("GPU selection needs at least one GPU index or UUID; to read every GPU, do not select"
                        + " any");
    }

    private static GpuSample busy(InMemoryGpuReader host, int index, double utilization, double joules) {
        return new GpuSample(host.devices().get(index), utilization, 1L << 30, 80L << 30, 300, joules, 50, List.of());
    }
}
