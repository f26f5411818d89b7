package dev.seismo.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs against the real NVML where there is one; on a host without a driver, checks the graceful path. */
class NvmlGpuReaderTest {

    private static boolean hasNvml() {
        try (GpuReader reader = GpuReader.nvml()) {
            return !reader.open().isEmpty();
        } catch (GpuException e) {
            return false;
        }
    }

    @Test
    void withoutADriverOpeningFailsWithOneInformativeLine() {
        assumeThat(hasNvml()).isFalse();
        try (GpuReader reader = GpuReader.nvml()) {
            assertThatThrownBy(reader::open).isInstanceOf(GpuException.class)
                    .hasMessageStartingWith("NVML library 'nvidia-ml' could not be loaded (no NVIDIA driver on this"
                            + " host?): ")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void withoutADriverTheSamplerHasNoReadingsAndThrowsNothing() {
        assumeThat(hasNvml()).isFalse();
        List<String> notices = new ArrayList<>();
        try (GpuSampler sampler = GpuSampler.builder().notices(notices::add).build()) {
            assertThat(sampler.sample()).isFalse();
            assertThat(sampler.sample()).isFalse();

            assertThat(sampler.latest()).isEmpty();
            assertThat(sampler.devices()).isEmpty();
            assertThat(sampler.lastInterval()).isEmpty();
            assertThat(notices).singleElement().asString()
                    .startsWith("GPU readings unavailable from now on: NVML library 'nvidia-ml' could not be loaded");
        }
    }

    @Test
    void withoutADriverTheProbePrintsOneLineAndExitsWithOne() {
        assumeThat(hasNvml()).isFalse();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = GpuProbe.run(new String[] {"--count", "1"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                GpuReader.nvml());

        assertThat(status).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("GpuProbe: no GPU readings: NVML library")
                .hasLineCount(1);
    }

    @Test
    void withADriverEveryGpuIsReadInBaseUnits() throws GpuException {
        assumeThat(hasNvml()).isTrue();
        try (GpuReader reader = GpuReader.nvml()) {
            for (GpuDevice device : reader.open()) {
                GpuSample sample = reader.read(device);

                assertThat(device.uuid()).startsWith("GPU-");
                assertThat(sample.utilization()).isBetween(0.0, 1.0);
                assertThat(sample.memoryTotalBytes()).isGreaterThanOrEqualTo(sample.memoryUsedBytes()).isPositive();
                assertThat(Double.isNaN(sample.powerWatts()) || sample.powerWatts() > 1).isTrue();
            }
        }
    }

    @Test
    void errorCodesAreNamedAsNvmlSpellsThem() {
        assertThat(Nvml.errorName(15)).isEqualTo("NVML_ERROR_GPU_IS_LOST (15)");
        assertThat(Nvml.errorName(7)).isEqualTo("NVML_ERROR_INSUFFICIENT_SIZE (7)");
        assertThat(Nvml.errorName(29)).isEqualTo("NVML_ERROR_INVALID_STATE (29)");
        assertThat(Nvml.errorName(999)).isEqualTo("NVML_ERROR_UNKNOWN (999)");
        assertThat(Nvml.errorName(500)).isEqualTo("unknown NVML return code (500)");
    }
}
