package dev.seismo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seismo.profile.CategoricalProfile;
import dev.seismo.profile.NumericProfile;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileJson;
import dev.seismo.schema.FeatureType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCommandTest {

    @TempDir
    Path dir;

    @Test
    void profilesACsvWithExactCountsAndQuantilesWithinTheSketchError() throws IOException {
        Csv csv = new Csv(20_000, 7);
        Path input = write("data.csv", csv.text());
        Path output = dir.resolve("reference.json");

        Cli.Result result = Cli.run("profile", "--input", input.toString(), "--output", output.toString(),
                "--name", "fraud", "--model-version", "3", "--kll-k", "400");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo("profiled 20000 rows of " + input + ": 2 numeric, 1 categorical columns -> "
                + output + System.lineSeparator());
        Profile profile = ProfileJson.read(output);
        assertThat(profile.model()).isEqualTo("fraud");
        assertThat(profile.version()).isEqualTo("3");
        assertThat(profile.rows()).isEqualTo(20_000);
        NumericProfile latency = profile.numeric("latency");
        assertThat(latency.kllK()).isEqualTo(400);
        assertMatchesExactly(latency, csv.latency);
        NumericProfile score = profile.numeric("score");
        assertMatchesExactly(score, csv.score);
        assertThat(score.missing()).isEqualTo(Arrays.stream(csv.score).filter(Double::isNaN).count());
        CategoricalProfile country = profile.categorical("country");
        assertThat(country.count()).isEqualTo(20_000);
        assertThat(country.estimate("Paris, FR")).isEqualTo(csv.count("Paris, FR"));
        assertThat(country.estimate("US")).isEqualTo(csv.count("US"));
    }

    @Test
    void appliesCategoricalAndNumericOverrides() throws IOException {
        Path input = write("data.csv", "zip,age,id\n02139,30,7\n10001,n/a,8\n");
        Path output = dir.resolve("reference.json");

        Cli.Result result = Cli.run("profile", "-i", input.toString(), "-o", output.toString(),
                "--categorical", "zip,id", "--numeric", "age");

        assertThat(result.exitCode()).isZero();
        Profile profile = ProfileJson.read(output);
        assertThat(profile.feature("id").orElseThrow().type()).isEqualTo(FeatureType.CATEGORICAL);
        assertThat(profile.categorical("zip").estimate("02139")).isEqualTo(1);
        assertThat(profile.numeric("age").count()).isEqualTo(1);
        assertThat(profile.numeric("age").invalid()).isEqualTo(1);
    }

    @Test
    void reportsARowWithTheWrongNumberOfFieldsOnOneLineAndWritesNothing() throws IOException {
        Path input = write("data.csv", "model,age,country\nm1,30,US\n\"m2\",\"3\n1\",DE\nm3,32,FR,x\n");
        Path output = dir.resolve("reference.json");

        Cli.Result result = Cli.run("profile", "--input", input.toString(), "--output", output.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("seismo: error: " + input
                + " line 5: 4 fields, but the header has 3 (model,age,country)" + System.lineSeparator());
        assertThat(result.out()).isEmpty();
        assertThat(output).doesNotExist();
    }

    @Test
    void reportsAnUnterminatedQuoteAtTheLineItOpens() throws IOException {
        Path input = write("data.csv", "a,b\n1,\"open\n2,3\n");

        Cli.Result result = Cli.run("profile", "--input", input.toString(), "--output", dir.resolve("p.json").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("seismo: error: " + input + " line 2: the quote that opens field 2 is never"
                + " closed (a quote inside a quoted field is written as two quotes)" + System.lineSeparator());
    }

    @Test
    void reportsAnEmptyFile() throws IOException {
        Path input = write("data.csv", "");

        Cli.Result result = Cli.run("profile", "--input", input.toString(), "--output", dir.resolve("p.json").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("seismo: error: " + input
                + ": is empty; the first line must be a header naming the columns" + System.lineSeparator());
    }

    @Test
    void reportsAMissingInputFile() {
        Path input = dir.resolve("nope.csv");

        Cli.Result result = Cli.run("profile", "--input", input.toString(), "--output", dir.resolve("p.json").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("seismo: error: " + input + ": no such file" + System.lineSeparator());
    }

    @Test
    void reportsAnInputThatIsADirectory() {
        Cli.Result result = Cli.run("profile", "--input", dir.toString(), "--output", dir.resolve("p.json").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("seismo: error: " + dir + ": is a directory, not a file"
                + System.lineSeparator());
    }

    @Test
    void reportsAnOutputDirectoryThatDoesNotExist() throws IOException {
        Path input = write("data.csv", "a\n1\n");
        Path output = dir.resolve("missing").resolve("p.json");

        Cli.Result result = Cli.run("profile", "--input", input.toString(), "--output", output.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("seismo: error: cannot write " + output + ": directory "
                + output.getParent() + " does not exist" + System.lineSeparator());
    }

    @Test
    void treatsAnOverrideOfAnUnknownColumnAsAUsageError() throws IOException {
        Path input = write("data.csv", "model,age,country\nm,1,US\n");
        Path output = dir.resolve("p.json");

        Cli.Result result = Cli.run("profile", "--input", input.toString(), "--output", output.toString(),
                "--categorical", "contry");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("seismo: error: column 'contry', set categorical, is not in the header of "
                + input + " (model,age,country) (see 'seismo profile --help')" + System.lineSeparator());
        assertThat(output).doesNotExist();
    }

    @Test
    void treatsAColumnSetBothWaysAsAUsageError() throws IOException {
        Path input = write("data.csv", "a\n1\n");

        Cli.Result result = Cli.run("profile", "-i", input.toString(), "-o", dir.resolve("p.json").toString(),
                "--categorical", "a", "--numeric", "a");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("seismo: error: column 'a' is set both categorical and numeric; choose one"
                + " (see 'seismo profile --help')" + System.lineSeparator());
    }

    @Test
    void treatsAKllKOutOfRangeAsAUsageError() throws IOException {
        Path input = write("data.csv", "a\n1\n");

        Cli.Result result = Cli.run("profile", "-i", input.toString(), "-o", dir.resolve("p.json").toString(),
                "--kll-k", "4");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("seismo: error: ").contains("kllK").contains("4")
                .endsWith(" (see 'seismo profile --help')" + System.lineSeparator());
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void treatsAMissingRequiredOptionAsAUsageError() {
        Cli.Result result = Cli.run("profile", "--input", "data.csv");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("seismo: error: Missing required option: '--output=<json>'"
                + " (see 'seismo profile --help')" + System.lineSeparator());
    }

    /** Quantiles within the sketch's rank error of the exact ones; count, extremes and mean exact. */
    static void assertMatchesExactly(NumericProfile profile, double[] column) {
        double[] sorted = Csv.sortedPresent(column);
        assertThat(profile.count()).isEqualTo(sorted.length);
        assertThat(profile.min()).isEqualTo(sorted[0]);
        assertThat(profile.max()).isEqualTo(sorted[sorted.length - 1]);
        assertThat(profile.mean()).isCloseTo(Arrays.stream(sorted).average().orElseThrow(), within(1e-9));
        double error = profile.normalizedRankError();
        for (double rank : new double[] {0.01, 0.25, 0.5, 0.75, 0.99}) {
            double quantile = profile.quantile(rank);
            double exact = Csv.exactRank(sorted, quantile);
            // Ties at the returned value lift its inclusive rank past the requested one by their share.
            double ties = exact - Csv.exactRank(sorted, Math.nextDown(quantile));
            assertThat(exact).as("rank of the p%s value", rank * 100).isBetween(rank - error, rank + error + ties);
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
