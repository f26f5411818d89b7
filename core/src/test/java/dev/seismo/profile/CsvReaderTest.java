package dev.seismo.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    @Test
    void readsPlainRecords() throws IOException {
        assertThat(readAll("a,b,c\n1,2,3\n")).containsExactly(List.of("a", "b", "c"), List.of("1", "2", "3"));
    }

    @Test
    void readsQuotedFieldsWithEscapedQuotesDelimitersAndLineBreaks() throws IOException {
        String csv = "name,note\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\n";

        assertThat(readAll(csv)).containsExactly(
                List.of("name", "note"), List.of("Smith, J", "said \"hi\"\nthen left"));
    }

    @Test
    void keepsEmptyFieldsQuotedOrNot() throws IOException {
        assertThat(readAll("a,b,c\n,\"\",\n")).containsExactly(List.of("a", "b", "c"), List.of("", "", ""));
    }

    @Test
    void acceptsCrlfLoneCrAndAMissingFinalLineBreak() throws IOException {
        assertThat(readAll("a,b\r\n1,2\r3,4\n5,6")).containsExactly(
                List.of("a", "b"), List.of("1", "2"), List.of("3", "4"), List.of("5", "6"));
    }

    @Test
    void keepsCrlfInsideAQuotedField() throws IOException {
        assertThat(readAll("\"x\r\ny\"\r\n")).containsExactly(List.of("x\r\ny"));
    }

    @Test
    void skipsAByteOrderMark() throws IOException {
        assertThat(readAll("\uFEFFa,b\n1,2\n")).containsExactly(List.of("a", "b"), List.of("1", "2"));
    }

    @Test
    void skipsBlankLinesButNotARecordOfOneQuotedEmptyField() throws IOException {
        assertThat(readAll("a\n\n\r\n\"\"\nz\n\n")).containsExactly(List.of("a"), List.of(""), List.of("z"));
    }

    @Test
    void treatsAQuoteInsideAnUnquotedFieldAsACharacter() throws IOException {
        assertThat(readAll("5'11\",x\"y\n")).containsExactly(List.of("5'11\"", "x\"y"));
    }

    @Test
    void usesTheGivenDelimiter() throws IOException {
        assertThat(readAll("a;b\n\"1;2\";3\n", ';')).containsExactly(List.of("a", "b"), List.of("1;2", "3"));
    }

    @Test
    void reportsTheLineEachRecordStartsOn() throws IOException {
        CsvReader reader = new CsvReader(new StringReader("h\n\n\"two\nlines\"\r\nnext\r\n"), "t.csv", ',');
        List<Long> lines = new ArrayList<>();
        while (reader.next() != null) {
            lines.add(reader.recordLine());
        }

        assertThat(lines).containsExactly(1L, 3L, 5L);
    }

    @Test
    void readsAcrossBufferBoundaries() throws IOException {
        StringBuilder csv = new StringBuilder("v\n");
        String longValue = "x".repeat(10_000);
        csv.append('"').append(longValue).append("\"\"\"\n").append("end\n");

        assertThat(readAll(csv.toString())).containsExactly(List.of("v"), List.of(longValue + "\""), List.of("end"));
    }

    @Test
    void rejectsAnUnterminatedQuoteNamingTheLineItOpensOn() {
        assertThatThrownBy(() -> readAll("a,b\n1,2\n3,\"open\n4,5\n6,7\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("t.csv line 3: the quote that opens field 2 is never closed"
                        + " (a quote inside a quoted field is written as two quotes)")
                .satisfies(e -> assertThat(((CsvFormatException) e).line()).isEqualTo(3));
    }

    @Test
    void rejectsCharactersAfterAClosingQuote() {
        assertThatThrownBy(() -> readAll("a,b\n1,\"x\"y\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("t.csv line 2: unexpected 'y' after the closing quote of field 2"
                        + " (a quote inside a quoted field is written as two quotes)");
    }

    @Test
    void returnsNullForEmptyInput() throws IOException {
        assertThat(readAll("")).isEmpty();
        assertThat(readAll("\uFEFF\n\n")).isEmpty();
    }

    private static List<List<String>> readAll(String csv) throws IOException {
        return readAll(csv, ',');
    }

    private static List<List<String>> readAll(String csv, char delimiter) throws IOException {
        // One character per read, so every buffer refill path is taken.
        Reader trickle = new Reader() {
            private final StringReader in = new StringReader(csv);

            @Override
            public int read(char[] buffer, int offset, int length) throws IOException {
                return in.read(buffer, offset, Math.min(length, 1));
            }

            @Override
            public void close() {
                in.close();
            }
        };
        List<List<String>> records = new ArrayList<>();
        List<List<String>> viaTrickle = new ArrayList<>();
        CsvReader whole = new CsvReader(new StringReader(csv), "t.csv", delimiter);
        CsvReader slow = new CsvReader(trickle, "t.csv", delimiter);
        for (String[] r = whole.next(); r != null; r = whole.next()) {
            records.add(List.of(r));
        }
        for (String[] r = slow.next(); r != null; r = slow.next()) {
            viaTrickle.add(List.of(r));
        }
        assertThat(viaTrickle).isEqualTo(records);
        return records;
    }
}
