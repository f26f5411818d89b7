package dev.seismo.profile;

import dev.seismo.privacy.HashKey;
import dev.seismo.privacy.Protection;
import dev.seismo.schema.FeatureType;
import dev.seismo.schema.Schema;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Profiles a CSV file in one streaming pass: memory depends on the number of columns, not on the number of rows.
 *
 * <p>The first row is the header and names the columns, which become input features in header order. A column is
 * numeric when every value in it that is not missing is a number, and categorical otherwise; {@link
 * Builder#categorical} and {@link Builder#numeric} settle a column's type instead. Values follow the conventions of
 * docs/DESIGN.md:
 * <ul>
 *   <li>an empty or all-whitespace field is missing;</li>
 *   <li>a number is a decimal such as {@code 12}, {@code -0.5} or {@code 1.5e-3}, with surrounding whitespace
 *       ignored, or one of {@code NaN}, {@code inf}, {@code Infinity} with an optional sign, in any case. {@code NaN}
 *       counts as missing and an infinity as invalid. Java's other forms ({@code 1d}, {@code 0x1p3}) are not numbers
 *       here, so a code such as {@code 7d} keeps its column categorical;</li>
 *   <li>in a column made numeric with {@link Builder#numeric}, a value that is not a number is invalid;</li>
 *   <li>a categorical value is the field exactly as written, whitespace included.</li>
 * </ul>
 * A column with no values at all is numeric. The syntax accepted is RFC 4180 with the leniencies described in
 * {@link CsvReader}; the input must be UTF-8.
 *
 * <p>Thread-safe: immutable; each call to {@code profile} works on its own state.
 */
public final class CsvProfiler {

    private final Set<String> categorical;
    private final Set<String> numeric;
    private final Map<String, FeatureType> schemaTypes;
    private final char delimiter;
    private final String model;
    private final String version;
    private final ProfileOptions options;
    private final Map<String, Protection> protection;
    private final HashKey hashKey;

    private CsvProfiler(Builder b) {
        this.protection = Map.copyOf(b.protection);
        this.hashKey = b.hashKey;
        this.categorical = Set.copyOf(b.categorical);
        this.numeric = Set.copyOf(b.numeric);
        this.schemaTypes = Map.copyOf(b.schemaTypes);
        this.delimiter = b.delimiter;
        this.model = b.model;
        this.version = b.version;
        this.options = b.options;
    }

    /** A builder for a profiler with default settings: types inferred, comma-delimited, default options. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Profiles a UTF-8 CSV file; errors name it as the path is written.
     *
     * @throws CsvFormatException if the file is empty, not UTF-8, malformed, or its header has blank or repeated names
     * @throws IllegalArgumentException if a column set categorical or numeric is not in the header
     * @throws IOException if the file cannot be read
     */
    public Profile profile(Path csv) throws IOException {
        String source = csv.toString();
        try (Reader reader = Files.newBufferedReader(csv)) {
            return profile(reader, source);
        } catch (CharacterCodingException e) {
            throw new CsvFormatException(source, 0, "is not UTF-8 text; convert it to UTF-8 first");
        }
    }

    /**
     * Profiles CSV text read to its end; {@code source} names the input in error messages. The reader is not closed.
     *
     * @throws CsvFormatException if the input is empty, malformed, or its header has blank or repeated names
     * @throws IllegalArgumentException if a column set categorical or numeric is not in the header
     * @throws IOException if reading fails
     */
    public Profile profile(Reader reader, String source) throws IOException {
        CsvReader csv = new CsvReader(reader, source, delimiter);
        String[] header = csv.next();
        if (header == null) {
            throw new CsvFormatException(source, 0, "is empty; the first line must be a header naming the columns");
        }
        checkHeader(header, source);
        Columns columns = new Columns(header);
        for (String[] row = csv.next(); row != null; row = csv.next()) {
            if (row.length != header.length) {
                throw new CsvFormatException(source, csv.recordLine(), row.length
                        + (row.length == 1 ? " field" : " fields") + ", but the header has " + header.length
                        + " (" + describe(header) + ")");
            }
            columns.record(row);
        }
        Instant now = Instant.now();
        return columns.finish(new ProfileMetadata(model, version, now, now));
    }

    /** The type a column is set to, or null when it is to be inferred. */
    private FeatureType typeOf(String column) {
        if (categorical.contains(column) || protection.containsKey(column)) {
            return FeatureType.CATEGORICAL;
        }
        if (numeric.contains(column)) {
            return FeatureType.NUMERIC;
        }
        return schemaTypes.get(column);
    }

    private void checkHeader(String[] header, String source) throws CsvFormatException {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            if (header[i].isBlank()) {
                throw new CsvFormatException(source, 1, "column " + (i + 1)
                        + " has no name in the header; every column needs a unique name");
            }
            Integer first = seen.putIfAbsent(header[i], i);
            if (first != null) {
                throw new CsvFormatException(source, 1, "column '" + header[i] + "' appears twice in the header"
                        + " (columns " + (first + 1) + " and " + (i + 1) + "); every column needs a unique name");
            }
        }
        Set<String> names = Set.of(header);
        for (String name : categorical) {
            checkKnown(name, "categorical", names, header, source);
        }
        for (String name : numeric) {
            checkKnown(name, "numeric", names, header, source);
        }
        for (Map.Entry<String, Protection> p : protection.entrySet()) {
            checkKnown(p.getKey(), p.getValue().name().toLowerCase(Locale.ROOT).replace('_', ' '), names, header,
                    source);
        }
    }

    private static void checkKnown(String name, String type, Set<String> names, String[] header, String source) {
        if (!names.contains(name)) {
            throw new IllegalArgumentException("column '" + name + "', set " + type + ", is not in the header of "
                    + source + " (" + describe(header) + ")");
        }
    }

    /** The header's names, comma-separated as in the file, cut short for very wide files. */
    private static String describe(String[] header) {
        int shown = Math.min(header.length, 20);
        String names = String.join(",", Arrays.asList(header).subList(0, shown));
        return shown == header.length ? names : names + ",... (" + header.length + " columns)";
    }

    /**
     * One pass's per-column state. Until a value that is not a number settles a column's type, the column is
     * profiled both ways, each side in an accumulator of its own; that value drops the numeric side. At the end each
     * column keeps one side, and merging the one-feature profiles, which share every row, gives the file's profile
     * with its columns in header order.
     */
    private final class Columns {
        private final String[] header;
        /** Per column, the numeric side: null once a value was not a number, or if the column is set categorical. */
        private final ProfileAccumulator[] numericSide;
        /** Per column, the categorical side: null if the column is set numeric. */
        private final ProfileAccumulator[] categoricalSide;

        Columns(String[] header) {
            this.header = header;
            numericSide = new ProfileAccumulator[header.length];
            categoricalSide = new ProfileAccumulator[header.length];
            for (int i = 0; i < header.length; i++) {
                FeatureType type = typeOf(header[i]);
                if (type != FeatureType.CATEGORICAL) {
                    numericSide[i] = new ProfileAccumulator(Schema.builder().numericInput(header[i]).build(), options);
                }
                if (type != FeatureType.NUMERIC) {
                    Protection p = protection.getOrDefault(header[i], Protection.NONE);
                    categoricalSide[i] = new ProfileAccumulator(
                            Schema.builder().categoricalInput(header[i], p).build(), options,
                            p == Protection.NONE ? null : hashKey);
                }
            }
        }

        void record(String[] row) {
            for (int i = 0; i < row.length; i++) {
                String value = row[i];
                ProfileAccumulator numbers = numericSide[i];
                ProfileAccumulator categories = categoricalSide[i];
                if (value.isBlank()) {
                    if (numbers != null) {
                        numbers.missingNumeric(0);
                    }
                    if (categories != null) {
                        categories.missingCategorical(0);
                    }
                    continue;
                }
                if (numbers != null) {
                    String trimmed = value.trim();
                    if (isNumber(trimmed)) {
                        numbers.updateNumeric(0, toDouble(trimmed));
                    } else if (categories == null) {
                        numbers.invalidNumeric(0);
                    } else {
                        numericSide[i] = null;
                    }
                }
                if (categories != null) {
                    categories.updateCategorical(0, value);
                }
            }
        }

        Profile finish(ProfileMetadata metadata) {
            List<Profile> columns = new ArrayList<>(header.length);
            for (int i = 0; i < header.length; i++) {
                ProfileAccumulator kept = numericSide[i] != null ? numericSide[i] : categoricalSide[i];
                columns.add(kept.toProfile(metadata, null));
            }
            return Profile.mergeAll(columns);
        }
    }

    /**
     * Whether a trimmed field is a number: a decimal with optional sign, fraction and exponent, or a NaN or infinity
     * token. Checked by hand rather than by catching {@link NumberFormatException}, which also accepts {@code 1d}.
     */
    static boolean isNumber(String s) {
        int n = s.length();
        int i = n > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        if (isToken(s, i, "nan") || isToken(s, i, "inf") || isToken(s, i, "infinity")) {
            return true;
        }
        int digits = 0;
        for (; i < n && isDigit(s.charAt(i)); i++) {
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            for (i++; i < n && isDigit(s.charAt(i)); i++) {
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            for (; i < n && isDigit(s.charAt(i)); i++) {
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    /** The value of a field that {@link #isNumber} accepts. */
    static double toDouble(String s) {
        int i = s.charAt(0) == '+' || s.charAt(0) == '-' ? 1 : 0;
        char first = Character.toLowerCase(s.charAt(i));
        if (first == 'n') {
            return Double.NaN;
        }
        if (first == 'i') {
            return s.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(s);
    }

    private static boolean isToken(String s, int from, String token) {
        return s.length() - from == token.length() && s.regionMatches(true, from, token, 0, token.length());
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Builds a {@link CsvProfiler}. Not thread-safe. */
    public static final class Builder {
        private final Set<String> categorical = new LinkedHashSet<>();
        private final Set<String> numeric = new LinkedHashSet<>();
        private final Map<String, FeatureType> schemaTypes = new HashMap<>();
        private char delimiter = ',';
        private String model;
        private String version;
        private ProfileOptions options = ProfileOptions.reference();
        private final Map<String, Protection> protection = new LinkedHashMap<>();
        private HashKey hashKey;

        private Builder() {
        }

        /**
         * Protects these columns' values ({@link Protection#HASHED} or {@link Protection#COUNTS_ONLY}), which makes
         * them categorical; {@link #hashKey(HashKey)} is then required. {@link Protection#NONE} undoes it.
         */
        public Builder protect(Collection<String> columns, Protection protection) {
            Objects.requireNonNull(protection, "protection");
            for (String c : columns) {
                Objects.requireNonNull(c, "column");
                if (protection == Protection.NONE) {
                    this.protection.remove(c);
                } else {
                    this.protection.put(c, protection);
                }
            }
            return this;
        }

        /** The key protected columns are hashed with. */
        public Builder hashKey(HashKey key) {
            this.hashKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Profiles these columns as categorical whatever their values; adds to the columns already set. */
        public Builder categorical(Collection<String> columns) {
            columns.forEach(c -> categorical.add(Objects.requireNonNull(c, "column")));
            return this;
        }

        /**
         * Profiles these columns as numeric whatever their values, counting values that are not numbers as invalid;
         * adds to the columns already set.
         */
        public Builder numeric(Collection<String> columns) {
            columns.forEach(c -> numeric.add(Objects.requireNonNull(c, "column")));
            return this;
        }

        /**
         * Profiles the columns this schema declares with the schema's types, as when profiling current data to
         * compare with a reference profile: like is compared with like even if, say, a numeric column now holds a
         * stray word (counted invalid). Protected columns stay protected (the same {@link #hashKey} is needed).
         * Columns the file lacks are not an error; {@link #categorical}, {@link #numeric} and {@link #protect} take
         * precedence.
         */
        public Builder typesFrom(Schema schema) {
            schema.features().forEach(f -> schemaTypes.put(f.name(), f.type()));
            schema.categorical().stream().filter(f -> f.protection() != Protection.NONE)
                    .forEach(f -> protection.putIfAbsent(f.name(), f.protection()));
            return this;
        }

        /** The character between fields, {@code ','} by default; not a quote or a line break. */
        public Builder delimiter(char delimiter) {
            if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
                throw new IllegalArgumentException("delimiter must not be a quote or a line break, got "
                        + (delimiter == '"' ? "'\"'" : "a line break"));
            }
            this.delimiter = delimiter;
            return this;
        }

        /** The model the profile describes; none by default. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** The model's version; none by default. */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** Sketch settings; {@link ProfileOptions#reference()} by default. */
        public Builder options(ProfileOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The profiler; fails if a column is set both categorical and numeric, a protected column numeric, or a
         * column is protected without a hash key.
         */
        public CsvProfiler build() {
            for (String column : categorical) {
                if (numeric.contains(column)) {
                    throw new IllegalArgumentException("column '" + column
                            + "' is set both categorical and numeric; choose one");
                }
            }
            for (Map.Entry<String, Protection> p : protection.entrySet()) {
                if (numeric.contains(p.getKey())) {
                    throw new IllegalArgumentException("column '" + p.getKey() + "' is set numeric and "
                            + p.getValue() + "; a protected column is categorical: choose one");
                }
                if (hashKey == null) {
                    throw new IllegalArgumentException("column '" + p.getKey() + "' is " + p.getValue()
                            + ", which needs a hash key: set " + HashKey.ENVIRONMENT_VARIABLE
                            + " (or pass HashKey.of(secret) to hashKey(..))");
                }
            }
            return new CsvProfiler(this);
        }
    }
}
