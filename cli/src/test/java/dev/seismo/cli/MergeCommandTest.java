package dev.seismo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seismo.profile.CategoricalProfile;
import dev.seismo.profile.NumericProfile;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeCommandTest {

    @TempDir
    Path dir;

    @Test
    void mergesTheProfilesOfTwoHalvesIntoWhatTheWholeFileGives() throws IOException {
        Csv csv = new Csv(10_000, 11);
        Path first = profile("first", csv.text(0, 4_000));
        Path second = profile("second", csv.text(4_000, 10_000));
        Path whole = profile("whole", csv.text());
        Path merged = dir.resolve("merged.json");

        Cli.Result result = Cli.run("merge", first.toString(), second.toString(), "--output", merged.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("merged 2 profiles (10000 rows) -> " + merged + System.lineSeparator());
        Profile fromHalves = ProfileJson.read(merged);
        Profile fromWhole = ProfileJson.read(whole);
        assertThat(fromHalves.rows()).isEqualTo(10_000);
        assertThat(fromHalves.schema()).isEqualTo(fromWhole.schema());
        for (String name : new String[] {"latency", "score"}) {
            NumericProfile halves = fromHalves.numeric(name);
            NumericProfile all = fromWhole.numeric(name);
            assertThat(halves.count()).isEqualTo(all.count());
            assertThat(halves.missing()).isEqualTo(all.missing());
            assertThat(halves.min()).isEqualTo(all.min());
            assertThat(halves.max()).isEqualTo(all.max());
            assertThat(halves.mean()).isCloseTo(all.mean(), within(1e-9));
            assertThat(halves.variance()).isCloseTo(all.variance(), within(1e-9 * all.variance()));
        }
        ProfileCommandTest.assertMatchesExactly(fromHalves.numeric("latency"), csv.latency);
        ProfileCommandTest.assertMatchesExactly(fromHalves.numeric("score"), csv.score);
        CategoricalProfile country = fromHalves.categorical("country");
        for (String value : new String[] {"US", "DE", "FR", "Paris, FR"}) {
            assertThat(country.estimate(value)).as(value).isEqualTo(csv.count(value))
                    .isEqualTo(fromWhole.categorical("country").estimate(value));
        }
    }

    @Test
    void reportsProfilesThatDoNotMergeAndWritesNothing() throws IOException {
        Path numeric = profile("numeric", "x\n1\n2\n");
        Path categorical = profile("categorical", "x\na\nb\n");
        Path merged = dir.resolve("merged.json");

        Cli.Result result = Cli.run("merge", numeric.toString(), categorical.toString(), "-o", merged.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("seismo: error: cannot merge " + categorical
                + " with the profiles before it: ");
        assertThat(result.err().lines()).hasSize(1);
        assertThat(merged).doesNotExist();
    }

    @Test
    void reportsAFileThatIsNotAProfileOnOneLine() throws IOException {
        Path good = profile("good", "x\n1\n");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"format\": \"seismo-profile\", \"version\": ");
        Path merged = dir.resolve("merged.json");

        Cli.Result result = Cli.run("merge", good.toString(), bad.toString(), "-o", merged.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("seismo: error: ").contains(bad.toString());
        assertThat(result.err().lines()).hasSize(1);
        assertThat(merged).doesNotExist();
    }

    @Test
    void requiresAtLeastOneProfile() {
        Cli.Result result = Cli.run("merge", "-o", dir.resolve("merged.json").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("seismo: error: Missing required parameter: '<profile>'"
                + " (see 'seismo merge --help')" + System.lineSeparator());
    }

    private Path profile(String name, String csv) throws IOException {
        Path input = Files.writeString(dir.resolve(name + ".csv"), csv);
        Path output = dir.resolve(name + ".json");
        assertThat(Cli.run("profile", "-i", input.toString(), "-o", output.toString()).exitCode()).isZero();
        return output;
    }
}
