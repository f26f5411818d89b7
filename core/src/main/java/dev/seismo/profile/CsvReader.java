package dev.seismo.profile;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV one record at a time, so memory does not grow with the input. Internal to the profile package.
 *
 * <p>Accepted: fields quoted with {@code "}, a quote inside a quoted field written as {@code ""}, delimiters and line
 * breaks inside quoted fields (kept as they are), records ended by CRLF, LF or a lone CR, a last record without a line
 * break, and a leading byte order mark. Lines with no characters at all are skipped, as Python's {@code csv} module
 * and pandas do; a record of one empty field is written {@code ""}. A quote inside an unquoted field is an ordinary
 * character. Rejected with a {@link CsvFormatException} naming the line: a quoted field that is never closed, and
 * anything but a delimiter or line break after a closing quote.
 *
 * <p>Not thread-safe.
 */
final class CsvReader {

    private static final int EOF = -1;

    private final Reader in;
    private final String source;
    private final char delimiter;
    private final char[] buffer = new char[8192];
    private final StringBuilder field = new StringBuilder();
    private final List<String> fields = new ArrayList<>();
    private int position;
    private int limit;
    private boolean started;
    private boolean ended;
    /** The line the next character is on. */
    private long line = 1;
    private long recordLine;

    CsvReader(Reader in, String source, char delimiter) {
        this.in = in;
        this.source = source;
        this.delimiter = delimiter;
    }

    /** The fields of the next record, or {@code null} at the end of the input. */
    String[] next() throws IOException {
        if (!started) {
            started = true;
            if (peek() == '\uFEFF') {
                position++;
            }
        }
        int c = peek();
        while (c == '\n' || c == '\r') {
            lineBreak(read());
            c = peek();
        }
        if (c == EOF) {
            return null;
        }
        recordLine = line;
        fields.clear();
        while (true) {
            fields.add(peek() == '"' ? quotedField() : plainField());
            c = read();
            if (c != delimiter) {
                lineBreak(c);
                return fields.toArray(new String[0]);
            }
        }
    }

    /** The line on which the record last returned by {@link #next()} began. */
    long recordLine() {
        return recordLine;
    }

    /** Reads up to, not including, the delimiter or line break that ends the field. */
    private String plainField() throws IOException {
        field.setLength(0);
        for (int c = peek(); c != delimiter && c != '\n' && c != '\r' && c != EOF; c = peek()) {
            field.append((char) c);
            position++;
        }
        return field.toString();
    }

    /** Reads from the opening quote through the closing one, leaving the character after it unread. */
    private String quotedField() throws IOException {
        long openedOn = line;
        int fieldNumber = fields.size() + 1;
        position++;
        field.setLength(0);
        while (true) {
            int c = read();
            if (c == EOF) {
                throw new CsvFormatException(source, openedOn, "the quote that opens field " + fieldNumber
                        + " is never closed (a quote inside a quoted field is written as two quotes)");
            }
            if (c == '"') {
                if (peek() != '"') {
                    int after = peek();
                    if (after != delimiter && after != '\n' && after != '\r' && after != EOF) {
                        throw new CsvFormatException(source, line, "unexpected '" + (char) after
                                + "' after the closing quote of field " + fieldNumber
                                + " (a quote inside a quoted field is written as two quotes)");
                    }
                    return field.toString();
                }
                position++;
            } else if (c == '\n' || (c == '\r' && peek() != '\n')) {
                line++;
            }
            field.append((char) c);
        }
    }

    /** Consumes the rest of a line break whose first character {@code c} was read; does nothing at end of input. */
    private void lineBreak(int c) throws IOException {
        if (c == '\r' && peek() == '\n') {
            position++;
        }
        if (c != EOF) {
            line++;
        }
    }

    private int read() throws IOException {
        int c = peek();
        if (c != EOF) {
            position++;
        }
        return c;
    }

    private int peek() throws IOException {
        if (position == limit) {
            int n = ended ? EOF : in.read(buffer);
            if (n == EOF) {
                ended = true;
                return EOF;
            }
            position = 0;
            limit = n;
        }
        return buffer[position];
    }
}
