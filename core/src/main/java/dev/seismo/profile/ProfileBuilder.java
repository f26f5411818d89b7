package dev.seismo.profile;

import dev.seismo.privacy.HashKey;
import dev.seismo.schema.Feature;
import dev.seismo.schema.Schema;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link Profile} from rows of Java values, for reference data, tests and batch jobs:
 *
 * <pre>{@code
 * Profile reference = ProfileBuilder.forSchema(schema).model("fraud").version("3")
 *         .add(Map.of("amount", 12.5, "country", "DE"))
 *         .build();
 * }</pre>
 *
 * <p>Values follow the conventions of {@link ProfileAccumulator}. Keys of a row that the schema lacks are ignored.
 * For CSV files, {@link CsvProfiler} infers the schema and streams the file.
 *
 * <p>Not thread-safe.
 */
public final class ProfileBuilder {

    private final Schema schema;
    private ProfileOptions options = ProfileOptions.reference();
    private String model;
    private String version;
    private Instant start;
    private Instant end;
    private ProfileAccumulator accumulator;
    private HashKey hashKey;

    private ProfileBuilder(Schema schema) {
        this.schema = schema;
    }

    /** A builder of profiles of the schema's features. */
    public static ProfileBuilder forSchema(Schema schema) {
        return new ProfileBuilder(Objects.requireNonNull(schema, "schema"));
    }

    /**
     * The sketches' options (default {@link ProfileOptions#reference()}).
     *
     * @throws IllegalStateException if a row was already added
     */
    public ProfileBuilder options(ProfileOptions options) {
        Objects.requireNonNull(options, "options");
        if (accumulator != null) {
            throw new IllegalStateException("options must be set before the first row is added");
        }
        this.options = options;
        return this;
    }

    /**
     * The key the schema's protected features are hashed with; required when it has any.
     *
     * @throws IllegalStateException if a row was already added
     */
    public ProfileBuilder hashKey(HashKey key) {
        Objects.requireNonNull(key, "key");
        if (accumulator != null) {
            throw new IllegalStateException("the hash key must be set before the first row is added");
        }
        this.hashKey = key;
        return this;
    }

    /** The model's name (default none). */
    public ProfileBuilder model(String model) {
        this.model = model;
        return this;
    }

    /** The model's version (default none). */
    public ProfileBuilder version(String version) {
        this.version = version;
        return this;
    }

    /** The period the data covers (default: the instant {@link #build()} is called, as start and end). */
    public ProfileBuilder period(Instant start, Instant end) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("period end " + end + " is before its start " + start);
        }
        this.start = start;
        this.end = end;
        return this;
    }

    /** Adds one row; a feature the row lacks, or maps to null, counts as missing. */
    public ProfileBuilder add(Map<String, ?> row) {
        Objects.requireNonNull(row, "row");
        ProfileAccumulator acc = accumulator();
        for (Feature f : schema.features()) {
            acc.update(f.name(), row.get(f.name()));
        }
        return this;
    }

    /** The profile of the rows added so far; the builder stays usable and later rows add to them. */
    public Profile build() {
        ProfileMetadata meta;
        if (start == null) {
            Instant now = Instant.now();
            meta = new ProfileMetadata(model, version, now, now);
        } else {
            meta = new ProfileMetadata(model, version, start, end);
        }
        return accumulator().toProfile(meta, null);
    }

    private ProfileAccumulator accumulator() {
        if (accumulator == null) {
            accumulator = new ProfileAccumulator(schema, options, hashKey);
        }
        return accumulator;
    }
}
