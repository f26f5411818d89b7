package dev.seismo.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A generated CSV with its raw values kept, so tests can compare profiles with exact statistics. Columns: latency
 * (numeric, long-tailed), country (categorical, one value quoted for its comma), score (numeric, 1 in 10 missing).
 */
final class Csv {

    static final String HEADER = "latency,country,score";
    private static final String[] COUNTRIES = {"US", "DE", "FR", "Paris, FR"};

    final List<String> lines = new ArrayList<>();
    final double[] latency;
    final String[] country;
    /** NaN where the score is missing. */
    final double[] score;

    Csv(int rows, long seed) {
        Random random = new Random(seed);
        latency = new double[rows];
        country = new String[rows];
        score = new double[rows];
        for (int i = 0; i < rows; i++) {
            latency[i] = Math.round(Math.exp(3 + random.nextGaussian()) * 1000) / 1000.0;
            country[i] = COUNTRIES[random.nextInt(COUNTRIES.length)];
            score[i] = random.nextInt(10) == 0 ? Double.NaN : random.nextInt(1000) / 1000.0;
            String quotedCountry = country[i].contains(",") ? '"' + country[i] + '"' : country[i];
            lines.add(latency[i] + "," + quotedCountry + "," + (Double.isNaN(score[i]) ? "" : score[i]));
        }
    }

    /** The header and rows {@code from} (inclusive) to {@code to} (exclusive), CRLF-terminated. */
    String text(int from, int to) {
        StringBuilder text = new StringBuilder(HEADER).append("\r\n");
        lines.subList(from, to).forEach(line -> text.append(line).append("\r\n"));
        return text.toString();
    }

    String text() {
        return text(0, lines.size());
    }

    long count(String value) {
        return Arrays.stream(country).filter(value::equals).count();
    }

    /** The present values of a column, sorted. */
    static double[] sortedPresent(double[] column) {
        return Arrays.stream(column).filter(v -> !Double.isNaN(v)).sorted().toArray();
    }

    /** The fraction of values at or below {@code value}: the inclusive rank a KLL sketch estimates. */
    static double exactRank(double[] sorted, double value) {
        int index = Arrays.binarySearch(sorted, value);
        if (index < 0) {
            return (double) -(index + 1) / sorted.length;
        }
        while (index < sorted.length && sorted[index] == value) {
            index++;
        }
        return (double) index / sorted.length;
    }
}
