package dev.seismo.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class GpuIntervalTest {

    private static final GpuDevice GPU = new GpuDevice(3, "H200", "GPU-3");

    @Test
    void busyTimeSumsOverDevicesAndEnergySkipsTheUnmeasured() {
        GpuInterval interval = new GpuInterval(0, 1_000_000_000L, List.of(
                new GpuInterval.Device(GPU, 1.0, 1.0, Double.NaN),
                new GpuInterval.Device(new GpuDevice(4, "H200", "GPU-4"), 0.25, 0.25, 175)));

        assertThat(interval.busySeconds()).isEqualTo(1.25);
        assertThat(interval.energyJoules()).isEqualTo(175);
    }

    @Test
    void aDeviceWithoutBusyTimeIsRejectedSinceBusyTimeIsAlwaysMeasured() {
        assertThatIllegalArgumentException().isThrownBy(() -> new GpuInterval.Device(GPU, 0.5, Double.NaN, 1))
                .withMessage("busySeconds of GPU 3 must be finite and >= 0, was NaN");
        assertThatIllegalArgumentException().isThrownBy(() -> new GpuInterval.Device(GPU, 0.5, -1, 1))
                .withMessage("busySeconds of GPU 3 must be finite and >= 0, was -1.0");
        assertThatIllegalArgumentException().isThrownBy(() -> new GpuInterval.Device(GPU, Double.NaN, 0, 1))
                .withMessage("utilization of GPU 3 must be a ratio in 0..1, was NaN");
    }

    @Test
    void energyIsNaNWhereNotMeasuredButNeverNegativeOrInfinite() {
        assertThat(new GpuInterval.Device(GPU, 0.5, 0.5, Double.NaN).energyJoules()).isNaN();
        assertThatIllegalArgumentException().isThrownBy(() -> new GpuInterval.Device(GPU, 0.5, 0.5, -3))
                .withMessage("energyJoules of GPU 3 must be finite and >= 0, or NaN where not measured, was -3.0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new GpuInterval.Device(GPU, 0.5, 0.5, Double.POSITIVE_INFINITY))
                .withMessageContaining("was Infinity");
    }
}
