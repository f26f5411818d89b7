package dev.seismo.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * Replaces values by their keyed hash: HMAC-SHA-256 of the value's UTF-8 bytes under a {@link HashKey}, its first
 * 128 bits as 22 characters of unpadded base64url. The same value and key give the same text in every process and
 * on every platform, so profiles made apart (a reference from a CSV file, live windows, Spark partitions) compare
 * and merge.
 *
 * <p>Design notes: an HMAC costs about a microsecond, so it runs where values enter a profile, on the aggregation
 * thread, never on a recording thread. Each hasher owns one {@link Mac} and its buffers, reused for every value: a
 * hash allocates only the returned string (and a larger buffer the first time a value is longer than any before).
 *
 * <p>Not thread-safe: one hasher per thread (per {@code ProfileAccumulator}).
 */
public final class ValueHasher {

    /** Bytes of the HMAC kept: 128 bits, collisions negligible at any cardinality a profile meets. */
    static final int KEPT_BYTES = 16;
    /** Characters of a hash: 16 bytes in unpadded base64. */
    public static final int HASH_LENGTH = 22;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final Mac mac;
    private byte[] utf8 = new byte[512];
    private final byte[] digest = new byte[32];
    private final byte[] kept = new byte[KEPT_BYTES];
    private final byte[] text = new byte[HASH_LENGTH];

    ValueHasher(byte[] key) {
        this.mac = newMac(key);
    }

    static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HashKey.ALGORITHM);
            mac.init(HashKey.spec(key));
            return mac;
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime must provide HmacSHA256.
            throw new IllegalStateException("this Java runtime lacks " + HashKey.ALGORITHM, e);
        }
    }

    /** The keyed hash of the value's text, as {@link #HASH_LENGTH} characters of base64url. */
    public String hash(CharSequence value) {
        int n = encode(value);
        mac.update(utf8, 0, n);
        try {
            mac.doFinal(digest, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("the digest buffer holds a SHA-256 HMAC", e);
        }
        System.arraycopy(digest, 0, kept, 0, KEPT_BYTES);
        BASE64URL.encode(kept, text);
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    /**
     * Encodes the value as UTF-8 into the reusable buffer, exactly as {@code String.getBytes(UTF_8)} does (an unpaired
     * surrogate becomes {@code ?}); returns the length.
     */
    private int encode(CharSequence s) {
        int length = s.length();
        if (utf8.length < length * 3) {
            utf8 = new byte[length * 3];
        }
        byte[] out = utf8;
        int n = 0;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | (c >> 6));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    out[n++] = (byte) (0xF0 | (cp >> 18));
                    out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    out[n++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    out[n++] = (byte) '?';
                }
            } else {
                out[n++] = (byte) (0xE0 | (c >> 12));
                out[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return n;
    }
}
