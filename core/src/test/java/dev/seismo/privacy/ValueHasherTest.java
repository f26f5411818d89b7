package dev.seismo.privacy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueHasherTest {

    private static final String SECRET = "0123456789abcdef-secret";

    /** The definition, computed the plain way: HMAC-SHA-256 of the UTF-8 bytes, first 16 bytes, base64url. */
    private static String expected(String secret, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    }

    @Test
    void aHashIsTheTruncatedHmacOfTheUtf8BytesAsBase64Url() throws Exception {
        ValueHasher hasher = HashKey.of(SECRET).newHasher();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder value = new StringBuilder();
            int length = random.nextInt(300);
            for (int k = 0; k < length; k++) {
                // All of the BMP, unpaired surrogates included, and some supplementary characters.
                if (random.nextInt(20) == 0) {
                    value.appendCodePoint(0x10000 + random.nextInt(0xFFFFF));
                } else {
                    value.append((char) random.nextInt(0x10000));
                }
            }
            String v = value.toString();
            assertThat(hasher.hash(v)).as("value %d", i).isEqualTo(expected(SECRET, v))
                    .hasSize(ValueHasher.HASH_LENGTH);
        }
        assertThat(hasher.hash("")).isEqualTo(expected(SECRET, ""));
        assertThat(hasher.hash("alice@example.com")).isEqualTo(expected(SECRET, "alice@example.com"));
    }

    @Test
    void equalValuesHashAlikeUnderOneKeyAndDifferentlyUnderAnother() {
        ValueHasher a = HashKey.of(SECRET).newHasher();
        ValueHasher b = HashKey.of(SECRET).newHasher();
        ValueHasher other = HashKey.of("another-secret-of-16+ bytes").newHasher();
        assertThat(a.hash("bob@example.com")).isEqualTo(b.hash("bob@example.com"))
                .isNotEqualTo(a.hash("bob@example.org"))
                .isNotEqualTo(other.hash("bob@example.com"));
    }

    @Test
    void aKeyShowsOnlyItsFingerprintWhichTellsKeysApart() {
        HashKey key = HashKey.of(SECRET);
        assertThat(key.fingerprint()).matches("hmac-sha256:[0-9a-f]{16}")
                .isEqualTo(HashKey.of(SECRET.getBytes(StandardCharsets.UTF_8)).fingerprint())
                .isNotEqualTo(HashKey.of(SECRET + "!").fingerprint());
        assertThat(key.toString()).doesNotContain(SECRET).contains(key.fingerprint());
        assertThat(key).isEqualTo(HashKey.of(SECRET)).isNotEqualTo(HashKey.of(SECRET + "!"));
    }

    @Test
    void aShortKeyIsRefusedWithHowToMakeAGoodOne() {
        assertThatThrownBy(() -> HashKey.of("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 bytes").hasMessageContaining("at least 16").hasMessageContaining("openssl");
        assertThatThrownBy(() -> HashKey.fromEnvironment(Map.of("SEISMO_HASH_KEY", "short")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SEISMO_HASH_KEY");
    }

    @Test
    void theEnvironmentGivesTheKeyOrNothingWhenUnsetOrBlank() {
        assertThat(HashKey.fromEnvironment(Map.of("SEISMO_HASH_KEY", SECRET)::get)).contains(HashKey.of(SECRET));
        assertThat(HashKey.fromEnvironment(Map.of("SEISMO_HASH_KEY", "  ")::get)).isEmpty();
        assertThat(HashKey.fromEnvironment(Map.<String, String>of()::get)).isEmpty();
    }
}
