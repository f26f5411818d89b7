package dev.seismo.cost;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A price file that cannot be read as a {@link CostModel}: not JSON, not an object, an unknown or repeated key, a
 * value of the wrong type or out of range. The message says where (the file, the JSON pointer of the key, the line
 * and column), what is wrong, and how to fix it.
 *
 * <p>Thread-safe: immutable.
 */
public final class PriceFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String jsonPointer;
    private final int line;

    PriceFileException(String source, String jsonPointer, int line, int column, String problem, String fix,
                       Throwable cause) {
        super(source + (jsonPointer == null ? "" : " at " + jsonPointer)
                + (line > 0 ? " (line " + line + ", column " + column + ")" : "") + ": " + problem + ". " + fix,
                cause);
        this.source = source;
        this.jsonPointer = jsonPointer;
        this.line = line;
    }

    /** The file or other source that was read. */
    public String source() {
        return source;
    }

    /** The JSON pointer (RFC 6901) of the offending key, when the problem is in a key rather than the syntax. */
    public Optional<String> jsonPointer() {
        return Optional.ofNullable(jsonPointer);
    }

    /** The line (from 1) of the problem, when the parser knows it. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }
}
