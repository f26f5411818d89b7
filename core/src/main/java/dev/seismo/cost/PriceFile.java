package dev.seismo.cost;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@link CostModel#fromJson price files} with Jackson's streaming parser, which, unlike a tree, keeps the
 * line of each key for the error messages. Validation is the builder's, so a file and code reject the same values
 * with the same words.
 *
 * <p>Internal: not for use outside this package.
 */
final class PriceFile {

    static final List<String> KEYS = List.of("currency", "inputPerMillionTokens", "outputPerMillionTokens",
            "cachedInputPerMillionTokens", "perCall", "instancePerHour", "gpuPerHour", "energyPerKwh",
            "carbonGramsPerKwh");

    /** Repeated keys are found by {@code read} rather than by Jackson, whose error names no JSON pointer. */
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int BYTE_ORDER_MARK = '\uFEFF';

    private PriceFile() {
    }

    static CostModel read(Reader reader, String source) throws IOException {
        CostModel.Builder b = CostModel.builder();
        Set<String> seen = new HashSet<>();
        try (JsonParser p = JSON.createParser(skipByteOrderMark(reader))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error(source, null, p.currentTokenLocation(), "a price file is one JSON object, found "
                        + describe(p.currentToken()), "Write it as { \"currency\": \"USD\", ... }", null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                String pointer = "/" + key.replace("~", "~0").replace("/", "~1");
                JsonLocation at = p.currentTokenLocation();
                JsonToken value = p.nextToken();
                if (!KEYS.contains(key)) {
                    throw error(source, pointer, at, "unknown key '" + key + "'", "Known keys: "
                            + String.join(", ", KEYS), null);
                }
                if (!seen.add(key)) {
                    throw error(source, pointer, at, "repeated key '" + key + "'", "Give each key once", null);
                }
                try {
                    set(b, key, value, p);
                } catch (IllegalArgumentException e) {
                    throw error(source, pointer, at, e.getMessage(), fix(key), null);
                }
            }
            if (p.nextToken() != null) {
                throw error(source, null, p.currentTokenLocation(), "content after the price object",
                        "Keep one JSON object per file", null);
            }
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage();
            throw error(source, null, e.getLocation(), "not valid JSON: " + problem,
                    "Check the file for a missing comma, quote or brace near this point", e);
        }
        if (!seen.contains("currency")) {
            throw error(source, "/currency", null, "the currency is missing",
                    "Add \"currency\": \"USD\" (an ISO 4217 code) so amounts are not misread", null);
        }
        return b.build();
    }

    /**
     * Drops a leading UTF-8 byte order mark, which Windows editors write and Java's decoder keeps as a character;
     * the columns of error messages then count from the first character after it, as editors show them.
     */
    private static Reader skipByteOrderMark(Reader reader) throws IOException {
        PushbackReader in = new PushbackReader(reader, 1);
        int first = in.read();
        if (first != -1 && first != BYTE_ORDER_MARK) {
            in.unread(first);
        }
        return in;
    }

    private static void set(CostModel.Builder b, String key, JsonToken value, JsonParser p) throws IOException {
        if (key.equals("currency")) {
            if (value != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException("currency must be a string, found " + describe(value));
            }
            b.currency(p.getText());
            return;
        }
        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new IllegalArgumentException(key + " must be a number, found " + describe(value)
                    + (value == JsonToken.VALUE_STRING ? " \"" + p.getText() + "\"" : ""));
        }
        double v = p.getDoubleValue();
        switch (key) {
            case "inputPerMillionTokens" -> b.inputPerMillionTokens(v);
            case "outputPerMillionTokens" -> b.outputPerMillionTokens(v);
            case "cachedInputPerMillionTokens" -> b.cachedInputPerMillionTokens(v);
            case "perCall" -> b.perCall(v);
            case "instancePerHour" -> b.instancePerHour(v);
            case "gpuPerHour" -> b.gpuPerHour(v);
            case "energyPerKwh" -> b.energyPerKwh(v);
            case "carbonGramsPerKwh" -> b.carbonGramsPerKwh(v);
            default -> throw new IllegalStateException("key listed but not handled: " + key);
        }
    }

    private static String fix(String key) {
        return key.equals("currency") ? "Use a three-letter ISO 4217 code in quotes, such as \"USD\" or \"EUR\""
                : "Write a plain number >= 0 without quotes, such as \"" + key + "\": 2.5 (prices per million tokens,"
                + " per call, per hour or per kWh; carbon in grams per kWh)";
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing (the file is empty)";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static PriceFileException error(String source, String pointer, JsonLocation at, String problem,
                                            String fix, Throwable cause) {
        int line = at == null ? -1 : at.getLineNr();
        int column = at == null ? -1 : at.getColumnNr();
        return new PriceFileException(source, pointer, line, column, problem, fix, cause);
    }
}
