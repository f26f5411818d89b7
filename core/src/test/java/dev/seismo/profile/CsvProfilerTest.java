package dev.seismo.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seismo.schema.Feature;
import dev.seismo.schema.FeatureType;
import dev.seismo.schema.Role;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvProfilerTest {

    private static final String[] COUNTRIES = {"US", "DE", "FR", "São Paulo, BR"};

    @TempDir
    Path dir;

    @Test
    void infersColumnTypesAndMatchesExactStatisticsOfTheRawData() throws IOException {
        Random random = new Random(42);
        int rows = 5000;
        List<Double> ages = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        Map<String, Long> countries = new HashMap<>();
        long missingScores = 0;
        StringBuilder csv = new StringBuilder("age,country,score,code\r\n");
        for (int i = 0; i < rows; i++) {
            double age = Math.round(40 + 12 * random.nextGaussian() * 100) / 100.0;
            ages.add(age);
            String country = COUNTRIES[random.nextInt(COUNTRIES.length)];
            countries.merge(country, 1L, Long::sum);
            String score = "";
            if (random.nextInt(20) == 0) {
                missingScores++;
            } else {
                double s = random.nextDouble();
                scores.add(s);
                score = Double.toString(s);
            }
            // Numbers until the last row, whose code is not one: the column must end up categorical.
            String code = i == rows - 1 ? "7d" : Integer.toString(random.nextInt(10));
            csv.append(age).append(',').append(quote(country)).append(',').append(score).append(',').append(code)
                    .append("\r\n");
        }

        Profile profile = profile(csv.toString());

        assertThat(profile.schema().features()).containsExactly(
                new Feature("age", FeatureType.NUMERIC, Role.INPUT),
                new Feature("country", FeatureType.CATEGORICAL, Role.INPUT),
                new Feature("score", FeatureType.NUMERIC, Role.INPUT),
                new Feature("code", FeatureType.CATEGORICAL, Role.INPUT));
        assertThat(profile.rows()).isEqualTo(rows);
        assertMatchesExactly(profile.numeric("age"), ages);
        NumericProfile score = profile.numeric("score");
        assertMatchesExactly(score, scores);
        assertThat(score.missing()).isEqualTo(missingScores);
        CategoricalProfile country = profile.categorical("country");
        assertThat(country.countsExact()).isTrue();
        countries.forEach((value, count) -> assertThat(country.estimate(value)).as(value).isEqualTo(count));
        assertThat(country.distinctEstimate()).isCloseTo(COUNTRIES.length, within(0.5));
        CategoricalProfile code = profile.categorical("code");
        assertThat(code.count()).isEqualTo(rows);
        assertThat(code.estimate("7d")).isEqualTo(1);
        assertThat(code.distinctEstimate()).isCloseTo(11, within(0.5));
    }

    @Test
    void countsNanAsMissingAndInfinityAsInvalid() throws IOException {
        NumericProfile x = profile("x\n1\nNaN\ninf\n-Infinity\n 2 \n").numeric("x");

        assertThat(x.count()).isEqualTo(2);
        assertThat(x.missing()).isEqualTo(1);
        assertThat(x.invalid()).isEqualTo(2);
        assertThat(x.max()).isEqualTo(2.0);
    }

    @Test
    void countsEmptyAndWhitespaceFieldsAsMissing() throws IOException {
        Profile profile = profile("n,c\n1,a\n,\n\"  \",\" \"\n3,b\n");

        assertThat(profile.numeric("n").missing()).isEqualTo(2);
        assertThat(profile.numeric("n").count()).isEqualTo(2);
        assertThat(profile.categorical("c").missing()).isEqualTo(2);
        assertThat(profile.categorical("c").count()).isEqualTo(2);
    }

    @Test
    void makesAColumnWithNoValuesNumeric() throws IOException {
        Profile profile = profile("a,b\n,x\n,y\n");

        assertThat(profile.numeric("a").missing()).isEqualTo(2);
        assertThat(profile.numeric("a").count()).isZero();
    }

    @Test
    void keepsCategoricalValuesExactlyAsWritten() throws IOException {
        CategoricalProfile c = profile("c\n\" US\"\nUS\n\"multi\nline\"\n").categorical("c");

        assertThat(c.estimate(" US")).isEqualTo(1);
        assertThat(c.estimate("US")).isEqualTo(1);
        assertThat(c.estimate("multi\nline")).isEqualTo(1);
    }

    @Test
    void profilesAColumnSetCategoricalAsCategoriesEvenWhenItHoldsNumbers() throws IOException {
        Profile profile = CsvProfiler.builder().categorical(List.of("zip")).build()
                .profile(new StringReader("zip,n\n02139,1\n02139,2\n10001,3\n"), "data.csv");

        assertThat(profile.categorical("zip").estimate("02139")).isEqualTo(2);
        assertThat(profile.numeric("n").count()).isEqualTo(3);
    }

    @Test
    void countsValuesThatAreNotNumbersAsInvalidInAColumnSetNumeric() throws IOException {
        NumericProfile x = CsvProfiler.builder().numeric(List.of("x")).build()
                .profile(new StringReader("x\n1\nn/a\n3\n\nabc\n"), "data.csv").numeric("x");

        assertThat(x.count()).isEqualTo(2);
        assertThat(x.invalid()).isEqualTo(2);
        assertThat(x.missing()).isZero();
        assertThat(x.mean()).isEqualTo(2.0);
    }

    @Test
    void rejectsSettingTheTypeOfAColumnTheHeaderDoesNotHave() {
        CsvProfiler profiler = CsvProfiler.builder().numeric(List.of("agee")).build();

        assertThatThrownBy(() -> profiler.profile(new StringReader("model,age,country\n"), "data.csv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 'agee', set numeric, is not in the header of data.csv (model,age,country)");
    }

    @Test
    void rejectsAColumnSetBothCategoricalAndNumeric() {
        CsvProfiler.Builder builder = CsvProfiler.builder().categorical(List.of("a", "b")).numeric(List.of("b"));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 'b' is set both categorical and numeric; choose one");
    }

    @Test
    void rejectsAQuoteOrLineBreakAsDelimiter() {
        assertThatThrownBy(() -> CsvProfiler.builder().delimiter('"'))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delimiter must not be a quote or a line break, got '\"'");
    }

    @Test
    void readsOtherDelimiters() throws IOException {
        Profile profile = CsvProfiler.builder().delimiter('\t').build()
                .profile(new StringReader("a\tb\n1,5\tx\n"), "data.tsv");

        assertThat(profile.categorical("a").estimate("1,5")).isEqualTo(1);
    }

    @Test
    void rejectsARowWithTheWrongNumberOfFieldsNamingTheLineAndTheHeader() {
        String csv = "model,age,country\nm1,30,US\n\"m\n2\",31,DE\nm3,32,FR,extra\n";

        assertThatThrownBy(() -> profile(csv))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("data.csv line 5: 4 fields, but the header has 3 (model,age,country)");
        assertThatThrownBy(() -> profile("a,b\n1\n"))
                .hasMessage("data.csv line 2: 1 field, but the header has 2 (a,b)");
    }

    @Test
    void rejectsAnEmptyInput() {
        assertThatThrownBy(() -> profile("\n\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("data.csv: is empty; the first line must be a header naming the columns")
                .satisfies(e -> assertThat(((CsvFormatException) e).line()).isZero());
    }

    @Test
    void rejectsAHeaderThatNamesAColumnTwice() {
        assertThatThrownBy(() -> profile("a,b,a\n1,2,3\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("data.csv line 1: column 'a' appears twice in the header (columns 1 and 3);"
                        + " every column needs a unique name");
    }

    @Test
    void rejectsAHeaderWithABlankName() {
        assertThatThrownBy(() -> profile("a,,c\n1,2,3\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("data.csv line 1: column 2 has no name in the header; every column needs a unique name");
    }

    @Test
    void readsAUtf8FileWithByteOrderMarkAndNamesItInErrors() throws IOException {
        Path file = dir.resolve("data.csv");
        Files.writeString(file, "\uFEFFcity,n\r\nZürich,1\r\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("bad.csv"), "a\n1\n2,3\n");

        Profile profile = CsvProfiler.builder().model("fraud").version("3").build().profile(file);

        assertThat(profile.categorical("city").estimate("Zürich")).isEqualTo(1);
        assertThat(profile.model()).isEqualTo("fraud");
        assertThat(profile.version()).isEqualTo("3");
        assertThatThrownBy(() -> CsvProfiler.builder().build().profile(dir.resolve("bad.csv")))
                .hasMessage(dir.resolve("bad.csv") + " line 3: 2 fields, but the header has 1 (a)");
    }

    @Test
    void rejectsAFileThatIsNotUtf8() throws IOException {
        Path file = dir.resolve("latin1.csv");
        Files.write(file, "city\nZ\u00fcrich\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> CsvProfiler.builder().build().profile(file))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage(file + ": is not UTF-8 text; convert it to UTF-8 first");
    }

    @Test
    void recognisesDecimalNumbersAndNanAndInfinityTokensOnly() {
        for (String number : List.of("0", "-1", "+2.5", ".5", "5.", "1e3", "1.5E-3", "-0.0", "NaN", "nan", "inf",
                "-Inf", "+Infinity", "INFINITY")) {
            assertThat(CsvProfiler.isNumber(number)).as(number).isTrue();
        }
        for (String other : List.of("", "-", ".", "1d", "2f", "0x1p3", "1e", "1e+", "e5", "1,5", "1 2", "--1",
                "infinit", "nana", "7d")) {
            assertThat(CsvProfiler.isNumber(other)).as(other).isFalse();
        }
        assertThat(CsvProfiler.toDouble("-Inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(CsvProfiler.toDouble("+inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(CsvProfiler.toDouble("NaN")).isNaN();
        assertThat(CsvProfiler.toDouble("1.5E-3")).isEqualTo(0.0015);
    }

    /** Exact counts, extremes and moments; quantiles within the sketch's rank error of the exact ones. */
    static void assertMatchesExactly(NumericProfile profile, List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double mean = Arrays.stream(sorted).average().orElseThrow();
        double variance = Arrays.stream(sorted).map(v -> (v - mean) * (v - mean)).sum() / sorted.length;
        assertThat(profile.count()).isEqualTo(sorted.length);
        assertThat(profile.min()).isEqualTo(sorted[0]);
        assertThat(profile.max()).isEqualTo(sorted[sorted.length - 1]);
        assertThat(profile.mean()).isCloseTo(mean, within(1e-9 * Math.max(1, Math.abs(mean))));
        assertThat(profile.variance()).isCloseTo(variance, within(1e-9 * Math.max(1, variance)));
        double error = profile.normalizedRankError();
        for (double rank : new double[] {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99}) {
            double quantile = profile.quantile(rank);
            double exact = exactRank(sorted, quantile);
            // Ties at the returned value lift its inclusive rank past the requested one by their share.
            double ties = exact - exactRank(sorted, Math.nextDown(quantile));
            assertThat(exact).as("rank of the p%s value", rank * 100).isBetween(rank - error, rank + error + ties);
        }
    }

    /** The fraction of values at or below {@code value}: the inclusive rank the sketch estimates. */
    static double exactRank(double[] sorted, double value) {
        int below = 0;
        while (below < sorted.length && sorted[below] <= value) {
            below++;
        }
        return (double) below / sorted.length;
    }

    private static String quote(String value) {
        return value.contains(",") ? '"' + value + '"' : value;
    }

    private static Profile profile(String csv) throws IOException {
        return CsvProfiler.builder().build().profile(new StringReader(csv), "data.csv");
    }
}
