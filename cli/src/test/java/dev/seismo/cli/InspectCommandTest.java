package dev.seismo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seismo.profile.CallStats;
import dev.seismo.profile.ProfileAccumulator;
import dev.seismo.profile.ProfileJson;
import dev.seismo.profile.ProfileMetadata;
import dev.seismo.profile.ProfileOptions;
import dev.seismo.schema.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {

    @TempDir
    Path dir;

    @Test
    void showsTheModelAndOneRowPerFeature() throws IOException {
        // n is 1..100 then missing 10 times; country is US 55, DE 33, FR 22. Below k values, KLL is exact.
        StringBuilder csv = new StringBuilder("n,country\n");
        for (int i = 0; i < 110; i++) {
            int tenth = i % 10;
            csv.append(i < 100 ? Integer.toString(i + 1) : "").append(',')
                    .append(tenth < 5 ? "US" : tenth < 8 ? "DE" : "FR").append('\n');
        }
        Path input = Files.writeString(dir.resolve("data.csv"), csv);
        Path profile = dir.resolve("reference.json");
        Cli.run("profile", "-i", input.toString(), "-o", profile.toString(), "--name", "fraud", "--model-version", "3");

        Cli.Result result = Cli.run("inspect", profile.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out().lines()).contains("profile  " + profile, "model    fraud", "version  3", "rows     110",
                "numeric features", "categorical features");
        assertThat(result.out().lines())
                .anyMatch(line -> line.matches("name +role +count +missing +invalid +min +p50 +p99 +max"))
                .anyMatch(line -> line.matches("n +input +100 +9\\.09% +0 +1 +50 +99 +100"))
                .anyMatch(line -> line.matches("name +role +count +missing +invalid +distinct +top values"))
                .anyMatch(line -> line.matches("country +input +110 +0\\.00% +0 +3 +US 55, DE 33, FR 22"));
        assertThat(result.out()).doesNotContain("calls");
    }

    @Test
    void showsThePeriodAndCallStatistics() throws IOException {
        CallStats.Accumulator calls = new CallStats.Accumulator();
        calls.record(2_000_000, null, 10, 5, true, true);
        calls.record(4_000_000, null, 0, 0, false, true);
        calls.record(1_000_000, "Timeout", 0, 0, false, false);
        Schema schema = Schema.builder().numericOutput("score").build();
        ProfileAccumulator accumulator = new ProfileAccumulator(schema, ProfileOptions.defaults());
        accumulator.updateNumeric(0, 0.25);
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        Path profile = dir.resolve("live.json");
        ProfileJson.write(accumulator.toProfile(
                new ProfileMetadata(null, null, start, start.plusSeconds(3600)), calls.snapshot()), profile);

        Cli.Result result = Cli.run("inspect", profile.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines())
                .contains("period   2025-01-01T00:00:00Z .. 2025-01-01T01:00:00Z", "calls", "calls     3",
                        "errors    1 (Timeout 1)", "profiled  2 calls",
                        "usage     10 input units, 5 output units over 1 calls")
                .anyMatch(line -> line.matches("score +output +1 +0\\.00% +0 +0\\.25 +0\\.25 +0\\.25 +0\\.25"))
                .anyMatch(line -> line.matches("latency   p50 2(\\.\\d+)? ms, p99 4(\\.\\d+)? ms, max 4(\\.\\d+)? ms"
                        + " \\(successful calls\\)"))
                .noneMatch(line -> line.startsWith("model") || line.startsWith("version"));
    }

    @Test
    void reportsAMissingProfileFile() {
        Path missing = dir.resolve("nope.json");

        Cli.Result result = Cli.run("inspect", missing.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("seismo: error: " + missing + ": no such file" + System.lineSeparator());
    }
}
