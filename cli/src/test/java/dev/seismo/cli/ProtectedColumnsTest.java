package dev.seismo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtectedColumnsTest {

    @TempDir
    Path dir;

    private final Set<String> addresses = new LinkedHashSet<>();
    private Path key;

    @BeforeEach
    void writeAKey() throws IOException {
        key = Files.writeString(dir.resolve("seismo.key"), "cli-test-key-0123456789abcdef\n");
    }

    /** Rows of email, user_id, plan and age; a shift makes a quarter of the addresses new. */
    private Path csv(String name, int rows, long seed, boolean shifted) throws IOException {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("email,user_id,plan,age\n");
        for (int i = 0; i < rows; i++) {
            int who = random.nextInt(300) + (shifted && random.nextInt(4) == 0 ? 1_000 : 0);
            String email = "member" + who + "@corp-" + (who % 7) + ".example.com";
            addresses.add(email);
            csv.append(email).append(',').append(90_000 + who).append(',')
                    .append(random.nextBoolean() ? "free" : "pro").append(',').append(20 + random.nextInt(50))
                    .append('\n');
        }
        return Files.writeString(dir.resolve(name), csv.toString());
    }

    /** Every text and every base64 string's decoded bytes: where a raw value could hide. */
    private static String everything(String text) {
        StringBuilder all = new StringBuilder(text);
        Matcher strings = Pattern.compile("\"([A-Za-z0-9+/=]{8,})\"").matcher(text);
        while (strings.find()) {
            try {
                all.append('\n').append(new String(Base64.getDecoder().decode(strings.group(1)),
                        StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notBase64) {
                // not a sketch
            }
        }
        return all.toString();
    }

    private void assertNoAddressIn(String text) {
        String all = everything(text);
        assertThat(addresses).isNotEmpty().noneMatch(all::contains);
    }

    private Cli.Result profile(Path csv, Path out, String... more) {
        String[] args = new String[6 + more.length];
        System.arraycopy(new String[] {"profile", "--input", csv.toString(), "--output", out.toString(),
                "--hash-key-file=" + key}, 0, args, 0, 6);
        System.arraycopy(more, 0, args, 6, more.length);
        return Cli.run(args);
    }

    @Test
    void hashedProfilesDriftOnTheHashedColumnWithoutShowingAnyRawValue() throws IOException {
        Path ref = dir.resolve("ref.json");
        Path cur = dir.resolve("cur.json");
        Cli.Result profiled = profile(csv("ref.csv", 5_000, 1, false), ref, "--hash", "email,user_id");
        assertThat(profiled.exitCode()).as(profiled.err()).isZero();
        assertThat(profiled.out()).contains("2 protected, key hmac-sha256:");
        assertThat(profile(csv("cur.csv", 5_000, 2, true), cur, "--hash", "email,user_id").exitCode()).isZero();
        assertNoAddressIn(Files.readString(ref));
        assertNoAddressIn(Files.readString(cur));
        assertThat(Files.readString(ref)).doesNotContain("cli-test-key").doesNotContain("90001");

        Cli.Result table = Cli.run("drift", "--reference", ref.toString(), "--current", cur.toString());
        Cli.Result json = Cli.run("drift", "-r", ref.toString(), "-c", cur.toString(), "--format", "json");
        Cli.Result fromCsv = Cli.run("drift", "-r", ref.toString(), "-c", dir.resolve("cur.csv").toString(),
                "--hash-key-file", key.toString(), "--format", "json");
        Cli.Result inspect = Cli.run("inspect", ref.toString());
        for (Cli.Result r : new Cli.Result[] {table, json, fromCsv, inspect}) {
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertNoAddressIn(r.out());
        }
        assertThat(table.out()).containsPattern("\\*\\s+email\\s+categorical")
                .contains("hashed columns show keyed hashes");
        // The current CSV hashed on the fly under the same key gives the same drift as its hashed profile.
        JsonNode fromProfile = new ObjectMapper().readTree(json.out()).path("features").path("email");
        JsonNode fromFile = new ObjectMapper().readTree(fromCsv.out()).path("features").path("email");
        assertThat(fromProfile.path("drifted").asBoolean()).isTrue();
        assertThat(fromFile.path("score").asDouble()).isEqualTo(fromProfile.path("score").asDouble());
        assertThat(fromFile.path("unseen")).isEqualTo(fromProfile.path("unseen")).isNotEmpty();
        assertThat(inspect.out()).contains("hashed   under key hmac-sha256:").containsPattern("email\\s+input.*hashed");
    }

    @Test
    void countsOnlyColumnsKeepNoValueAndAreListedAsNotCompared() throws IOException {
        Path ref = dir.resolve("ref.json");
        assertThat(profile(csv("ref.csv", 2_000, 3, false), ref, "--counts-only", "email", "--hash", "user_id")
                .exitCode()).isZero();
        assertNoAddressIn(Files.readString(ref));
        assertThat(Files.readString(ref)).contains("\"COUNTS_ONLY\"");
        Cli.Result inspect = Cli.run("inspect", ref.toString());
        assertThat(inspect.out()).containsPattern("email\\s+input\\s+2000\\s+0.00%\\s+0\\s+\\d+\\s+counts only\\s+-");
        Cli.Result drift = Cli.run("drift", "-r", ref.toString(), "-c", ref.toString());
        assertThat(drift.out()).contains("not compared (counts only, no values kept): email");
    }

    @Test
    void driftRefusesProfilesHashedUnderDifferentKeysOrAgainstUnhashedOnes() throws IOException {
        Path data = csv("data.csv", 500, 4, false);
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Path plain = dir.resolve("plain.json");
        assertThat(profile(data, a, "--hash", "email").exitCode()).isZero();
        key = Files.writeString(dir.resolve("other.key"), "a-different-key-0123456789");
        assertThat(profile(data, b, "--hash", "email").exitCode()).isZero();
        assertThat(Cli.run("profile", "-i", data.toString(), "-o", plain.toString()).exitCode()).isZero();

        Cli.Result keys = Cli.run("drift", "-r", a.toString(), "-c", b.toString());
        assertThat(keys.exitCode()).isEqualTo(1);
        assertThat(keys.err()).startsWith("seismo: error: ").contains("hashed under different keys");
        Cli.Result mixed = Cli.run("drift", "-r", plain.toString(), "-c", a.toString());
        assertThat(mixed.exitCode()).isEqualTo(1);
        assertThat(mixed.err()).contains("feature 'email' is NONE in one profile but HASHED in the other");
        Cli.Result wrongKeyForCsv = Cli.run("drift", "-r", a.toString(), "-c", data.toString(),
                "--hash-key-file", key.toString());
        assertThat(wrongKeyForCsv.exitCode()).isEqualTo(1);
        assertThat(wrongKeyForCsv.err()).contains("is not the one").contains("was profiled with");
    }

    @Test
    void hashingWithoutAKeyOrWithAShortOneIsAClearErrorThatWritesNothing() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("SEISMO_HASH_KEY") == null);
        Path data = csv("data.csv", 10, 5, false);
        Path out = dir.resolve("out.json");
        Cli.Result none = Cli.run("profile", "-i", data.toString(), "-o", out.toString(), "--hash", "email");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("--hash needs a hash key").contains("SEISMO_HASH_KEY")
                .contains("--hash-key-file");
        Path shortKey = Files.writeString(dir.resolve("short.key"), "abc\n");
        Cli.Result tooShort = Cli.run("profile", "-i", data.toString(), "-o", out.toString(), "--hash", "email",
                "--hash-key-file", shortKey.toString());
        assertThat(tooShort.exitCode()).isEqualTo(1);
        assertThat(tooShort.err()).contains("3 bytes").contains("at least 16");
        Cli.Result both = profile(data, out, "--hash", "email", "--counts-only", "email");
        assertThat(both.exitCode()).isEqualTo(2);
        Cli.Result unknown = profile(data, out, "--hash", "mail");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("column 'mail', set hashed, is not in the header");
        assertThat(out).doesNotExist();
    }
}
