package dev.seismo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftCommandTest {

    @TempDir
    Path dir;

    private Path reference;

    /** Rows of age (normal), country (three categories) and an optional income, like a training set. */
    private static String rows(int n, long seed, double ageShift, String[] countries) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("age,country,income\n");
        for (int i = 0; i < n; i++) {
            csv.append(40 + ageShift + 10 * random.nextGaussian()).append(',')
                    .append(countries[random.nextInt(countries.length)]).append(',')
                    .append(i % 10 == 0 ? "" : Double.toString(1000 + 100 * random.nextGaussian())).append('\n');
        }
        return csv.toString();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @BeforeEach
    void profileTheReference() throws IOException {
        Path csv = write("train.csv", rows(20_000, 1, 0, new String[] {"DE", "FR", "US"}));
        reference = dir.resolve("reference.json");
        assertThat(Cli.run("profile", "--input", csv.toString(), "--output", reference.toString()).exitCode())
                .isZero();
    }

    @Test
    void printsATableAndExitsZeroWhenNothingDrifted() throws IOException {
        Path current = write("current.csv", rows(5_000, 2, 0, new String[] {"DE", "FR", "US"}));

        Cli.Result result = Cli.run("drift", "--reference", reference.toString(), "--current", current.toString(),
                "--fail-on-drift");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("policy calibrated: 0 of 3 features drifted").contains("no dataset drift")
                .contains("age").contains("country").contains("income");
    }

    @Test
    void writesTheReportAsJsonWithTheDocumentedShape() throws IOException {
        Path current = write("current.csv", rows(5_000, 3, 8, new String[] {"DE", "FR", "US", "NG"}));
        Path report = dir.resolve("report.json");

        Cli.Result result = Cli.run("drift", "-r", reference.toString(), "-c", current.toString(), "--format", "json",
                "--output", report.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("datasetDrift").asBoolean()).isTrue();
        assertThat(json.get("driftShare").asDouble()).isEqualTo(2.0 / 3);
        JsonNode age = json.get("features").get("age");
        assertThat(age.get("type").asText()).isEqualTo("numeric");
        assertThat(age.get("drifted").asBoolean()).isTrue();
        assertThat(age.get("count").asLong()).isEqualTo(5_000);
        assertThat(age.get("statistics").fieldNames()).toIterable()
                .contains("psi", "js_distance", "hellinger", "ks", "ks_p_value", "wasserstein_normed");
        JsonNode country = json.get("features").get("country");
        assertThat(country.get("type").asText()).isEqualTo("categorical");
        assertThat(country.get("unseen")).extracting(JsonNode::asText).containsExactly("NG");
        assertThat(country.get("statistics").has("chi2_p_value")).isTrue();
        assertThat(json.get("features").get("income").get("missing_ratio").asDouble()).isEqualTo(0.1);
    }

    @Test
    void exitsThreeOnDriftWhenAskedToFail() throws IOException {
        Path current = write("current.csv", rows(5_000, 4, 8, new String[] {"DE", "FR", "US", "NG"}));

        Cli.Result result = Cli.run("drift", "-r", reference.toString(), "-c", current.toString(), "--fail-on-drift");

        assertThat(result.exitCode()).isEqualTo(DriftCommand.DRIFT_FOUND);
        assertThat(result.out()).contains("DATASET DRIFT").containsPattern("\\*\\s+age");
    }

    @Test
    void comparesAProfileFileAsWellAsACsvAndTakesThePolicy() throws IOException {
        Path csv = write("current.csv", rows(5_000, 5, 8, new String[] {"DE", "FR", "US"}));
        Path current = dir.resolve("current.json");
        Cli.run("profile", "--input", csv.toString(), "--output", current.toString());

        Cli.Result result = Cli.run("drift", "-r", reference.toString(), "-c", current.toString(),
                "--policy", "evidently");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("policy evidently: 1 of 3 features drifted");
    }

    @Test
    void aFeatureOfAnotherTypeInTheCurrentProfileIsAOneLineError() throws IOException {
        Path csv = write("current.csv", "age,country,income\nold,DE,1\nyoung,FR,2\n");
        Path current = dir.resolve("current.json");
        Cli.run("profile", "--input", csv.toString(), "--output", current.toString());

        Cli.Result result = Cli.run("drift", "-r", reference.toString(), "-c", current.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("seismo: error: " + current + " cannot be compared with " + reference)
                .contains("age").doesNotContain("\tat ");
    }

    @Test
    void anEmptyCurrentFileIsAOneLineError() throws IOException {
        Path current = write("current.csv", "age,country,income\n");

        Cli.Result result = Cli.run("drift", "-r", reference.toString(), "-c", current.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("seismo: error: " + current + " has no rows to compare"
                + System.lineSeparator());
    }

    @Test
    void anUnknownPolicyIsAUsageError() {
        Cli.Result result = Cli.run("drift", "-r", reference.toString(), "-c", reference.toString(),
                "--policy", "strict");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("seismo: error: Invalid value for option '--policy'");
    }

    @Test
    void aMissingCurrentFileIsAOneLineErrorAndWritesNothing() {
        Path report = dir.resolve("report.json");

        Cli.Result result = Cli.run("drift", "-r", reference.toString(), "-c", dir.resolve("nope.csv").toString(),
                "-o", report.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("seismo: error: " + dir.resolve("nope.csv") + ": no such file"
                + System.lineSeparator());
        assertThat(report).doesNotExist();
    }
}
