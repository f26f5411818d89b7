package dev.seismo.profile;

import java.io.IOException;
import java.util.Optional;

/**
 * A profile file that cannot be read: not JSON, truncated, of an unknown format version, or with a key missing, of
 * the wrong type or holding a damaged sketch. The message says what is wrong, where (the source, the JSON pointer
 * of the key, the line and column when the parser knows them) and how to fix it.
 *
 * <p>Thread-safe: immutable.
 */
public final class ProfileFormatException extends IOException {

    private final String source;
    private final String jsonPointer;

    ProfileFormatException(String source, String jsonPointer, String problem, String fix, Throwable cause) {
        super(source + (jsonPointer == null ? "" : " at " + jsonPointer) + ": " + problem + ". " + fix, cause);
        this.source = source;
        this.jsonPointer = jsonPointer;
    }

    /** The file or other source that was read. */
    public String source() {
        return source;
    }

    /** The JSON pointer (RFC 6901) of the offending key, when the problem is in a key rather than the syntax. */
    public Optional<String> jsonPointer() {
        return Optional.ofNullable(jsonPointer);
    }
}
