package dev.seismo.profile;

import java.io.IOException;

/**
 * A CSV input that cannot be profiled: malformed (an unterminated quote, a row with the wrong number of fields),
 * empty, or with a header that does not name its columns uniquely. The message names the source and, where the
 * problem is on a line, the line: {@code data.csv line 17: 4 fields, but the header has 3 (model,age,country)}.
 */
public final class CsvFormatException extends IOException {

    private final String source;
    private final long line;

    CsvFormatException(String source, long line, String problem) {
        super(source + (line > 0 ? " line " + line : "") + ": " + problem);
        this.source = source;
        this.line = line;
    }

    /** The name of the input, as given to {@link CsvProfiler}: a file path or the caller's label. */
    public String source() {
        return source;
    }

    /** The 1-based line the problem is on, or 0 when it concerns the input as a whole (an empty file). */
    public long line() {
        return line;
    }
}
