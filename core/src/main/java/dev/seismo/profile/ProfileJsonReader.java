package dev.seismo.profile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.seismo.privacy.Protection;
import dev.seismo.schema.Feature;
import dev.seismo.schema.FeatureType;
import dev.seismo.schema.Role;
import dev.seismo.schema.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.datasketches.frequencies.ItemsSketch;

/**
 * Reads one profile file, checking every key, so that a damaged file fails with a message naming the key rather
 * than yielding a partial or wrong profile. Internal: see {@link ProfileJson}.
 */
final class ProfileJsonReader {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final String REWRITE = "Restore the file, or write it again with ProfileJson.write";
    private static final String EDITED = "ProfileJson never writes this; was the file edited or made by another tool? "
            + REWRITE;

    private static final Pattern FINGERPRINT = Pattern.compile("hmac-sha256:[0-9a-f]{16}");

    private final String source;

    ProfileJsonReader(String source) {
        this.source = source == null ? "<unnamed>" : source;
    }

    Profile read(InputStream in) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        }
        return profile(root);
    }

    Profile read(String json) throws ProfileFormatException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        }
        return profile(root);
    }

    private ProfileFormatException syntaxError(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String problem = e instanceof JsonEOFException
                ? "the JSON ends too early" + where + "; the file is truncated"
                : "not valid JSON" + where + ": " + e.getOriginalMessage().lines().findFirst().orElse("");
        return new ProfileFormatException(source, null, problem, REWRITE, e);
    }

    private Profile profile(JsonNode root) throws ProfileFormatException {
        if (root == null || root.isMissingNode()) {
            throw new ProfileFormatException(source, null, "the input is empty", REWRITE, null);
        }
        if (!root.isObject()) {
            throw notAProfile("", "the top level is " + describe(root) + ", not an object");
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isTextual() || !ProfileJson.FORMAT.equals(format.textValue())) {
            throw notAProfile("/format", "\"format\" is " + (format == null ? "absent" : describe(format))
                    + ", not \"" + ProfileJson.FORMAT + "\"");
        }
        long version = count(root, "", "version");
        if (version > ProfileJson.VERSION) {
            throw new ProfileFormatException(source, "/version", "format version " + version
                    + " is newer than this Seismo reads (up to " + ProfileJson.VERSION + ")",
                    "Upgrade Seismo to a release that reads format version " + version, null);
        }
        if (version < 1) {
            throw new ProfileFormatException(source, "/version", "format version " + version + " does not exist",
                    EDITED, null);
        }
        String model = optionalText(root, "", "model");
        String modelVersion = optionalText(root, "", "modelVersion");
        Instant start = instant(root, "", "start");
        Instant end = instant(root, "", "end");
        if (end.isBefore(start)) {
            throw new ProfileFormatException(source, "/end", "end " + end + " is before start " + start, EDITED,
                    null);
        }
        ProfileOptions options = options(field(root, "", "options", true), "/options");
        String fingerprint = optionalText(root, "", "hashKeyFingerprint");
        if (fingerprint != null && !FINGERPRINT.matcher(fingerprint).matches()) {
            throw new ProfileFormatException(source, "/hashKeyFingerprint", "\"" + describeText(fingerprint)
                    + "\" is not a key fingerprint (hmac-sha256: and 16 hex digits)", EDITED, null);
        }
        JsonNode featureArray = field(root, "", "features", false);
        if (!featureArray.isArray()) {
            throw wrongType("/features", "an array", featureArray);
        }
        List<FeatureProfile> features = new ArrayList<>(featureArray.size());
        for (int i = 0; i < featureArray.size(); i++) {
            features.add(feature(featureArray.get(i), "/features/" + i, options));
        }
        Schema schema;
        try {
            schema = Schema.of(features.stream().map(FeatureProfile::feature).toList());
        } catch (IllegalArgumentException e) {
            throw new ProfileFormatException(source, "/features", e.getMessage(), EDITED, e);
        }
        if (schema.hasProtectedFeatures() != (fingerprint != null)) {
            throw new ProfileFormatException(source, fingerprint == null ? "/" : "/hashKeyFingerprint",
                    fingerprint == null ? "the profile has protected features but no \"hashKeyFingerprint\""
                            : "\"hashKeyFingerprint\" is set but no feature is protected", EDITED, null);
        }
        JsonNode calls = root.get("calls");
        CallStats callStats = calls == null || calls.isNull() ? null : calls(calls, "/calls");
        return new Profile(new ProfileMetadata(model, modelVersion, start, end), options, schema, features,
                callStats, fingerprint);
    }

    private ProfileOptions options(JsonNode node, String at) throws ProfileFormatException {
        ProfileOptions.Builder b = ProfileOptions.builder();
        String key = "kllK";
        try {
            b.kllK(intValue(node, at, key));
            key = "frequentItemsMapSize";
            b.frequentItemsMapSize(intValue(node, at, key));
            key = "hllLgK";
            b.hllLgK(intValue(node, at, key));
            key = "maxCategoryLength";
            b.maxCategoryLength(intValue(node, at, key));
        } catch (IllegalArgumentException e) {
            throw new ProfileFormatException(source, at + "/" + key, e.getMessage(), EDITED, e);
        }
        return b.build();
    }

    private FeatureProfile feature(JsonNode node, String at, ProfileOptions options) throws ProfileFormatException {
        if (!node.isObject()) {
            throw wrongType(at, "an object", node);
        }
        String name = text(node, at, "name");
        FeatureType type = enumValue(node, at, "type", FeatureType.class);
        Role role = enumValue(node, at, "role", Role.class);
        Protection protection = node.has("protection") ? enumValue(node, at, "protection", Protection.class)
                : Protection.NONE;
        long count = count(node, at, "count");
        long missing = count(node, at, "missing");
        long invalid = count(node, at, "invalid");
        try {
            Feature feature = new Feature(name, type, role, protection);
            if (type == FeatureType.NUMERIC) {
                JsonNode exact = node.get("exactCounts");
                double[] values = null;
                long[] counts = null;
                if (exact != null && !exact.isNull()) {
                    if (!exact.isArray()) {
                        throw wrongType(at + "/exactCounts", "an array of [value, count] pairs", exact);
                    }
                    values = new double[exact.size()];
                    counts = new long[exact.size()];
                    for (int i = 0; i < exact.size(); i++) {
                        JsonNode pair = exact.get(i);
                        String pairAt = at + "/exactCounts/" + i;
                        if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber()
                                || !pair.get(1).isIntegralNumber() || !pair.get(1).canConvertToLong()) {
                            throw wrongType(pairAt, "a [value, count] pair", pair);
                        }
                        values[i] = pair.get(0).doubleValue();
                        counts[i] = pair.get(1).longValue();
                    }
                }
                return NumericProfile.of(feature, count, missing, invalid, doubleValue(node, at, "mean"),
                        doubleValue(node, at, "m2"), doubleValue(node, at, "min"), doubleValue(node, at, "max"),
                        bytes(node, at, "kll"), values, counts);
            }
            byte[] items;
            if (protection == Protection.COUNTS_ONLY) {
                if (node.has("frequentItems")) {
                    throw new ProfileFormatException(source, at + "/frequentItems", "feature '" + name
                            + "' is COUNTS_ONLY and keeps no values, yet has \"frequentItems\"", EDITED, null);
                }
                items = new ItemsSketch<String>(options.frequentItemsMapSize()).toByteArray(Sketches.STRINGS);
            } else {
                items = bytes(node, at, "frequentItems");
            }
            return CategoricalProfile.of(feature, count, missing, invalid, count(node, at, "truncated"), items,
                    bytes(node, at, "hll"));
        } catch (IllegalArgumentException e) {
            throw new ProfileFormatException(source, at, "feature '" + name + "' is damaged: " + e.getMessage(),
                    REWRITE, e);
        }
    }

    private CallStats calls(JsonNode node, String at) throws ProfileFormatException {
        if (!node.isObject()) {
            throw wrongType(at, "an object or null", node);
        }
        JsonNode types = field(node, at, "errorsByType", false);
        if (!types.isObject()) {
            throw wrongType(at + "/errorsByType", "an object", types);
        }
        Map<String, Long> errorsByType = new HashMap<>();
        for (Iterator<String> names = types.fieldNames(); names.hasNext(); ) {
            String type = names.next();
            errorsByType.put(type, count(types, at + "/errorsByType", type));
        }
        Histogram success = histogram(node, at, "successLatency", 1, CallStats.MAX_LATENCY_NANOS);
        Histogram errors = histogram(node, at, "errorLatency", 1, CallStats.MAX_LATENCY_NANOS);
        CallStats stats = new CallStats(success, errors,
                histogram(node, at, "inputUnitsHistogram", 0, CallStats.MAX_UNITS),
                histogram(node, at, "outputUnitsHistogram", 0, CallStats.MAX_UNITS), errorsByType,
                count(node, at, "profiledCalls"), count(node, at, "shedRecords"), count(node, at, "shedValues"),
                count(node, at, "inputUnits"), count(node, at, "outputUnits"), count(node, at, "callsWithUsage"));
        // The totals are there for people reading the file; they must agree with the histograms they summarize.
        if (count(node, at, "calls") != stats.calls()) {
            throw new ProfileFormatException(source, at + "/calls", "\"calls\" is " + node.get("calls")
                    + " but the latency histograms hold " + stats.calls() + " calls", EDITED, null);
        }
        if (count(node, at, "errors") != stats.errors()) {
            throw new ProfileFormatException(source, at + "/errors", "\"errors\" is " + node.get("errors")
                    + " but the error latency histogram holds " + stats.errors() + " calls", EDITED, null);
        }
        return stats;
    }

    private Histogram histogram(JsonNode node, String at, String key, long lowest, long highest)
            throws ProfileFormatException {
        byte[] bytes = bytes(node, at, key);
        Histogram decoded;
        try {
            decoded = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
        } catch (Exception e) {
            throw new ProfileFormatException(source, at + "/" + key, "not a compressed HdrHistogram ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")",
                    REWRITE, e);
        }
        Histogram h = lowest == 1 ? CallStats.newLatencyHistogram() : CallStats.newUnitsHistogram();
        CallStats.addClamped(h, decoded, lowest, highest);
        return h;
    }

    private JsonNode field(JsonNode node, String at, String key, boolean mustBeObject)
            throws ProfileFormatException {
        JsonNode value = node.get(key);
        if (value == null) {
            throw new ProfileFormatException(source, at.isEmpty() ? "/" : at, "the key \"" + key + "\" is missing",
                    EDITED, null);
        }
        if (mustBeObject && !value.isObject()) {
            throw wrongType(at + "/" + key, "an object", value);
        }
        return value;
    }

    private String text(JsonNode node, String at, String key) throws ProfileFormatException {
        JsonNode value = field(node, at, key, false);
        if (!value.isTextual()) {
            throw wrongType(at + "/" + key, "a string", value);
        }
        return value.textValue();
    }

    private String optionalText(JsonNode node, String at, String key) throws ProfileFormatException {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(at + "/" + key, "a string or null", value);
        }
        return value.textValue();
    }

    private long count(JsonNode node, String at, String key) throws ProfileFormatException {
        JsonNode value = field(node, at, key, false);
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw wrongType(at + "/" + key, "a whole number from 0 to 2^63-1", value);
        }
        return value.longValue();
    }

    private int intValue(JsonNode node, String at, String key) throws ProfileFormatException {
        JsonNode value = field(node, at, key, false);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw wrongType(at + "/" + key, "a whole number", value);
        }
        return value.intValue();
    }

    private double doubleValue(JsonNode node, String at, String key) throws ProfileFormatException {
        JsonNode value = field(node, at, key, false);
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            switch (value.textValue()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw wrongType(at + "/" + key, "a number, \"NaN\", \"Infinity\" or \"-Infinity\"", value);
    }

    private Instant instant(JsonNode node, String at, String key) throws ProfileFormatException {
        String text = text(node, at, key);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ProfileFormatException(source, at + "/" + key, "\"" + text
                    + "\" is not an ISO-8601 instant such as 2025-01-01T00:00:00Z", EDITED, e);
        }
    }

    private <E extends Enum<E>> E enumValue(JsonNode node, String at, String key, Class<E> type)
            throws ProfileFormatException {
        String text = text(node, at, key);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(text)) {
                return e;
            }
        }
        throw new ProfileFormatException(source, at + "/" + key, "\"" + text + "\" is not one of "
                + Arrays.toString(type.getEnumConstants()), EDITED, null);
    }

    private byte[] bytes(JsonNode node, String at, String key) throws ProfileFormatException {
        String text = text(node, at, key);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ProfileFormatException(source, at + "/" + key, "the sketch is not valid base64 ("
                    + e.getMessage() + ")", REWRITE, e);
        }
    }

    private ProfileFormatException wrongType(String at, String expected, JsonNode found) {
        return new ProfileFormatException(source, at, "expected " + expected + ", found " + describe(found), EDITED,
                null);
    }

    private ProfileFormatException notAProfile(String at, String problem) {
        return new ProfileFormatException(source, at.isEmpty() ? null : at, "not a Seismo profile: " + problem,
                "Pass a file written by ProfileJson.write", null);
    }

    private static String describeText(String text) {
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        if (text.length() > 40) {
            text = text.substring(0, 37) + "...";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + text;
    }
}
