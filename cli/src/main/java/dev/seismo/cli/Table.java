package dev.seismo.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table: columns two spaces apart, numbers right-aligned so their digits line up. */
final class Table {

    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> rightAligned = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();

    /** Adds a left-aligned column, for text. */
    Table text(String header) {
        return column(header, false);
    }

    /** Adds a right-aligned column, for numbers. */
    Table number(String header) {
        return column(header, true);
    }

    private Table column(String header, boolean right) {
        headers.add(header);
        rightAligned.add(right);
        return this;
    }

    /** Adds a row with one cell per column. */
    Table row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        rows.add(cells);
        return this;
    }

    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        print(out, headers.toArray(new String[0]), widths);
        for (String[] row : rows) {
            print(out, row, widths);
        }
    }

    private void print(PrintWriter out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            String padding = " ".repeat(widths[c] - cells[c].length());
            if (c > 0) {
                line.append("  ");
            }
            line.append(rightAligned.get(c) ? padding + cells[c] : cells[c] + padding);
        }
        out.println(line.toString().stripTrailing());
    }

    /** A number for a cell: six significant digits, plain unless very large or small; "-" for NaN. */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        double magnitude = Math.abs(value);
        if (value == 0 || (magnitude >= 1e-4 && magnitude < 1e12)) {
            return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.5e", value);
    }
}
