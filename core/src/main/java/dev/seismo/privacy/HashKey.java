package dev.seismo.privacy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that {@link Protection#HASHED} and {@link Protection#COUNTS_ONLY} values are hashed with (HMAC-SHA-256).
 * It comes from configuration or the environment variable {@value #ENVIRONMENT_VARIABLE}, never from a profile: a
 * profile records only the key's {@link #fingerprint()}, so that profiles hashed under different keys are refused
 * rather than compared (every value would look unseen: fake drift).
 *
 * <p>Use at least 16 random bytes ({@code openssl rand -base64 32}) and keep the key as secret as the data: whoever
 * holds it can hash candidate values and look for them in a profile. Rotating the key makes new profiles
 * incomparable with the old ones; profile the reference again under the new key.
 *
 * <p>Thread-safe: immutable. {@link #toString()} shows the fingerprint only.
 */
public final class HashKey {

    /** The environment variable read by {@link #fromEnvironment()}. */
    public static final String ENVIRONMENT_VARIABLE = "SEISMO_HASH_KEY";
    /** The shortest key accepted, in bytes. */
    public static final int MIN_BYTES = 16;

    static final String ALGORITHM = "HmacSHA256";
    private static final byte[] FINGERPRINT_INPUT = "seismo hash key fingerprint v1".getBytes(StandardCharsets.UTF_8);

    private final byte[] key;
    private final String fingerprint;

    private HashKey(byte[] key) {
        this.key = key;
        Mac mac = ValueHasher.newMac(key);
        byte[] digest = mac.doFinal(FINGERPRINT_INPUT);
        // 64 bits: enough to tell keys apart, far too few to be of any help in guessing one.
        this.fingerprint = "hmac-sha256:" + HexFormat.of().formatHex(digest, 0, 8);
    }

    /**
     * A key of the secret's UTF-8 bytes.
     *
     * @throws IllegalArgumentException if they are fewer than {@value #MIN_BYTES}
     */
    public static HashKey of(String secret) {
        Objects.requireNonNull(secret, "secret");
        return of(secret.getBytes(StandardCharsets.UTF_8), "the hash key");
    }

    /**
     * A key of these bytes (copied).
     *
     * @throws IllegalArgumentException if they are fewer than {@value #MIN_BYTES}
     */
    public static HashKey of(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        return of(secret.clone(), "the hash key");
    }

    private static HashKey of(byte[] bytes, String what) {
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException(what + " has " + bytes.length + " bytes; use at least " + MIN_BYTES
                    + " random bytes, such as the output of 'openssl rand -base64 32'");
        }
        return new HashKey(bytes);
    }

    /**
     * The key in {@value #ENVIRONMENT_VARIABLE} (its UTF-8 bytes), or empty if the variable is unset or blank.
     *
     * @throws IllegalArgumentException if it is set but shorter than {@value #MIN_BYTES} bytes
     */
    public static Optional<HashKey> fromEnvironment() {
        return fromEnvironment(System::getenv);
    }

    /** {@link #fromEnvironment()} reading variables through {@code environment}: for tests and embedders. */
    public static Optional<HashKey> fromEnvironment(Function<String, String> environment) {
        String value = environment.apply(ENVIRONMENT_VARIABLE);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(of(value.getBytes(StandardCharsets.UTF_8), "the environment variable "
                + ENVIRONMENT_VARIABLE));
    }

    /**
     * What a profile records of the key: {@code hmac-sha256:} and 16 hex digits of an HMAC of a fixed text. Equal
     * keys have equal fingerprints; the fingerprint does not help to find the key.
     */
    public String fingerprint() {
        return fingerprint;
    }

    /** A new hasher under this key, for one thread. */
    public ValueHasher newHasher() {
        return new ValueHasher(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HashKey k && MessageDigest.isEqual(k.key, key);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return "HashKey[" + fingerprint + "]";
    }

    static SecretKeySpec spec(byte[] key) {
        return new SecretKeySpec(key, ALGORITHM);
    }
}
