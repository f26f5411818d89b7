package dev.seismo.profile;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.seismo.privacy.Protection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;

/**
 * Reads and writes profiles in Seismo's versioned JSON format.
 *
 * <p>The file holds the counts and moments as JSON values and each sketch as base64 of its DataSketches or
 * HdrHistogram serialization, so other tools (the DataSketches libraries of other languages) can read them:
 *
 * <pre>{@code
 * {"format": "seismo-profile", "version": 1, "model": "fraud", "modelVersion": "3",
 *  "start": "2025-01-01T00:00:00Z", "end": "2025-01-01T01:00:00Z",
 *  "options": {"kllK": 256, "frequentItemsMapSize": 256, "hllLgK": 12, "maxCategoryLength": 128},
 *  "hashKeyFingerprint": "hmac-sha256:3f2a...",   (only with protected features)
 *  "features": [
 *    {"name": "amount", "type": "NUMERIC", "role": "INPUT", "count": 980, "missing": 20, "invalid": 0,
 *     "min": 0.5, "max": 1250.0, "mean": 87.2, "m2": 1.9E7, "kll": "<base64>"},
 *    {"name": "rating", ..., "kll": "<base64>", "exactCounts": [[1.0, 120], [2.0, 80]]},  (at most 32 values)
 *    {"name": "country", "type": "CATEGORICAL", "role": "INPUT", "count": 1000, "missing": 0, "invalid": 0,
 *     "truncated": 0, "frequentItems": "<base64>", "hll": "<base64>"},
 *    {"name": "email", "type": "CATEGORICAL", "role": "INPUT", "protection": "HASHED", ...},
 *    {"name": "user_id", "type": "CATEGORICAL", "role": "INPUT", "protection": "COUNTS_ONLY", "count": 1000, ...,
 *     "truncated": 0, "hll": "<base64>"}],
 *  "calls": {"calls": 1000, "errors": 3, "errorsByType": {"Timeout": 3}, "successLatency": "<base64>", ...}}
 * }</pre>
 *
 * <p>A protected feature ({@code dev.seismo.privacy.Protection}) has a {@code "protection"} key; a hashed one's
 * sketches hold only keyed hashes, a counts-only one has no {@code "frequentItems"} at all. The key is never written,
 * only its fingerprint.
 *
 * <p>Doubles that JSON cannot hold (NaN, the infinities) are written as the strings {@code "NaN"},
 * {@code "Infinity"} and {@code "-Infinity"}. Output is deterministic: a profile read from a file writes back
 * byte for byte the same. Reading fails with a {@link ProfileFormatException}, never with a partial profile.
 *
 * <p>Thread-safe: stateless.
 */
public final class ProfileJson {

    static final String FORMAT = "seismo-profile";
    static final int VERSION = 1;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private ProfileJson() {
    }

    /**
     * Writes the profile to a file atomically: to a temporary file in the same directory, synced, then moved over
     * the target. On failure the target is untouched and the temporary file removed.
     */
    public static void write(Profile profile, Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                write(profile, Channels.newOutputStream(channel));
                // Without the sync a crash soon after the move can leave the new name pointing at empty blocks.
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Writes the profile as UTF-8 JSON to the stream, which is flushed but left open. */
    public static void write(Profile profile, OutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.setPrettyPrinter(prettyPrinter());
            writeProfile(g, profile);
            g.writeRaw('\n');
        }
    }

    /** The profile as JSON text. */
    public static String toJson(Profile profile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(profile, out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Reads a profile from a file. */
    public static Profile read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads a profile from UTF-8 JSON; the stream is read to its end and left open.
     *
     * @param source names the input in error messages, such as a file name or URL
     */
    public static Profile read(InputStream in, String source) throws IOException {
        return new ProfileJsonReader(source).read(in);
    }

    /**
     * Reads a profile from JSON text.
     *
     * @param source names the text in error messages
     * @throws ProfileFormatException if the text is not a valid profile
     */
    public static Profile fromJson(String json, String source) throws ProfileFormatException {
        return new ProfileJsonReader(source).read(json);
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        // A fixed "\n" rather than the platform's line separator, so files are the same wherever written.
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }

    private static void writeProfile(JsonGenerator g, Profile p) throws IOException {
        g.writeStartObject();
        g.writeStringField("format", FORMAT);
        g.writeNumberField("version", VERSION);
        g.writeStringField("model", p.model());
        g.writeStringField("modelVersion", p.version());
        g.writeStringField("start", p.start().toString());
        g.writeStringField("end", p.end().toString());
        ProfileOptions o = p.options();
        g.writeObjectFieldStart("options");
        g.writeNumberField("kllK", o.kllK());
        g.writeNumberField("frequentItemsMapSize", o.frequentItemsMapSize());
        g.writeNumberField("hllLgK", o.hllLgK());
        g.writeNumberField("maxCategoryLength", o.maxCategoryLength());
        g.writeEndObject();
        if (p.hashKeyFingerprint().isPresent()) {
            g.writeStringField("hashKeyFingerprint", p.hashKeyFingerprint().get());
        }
        g.writeArrayFieldStart("features");
        for (FeatureProfile f : p.features().values()) {
            writeFeature(g, f);
        }
        g.writeEndArray();
        g.writeFieldName("calls");
        if (p.callStats().isPresent()) {
            writeCalls(g, p.callStats().get());
        } else {
            g.writeNull();
        }
        g.writeEndObject();
    }

    private static void writeFeature(JsonGenerator g, FeatureProfile f) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", f.name());
        g.writeStringField("type", f.type().name());
        g.writeStringField("role", f.feature().role().name());
        if (f.feature().protection() != Protection.NONE) {
            g.writeStringField("protection", f.feature().protection().name());
        }
        g.writeNumberField("count", f.count());
        g.writeNumberField("missing", f.missing());
        g.writeNumberField("invalid", f.invalid());
        if (f instanceof NumericProfile n) {
            writeDouble(g, "min", n.min());
            writeDouble(g, "max", n.max());
            writeDouble(g, "mean", n.mean());
            writeDouble(g, "m2", n.m2());
            writeBytes(g, "kll", n.sketchBytesUnsafe());
            if (n.exactValuesUnsafe() != null) {
                // Exact counts of a low-cardinality feature: [[value, count], ...], values ascending.
                g.writeArrayFieldStart("exactCounts");
                for (int i = 0; i < n.exactValuesUnsafe().length; i++) {
                    g.writeStartArray();
                    g.writeNumber(n.exactValuesUnsafe()[i]);
                    g.writeNumber(n.exactCountsUnsafe()[i]);
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
        } else if (f instanceof CategoricalProfile c) {
            g.writeNumberField("truncated", c.truncated());
            if (f.feature().protection() != Protection.COUNTS_ONLY) {
                writeBytes(g, "frequentItems", c.itemsBytes());
            }
            writeBytes(g, "hll", c.hllBytes());
        }
        g.writeEndObject();
    }

    private static void writeCalls(JsonGenerator g, CallStats c) throws IOException {
        g.writeStartObject();
        g.writeNumberField("calls", c.calls());
        g.writeNumberField("errors", c.errors());
        g.writeObjectFieldStart("errorsByType");
        for (Map.Entry<String, Long> e : c.errorsByType().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("profiledCalls", c.profiledCalls());
        g.writeNumberField("shedRecords", c.shedRecords());
        g.writeNumberField("shedValues", c.shedValues());
        g.writeNumberField("inputUnits", c.inputUnits());
        g.writeNumberField("outputUnits", c.outputUnits());
        g.writeNumberField("callsWithUsage", c.callsWithUsage());
        writeBytes(g, "successLatency", encode(c.successLatencyUnsafe()));
        writeBytes(g, "errorLatency", encode(c.errorLatencyUnsafe()));
        writeBytes(g, "inputUnitsHistogram", encode(c.inputUnitsHistogramUnsafe()));
        writeBytes(g, "outputUnitsHistogram", encode(c.outputUnitsHistogramUnsafe()));
        g.writeEndObject();
    }

    private static void writeDouble(JsonGenerator g, String key, double value) throws IOException {
        if (Double.isFinite(value)) {
            g.writeNumberField(key, value);
        } else {
            g.writeStringField(key, Double.toString(value));
        }
    }

    private static void writeBytes(JsonGenerator g, String key, byte[] bytes) throws IOException {
        g.writeStringField(key, Base64.getEncoder().encodeToString(bytes));
    }

    private static byte[] encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Arrays.copyOf(buffer.array(), length);
    }
}
