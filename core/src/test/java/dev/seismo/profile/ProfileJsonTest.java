package dev.seismo.profile;

import static dev.seismo.profile.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Profile profile;
    private static String json;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeAProfileWithEveryKindOfValue() {
        ProfileAccumulator acc = TestData.accumulate(5, 3_000);
        acc.updateCategorical(0, "x".repeat(500));
        acc.updateNumeric(0, Double.POSITIVE_INFINITY);
        CallStats.Accumulator calls = new CallStats.Accumulator();
        calls.record(1_500_000, null, 120, 40, true, true);
        calls.record(9_000_000, "Timeout", 0, 0, false, false);
        calls.addShed(2, 8);
        Profile withCalls = acc.toProfile(new ProfileMetadata("fraud", "3", T0, T0.plusSeconds(60)),
                calls.snapshot());
        Profile empty = new ProfileAccumulator(TestData.SCHEMA, ProfileOptions.defaults())
                .toProfile(new ProfileMetadata(null, null, T0, T0), null);
        profile = withCalls.merge(empty);
        json = ProfileJson.toJson(profile);
    }

    @Test
    void readingAndWritingAgainReproducesTheTextExactly() throws IOException {
        assertThat(ProfileJson.toJson(ProfileJson.fromJson(json, "test"))).isEqualTo(json);
    }

    @Test
    void readingKeepsEveryValue() throws IOException {
        Profile read = ProfileJson.fromJson(json, "test");

        assertThat(read.metadata()).isEqualTo(profile.metadata());
        assertThat(read.options()).isEqualTo(profile.options());
        assertThat(read.schema()).isEqualTo(profile.schema());
        NumericProfile a = read.numeric("amount");
        NumericProfile e = profile.numeric("amount");
        assertThat(new double[] {a.mean(), a.variance(), a.min(), a.max(), a.quantile(0.9), a.rank(20)})
                .containsExactly(e.mean(), e.variance(), e.min(), e.max(), e.quantile(0.9), e.rank(20));
        assertThat(new long[] {a.count(), a.missing(), a.invalid()})
                .containsExactly(e.count(), e.missing(), e.invalid());
        assertThat(a.sketchBytes()).isEqualTo(e.sketchBytes());
        CategoricalProfile c = read.categorical("country");
        assertThat(c.frequentItems()).isEqualTo(profile.categorical("country").frequentItems());
        assertThat(c.truncated()).isEqualTo(1);
        assertThat(c.distinctEstimate()).isEqualTo(profile.categorical("country").distinctEstimate());
        CallStats calls = read.callStats().orElseThrow();
        CallStats expected = profile.callStats().orElseThrow();
        assertThat(calls.errorsByType()).isEqualTo(expected.errorsByType());
        assertThat(calls.successLatency()).isEqualTo(expected.successLatency());
        assertThat(calls.errorLatency()).isEqualTo(expected.errorLatency());
        assertThat(calls.inputUnitsHistogram()).isEqualTo(expected.inputUnitsHistogram());
        assertThat(new long[] {calls.calls(), calls.shedRecords(), calls.shedValues(), calls.inputUnits(),
                calls.outputUnits(), calls.callsWithUsage(), calls.profiledCalls()})
                .containsExactly(2, 2, 8, 120, 40, 1, 1);
    }

    @Test
    void profileWithoutValuesOrCallsRoundTrips() throws IOException {
        Profile empty = ProfileBuilder.forSchema(TestData.SCHEMA).period(T0, T0).build();
        String text = ProfileJson.toJson(empty);

        Profile read = ProfileJson.fromJson(text, "test");

        assertThat(read.numeric("amount").mean()).isNaN();
        assertThat(read.callStats()).isEmpty();
        assertThat(read.model()).isNull();
        assertThat(ProfileJson.toJson(read)).isEqualTo(text);
    }

    @Test
    void fileIsReadableJsonWithTheDocumentedKeys() throws IOException {
        ObjectNode root = (ObjectNode) MAPPER.readTree(json);

        assertThat(root.get("format").asText()).isEqualTo("seismo-profile");
        assertThat(root.get("version").asInt()).isEqualTo(1);
        assertThat(root.get("modelVersion").asText()).isEqualTo("3");
        assertThat(root.get("features").get(0).get("count").asLong()).isEqualTo(3_000);
        assertThat(root.get("calls").get("errorsByType").get("Timeout").asLong()).isEqualTo(1);
        assertThat(json).doesNotContain("\r").endsWith("}\n");
    }

    @Test
    void profileWrittenToAFileReadsBack() throws IOException {
        Path file = dir.resolve("p.json");

        ProfileJson.write(profile, file);

        assertThat(Files.readString(file)).isEqualTo(json);
        assertThat(ProfileJson.toJson(ProfileJson.read(file))).isEqualTo(json);
        assertThat(listing()).containsExactly("p.json");
    }

    @Test
    void writingReplacesAnExistingFileWhole() throws IOException {
        Path file = dir.resolve("p.json");
        Files.writeString(file, "old content that is longer than nothing");

        ProfileJson.write(profile, file);

        assertThat(Files.readString(file)).isEqualTo(json);
        assertThat(listing()).containsExactly("p.json");
    }

    @Test
    void failedWriteLeavesNoFileBehindAndTheTargetUntouched() throws IOException {
        Path target = dir.resolve("p.json");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep"), "x");

        assertThatThrownBy(() -> ProfileJson.write(profile, target)).isInstanceOf(IOException.class);

        assertThat(listing()).containsExactly("p.json");
        assertThat(Files.readString(target.resolve("keep"))).isEqualTo("x");
    }

    @Test
    void writeToAMissingDirectoryFailsWithoutCreatingIt() {
        Path target = dir.resolve("missing").resolve("p.json");

        assertThatThrownBy(() -> ProfileJson.write(profile, target)).isInstanceOf(IOException.class);

        assertThat(listing()).isEmpty();
    }

    @Test
    void streamsAreLeftOpenAndRoundTrip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProfileJson.write(profile, out);
        out.write('x');

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(json + "x");
        Profile read = ProfileJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "s");
        assertThat(read.rows()).isEqualTo(profile.rows());
    }

    @Test
    void futureVersionIsRejectedAskingForAnUpgrade() {
        assertRejected(edit(root -> root.put("version", 2)), "/version",
                "test.json at /version: format version 2 is newer than this Seismo reads (up to 1). "
                        + "Upgrade Seismo to a release that reads format version 2");
    }

    @Test
    void truncatedFileIsRejectedWithItsLocation() {
        assertRejected(json.substring(0, json.length() / 2), null, "test.json: the JSON ends too early at line ",
                "; the file is truncated. Restore the file");
    }

    @Test
    void textThatIsNotJsonIsRejectedWithItsLocation() {
        assertRejected("amount,country\n1,DE\n", null, "test.json: not valid JSON at line 1, column ");
    }

    @Test
    void jsonThatIsNotAProfileIsRejected() {
        assertRejected("{\"rows\": []}", "/format", "not a Seismo profile: \"format\" is absent");
    }

    @Test
    void emptyInputIsRejected() {
        assertRejected("", null, "test.json: the input is empty");
    }

    @Test
    void missingKeyIsRejectedNamingTheKeyAndWhere() {
        assertRejected(edit(root -> feature(root, 0).remove("m2")), "/features/0",
                "test.json at /features/0: the key \"m2\" is missing. ProfileJson never writes this");
    }

    @Test
    void valueOfTheWrongTypeIsRejectedNamingTheKey() {
        assertRejected(edit(root -> feature(root, 1).put("count", "many")), "/features/1/count",
                "expected a whole number from 0 to 2^63-1, found string \"many\"");
    }

    @Test
    void negativeCountIsRejected() {
        assertRejected(edit(root -> feature(root, 0).put("missing", -1)), "/features/0/missing",
                "found number -1");
    }

    @Test
    void unknownFeatureTypeIsRejectedListingTheKnownOnes() {
        assertRejected(edit(root -> feature(root, 0).put("type", "TEXT")), "/features/0/type",
                "\"TEXT\" is not one of [NUMERIC, CATEGORICAL]");
    }

    @Test
    void corruptBase64IsRejected() {
        assertRejected(edit(root -> feature(root, 0).put("kll", "not*base64")), "/features/0/kll",
                "the sketch is not valid base64");
    }

    @Test
    void bytesThatAreNoSketchAreRejected() {
        String garbage = Base64.getEncoder().encodeToString("definitely not a sketch".getBytes(
                StandardCharsets.US_ASCII));
        for (String key : List.of("kll", "frequentItems", "hll")) {
            int index = key.equals("kll") ? 0 : 1;
            assertRejected(edit(root -> feature(root, index).put(key, garbage)), "/features/" + index,
                    "is damaged: the bytes are not a");
        }
    }

    @Test
    void truncatedSketchBytesAreRejected() {
        for (String key : List.of("kll", "frequentItems", "hll")) {
            int index = key.equals("kll") ? 0 : 1;
            String text = edit(root -> {
                byte[] bytes = Base64.getDecoder().decode(feature(root, index).get(key).asText());
                byte[] cut = Arrays.copyOf(bytes, bytes.length / 2);
                feature(root, index).put(key, Base64.getEncoder().encodeToString(cut));
            });
            assertRejected(text, "/features/" + index, "is damaged");
        }
    }

    @Test
    void sketchThatDisagreesWithTheCountIsRejected() {
        assertRejected(edit(root -> feature(root, 0).put("count", 2_999)), "/features/0",
                "feature 'amount' is damaged: the KLL sketch holds 3000 values but count is 2999");
    }

    @Test
    void corruptHistogramIsRejected() {
        assertRejected(edit(root -> ((ObjectNode) root.get("calls")).put("successLatency", "AAAA")),
                "/calls/successLatency", "not a compressed HdrHistogram");
    }

    @Test
    void callTotalsThatDisagreeWithTheHistogramsAreRejected() {
        assertRejected(edit(root -> ((ObjectNode) root.get("calls")).put("calls", 3)), "/calls/calls",
                "\"calls\" is 3 but the latency histograms hold 2 calls");
    }

    @Test
    void duplicateKeyIsRejected() {
        assertRejected(json.replaceFirst("\"version\": 1,", "\"version\": 1, \"version\": 1,"), null,
                "Duplicate field 'version'");
    }

    @Test
    void duplicateFeatureNameIsRejected() {
        assertRejected(edit(root -> feature(root, 2).put("name", "amount")), "/features",
                "feature 'amount' is declared twice");
    }

    private void assertRejected(String text, String pointer, String... messageParts) {
        assertThatExceptionOfType(ProfileFormatException.class)
                .isThrownBy(() -> ProfileJson.fromJson(text, "test.json"))
                .satisfies(e -> {
                    assertThat(e.source()).isEqualTo("test.json");
                    if (pointer == null) {
                        assertThat(e.jsonPointer()).isEmpty();
                    } else {
                        assertThat(e.jsonPointer()).contains(pointer);
                    }
                })
                .withMessageContainingAll(messageParts);
    }

    private static String edit(Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(json);
            change.accept(root);
            return MAPPER.writeValueAsString(root);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode feature(ObjectNode root, int index) {
        return (ObjectNode) root.get("features").get(index);
    }

    private List<String> listing() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
