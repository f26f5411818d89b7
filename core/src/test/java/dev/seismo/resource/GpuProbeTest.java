package dev.seismo.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuProbeTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int run(GpuReader reader, String... args) {
        return GpuProbe.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), reader);
    }

    @Test
    void printsOneLinePerGpuPerReadingInBaseUnits() {
        InMemoryGpuReader reader = InMemoryGpuReader.withDevices("H200");
        reader.set(new GpuSample(reader.devices().get(0), 1.0, 12L << 30, 140L << 30, 690.5, 1_234.5, 56,
                List.of(new ProcessUtilization(4242, 0.98, 0.4))));

        int status = run(reader, "--count", "2", "--interval-ms", "10");

        assertThat(status).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).isEqualTo("gpu 0 H200 util 100.0% mem 12.00/140.00 GiB power 690.5 W energy 1234.5 J"
                + " temp 56 C pid 4242 sm 98% mem 40%");
        assertThat(lines[1]).contains("power 690.5 W energy 1234.5 J last ").contains("busy ").contains("0.0 J");
    }

    @Test
    void unsupportedReadingsPrintAsNotAvailable() {
        InMemoryGpuReader reader = InMemoryGpuReader.withDevices("T4");
        reader.set(new GpuSample(reader.devices().get(0), 0, 0, 16L << 30, Double.NaN, Double.NaN, Double.NaN,
                List.of()));

        run(reader, "--count", "1");

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("gpu 0 T4 util   0.0% mem 0.00/16.00 GiB power n/a"
                + " energy n/a temp n/a" + System.lineSeparator());
    }

    @Test
    void aBadArgumentIsReportedWithTheUsage() {
        int status = run(InMemoryGpuReader.withDevices("H200"), "--count", "zero");

        assertThat(status).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("GpuProbe: --count must be a positive whole number, was 'zero'" + System.lineSeparator());
    }

    @Test
    void devicesLimitsTheReadingsToTheGpusNamed() {
        InMemoryGpuReader reader = InMemoryGpuReader.withDevices("A100", "H200", "L4");

        int status = run(reader, "--count", "2", "--interval-ms", "10", "--devices", "GPU-in-memory-2,1");

        assertThat(status).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
        assertThat(lines).extracting(line -> line.split(" ")[1]).containsExactly("1", "2", "1", "2");
        assertThat(lines[3]).contains(" last ");
        assertThat(reader.reads(0)).isZero();
    }

    @Test
    void aMalformedDevicesListIsReportedWithTheOptionsName() {
        int status = run(InMemoryGpuReader.withDevices("H200"), "--devices", "0,,1");

        assertThat(status).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("GpuProbe: --devices '0,,1': GPU selector #2 is"
                + " blank; ");
    }

    @Test
    void aGpuTheHostDoesNotHaveIsReportedWithTheHostsGpus() {
        int status = run(InMemoryGpuReader.withDevices("H200"), "--count", "1", "--devices", "3");

        assertThat(status).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("GpuProbe: no GPU readings: GPU selector '3'"
                + " matches no GPU in-memory opened (GPU 0: H200 (UUID: GPU-in-memory-0)); select GPUs by an index or"
                + " a full UUID from this list (a GPU this process may not open is left out of it, and named in the"
                + " reader's own line)" + System.lineSeparator());
    }
}
