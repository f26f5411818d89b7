package dev.seismo.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * What CBPE needs from a labeled reference of a binary classifier: the threshold it predicts at, the isotonic
 * {@link Calibration} fitted on the reference, and the reference's own realized metrics and label distribution (the
 * baseline that estimates and label drift are read against). Stored as a small JSON file beside the reference
 * profile ({@code format: "seismo-quality-reference"}, {@code version: 1}).
 *
 * <p>Thread-safe: immutable.
 *
 * @param threshold   the model predicts class 1 when P(class 1) >= threshold
 * @param calibration the raw score's calibration
 * @param rows        reference rows with a valid score and label
 * @param positives   of which class 1
 * @param accuracy    the reference's realized accuracy; likewise the rest
 */
public record QualityReference(double threshold, Calibration calibration, long rows, long positives,
                               double accuracy, double precision, double recall, double f1, double rocAuc) {

    static final String FORMAT = "seismo-quality-reference";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Fits the reference from labeled rows: P(class 1) in [0, 1] and the actual class, 0 or 1 (rows with anything else
     * are skipped).
     */
    public static QualityReference fit(double[] scores, int[] labels, double threshold) {
        Calibration calibration = Calibration.isotonic(scores, labels);
        ClassificationMetrics.Accumulator acc = new ClassificationMetrics.Accumulator(List.of("0", "1"));
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] >= 0 && scores[i] <= 1 && (labels[i] == 0 || labels[i] == 1)) {
                acc.addBinary(labels[i], scores[i], threshold);
            }
        }
        ClassificationMetrics m = acc.snapshot();
        return new QualityReference(threshold, calibration, m.rows(), m.actual(1), m.accuracy(),
                m.precision(1), m.recall(1), m.f1(1), m.rocAuc());
    }

    /** Writes the reference as JSON, atomically: a reader sees the old file or the new one, never half of one. */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The JSON text; the same reference gives the same bytes. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("task", "binary");
        root.put("threshold", threshold);
        root.put("rows", rows);
        root.put("positives", positives);
        ObjectNode metrics = root.putObject("metrics");
        putNumber(metrics, "accuracy", accuracy);
        putNumber(metrics, "precision", precision);
        putNumber(metrics, "recall", recall);
        putNumber(metrics, "f1", f1);
        putNumber(metrics, "roc_auc", rocAuc);
        ObjectNode cal = root.putObject("calibration");
        cal.put("method", "isotonic");
        ArrayNode upper = cal.putArray("upper");
        ArrayNode blockRows = cal.putArray("rows");
        ArrayNode blockPositives = cal.putArray("positives");
        for (int j = 0; j < calibration.blocks(); j++) {
            upper.add(calibration.upper(j));
            blockRows.add(calibration.rows(j));
            blockPositives.add(calibration.positives(j));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putNumber(ObjectNode node, String key, double value) {
        if (Double.isNaN(value)) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    /**
     * Reads a reference written by {@link #write}.
     *
     * @throws QualityFormatException naming the file and key when it is not such a reference
     */
    public static QualityReference read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses reference JSON; {@code source} names it in errors. */
    public static QualityReference parse(String json, String source) throws QualityFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new QualityFormatException(source, null, "not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")",
                    "write it with QualityReference.write", e);
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText(null))) {
            throw new QualityFormatException(source, "/format", "not a quality reference (format is not \""
                    + FORMAT + "\")", "pass the file written by QualityReference.write", null);
        }
        int version = root.path("version").asInt(-1);
        if (version != VERSION) {
            throw new QualityFormatException(source, "/version", "version " + root.path("version")
                    + " is not supported", "this Seismo reads version " + VERSION, null);
        }
        if (!"binary".equals(root.path("task").asText(null))) {
            throw new QualityFormatException(source, "/task", "task must be \"binary\"",
                    "CBPE references are for binary classifiers", null);
        }
        double threshold = number(root, "/threshold", source, false);
        if (!(threshold > 0 && threshold < 1)) {
            throw new QualityFormatException(source, "/threshold", "must be in (0, 1), was " + threshold,
                    "fit the reference at the threshold the model predicts at", null);
        }
        long rows = (long) number(root, "/rows", source, false);
        long positives = (long) number(root, "/positives", source, false);
        JsonNode up = root.at("/calibration/upper");
        JsonNode rw = root.at("/calibration/rows");
        JsonNode ps = root.at("/calibration/positives");
        if (!"isotonic".equals(root.at("/calibration/method").asText(null))) {
            throw new QualityFormatException(source, "/calibration/method", "must be \"isotonic\"",
                    "refit the reference", null);
        }
        if (!up.isArray() || !rw.isArray() || !ps.isArray() || up.size() != rw.size() || up.size() != ps.size()) {
            throw new QualityFormatException(source, "/calibration", "upper, rows and positives must be arrays of"
                    + " one length", "refit the reference", null);
        }
        double[] upper = new double[up.size()];
        long[] blockRows = new long[up.size()];
        long[] blockPositives = new long[up.size()];
        for (int j = 0; j < upper.length; j++) {
            if (!up.get(j).isNumber() || !rw.get(j).canConvertToLong() || !ps.get(j).canConvertToLong()) {
                throw new QualityFormatException(source, "/calibration/upper/" + j, "block " + j
                        + " is not numbers", "refit the reference", null);
            }
            upper[j] = up.get(j).asDouble();
            blockRows[j] = rw.get(j).asLong();
            blockPositives[j] = ps.get(j).asLong();
        }
        Calibration calibration;
        try {
            calibration = new Calibration(upper, blockRows, blockPositives);
        } catch (IllegalArgumentException e) {
            throw new QualityFormatException(source, "/calibration", e.getMessage(), "refit the reference", e);
        }
        return new QualityReference(threshold, calibration, rows, positives,
                number(root, "/metrics/accuracy", source, true), number(root, "/metrics/precision", source, true),
                number(root, "/metrics/recall", source, true), number(root, "/metrics/f1", source, true),
                number(root, "/metrics/roc_auc", source, true));
    }

    private static double number(JsonNode root, String pointer, String source, boolean nullable)
            throws QualityFormatException {
        JsonNode n = root.at(pointer);
        if (nullable && n.isNull()) {
            return Double.NaN;
        }
        if (!n.isNumber()) {
            throw new QualityFormatException(source, pointer, n.isMissingNode() ? "missing" : "not a number",
                    "refit the reference", null);
        }
        return n.asDouble();
    }
}
