package dev.seismo.cli;

import dev.seismo.drift.DriftConfig;
import dev.seismo.drift.DriftDetector;
import dev.seismo.drift.DriftPolicy;
import dev.seismo.drift.DriftReport;
import dev.seismo.drift.DriftReportJson;
import dev.seismo.drift.FeatureDrift;
import dev.seismo.privacy.HashKey;
import dev.seismo.privacy.Protection;
import dev.seismo.profile.CsvProfiler;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileJson;
import dev.seismo.schema.Feature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seismo drift}: compares current data (a CSV file or a profile) with a reference profile, as the drift
 * gate of a CI/CD pipeline. Exit 0 when done, drift or not; {@value #DRIFT_FOUND} when drift was found and
 * {@code --fail-on-drift} given.
 */
@Command(name = "drift",
        description = {"Compares current data with a reference profile, feature by feature.",
                "Exit 0 when done (drift or not), " + DriftCommand.DRIFT_FOUND
                        + " when drift was found and --fail-on-drift given, 1 or 2 on errors."})
final class DriftCommand implements Callable<Integer> {

    /** Exit code for drift found under {@code --fail-on-drift}. */
    static final int DRIFT_FOUND = 3;

    /** Output formats. */
    enum Format { TEXT, JSON }

    @Spec
    private CommandSpec spec;

    @Option(names = {"-r", "--reference"}, required = true, paramLabel = "<json>",
            description = "Reference profile (from 'seismo profile').")
    private Path reference;

    @Option(names = {"-c", "--current"}, required = true, paramLabel = "<csv|json>",
            description = "Current data: a CSV file, profiled with the reference's column types, or a profile file"
                    + " (.json).")
    private Path current;

    @Option(names = {"-f", "--format"}, paramLabel = "<format>", defaultValue = "text",
            description = "text (a table, the default) or json.")
    private Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "<file>", description = "Write the report here, not to stdout.")
    private Path output;

    @Option(names = "--fail-on-drift", description = "Exit " + DRIFT_FOUND + " when the dataset drifts.")
    private boolean failOnDrift;

    @Option(names = "--policy", paramLabel = "<policy>", defaultValue = "calibrated",
            description = "calibrated (the default: significant at a 1% false-alarm rate and large enough) or"
                    + " evidently (Evidently's default rules).")
    private DriftPolicy policy;

    @Mixin
    private HashKeyOption hashKey;

    @Override
    public Integer call() throws Exception {
        FileChecks.input(reference);
        FileChecks.input(current);
        if (output != null) {
            FileChecks.output(output);
        }
        Profile ref = ProfileJson.read(reference);
        Profile cur = isProfile(current) ? ProfileJson.read(current) : profileCsv(ref);
        if (cur.rows() == 0) {
            throw new InputException(current + " has no rows to compare");
        }
        DriftReport report;
        try {
            report = DriftDetector.of(DriftConfig.builder().policy(policy).build()).compare(ref, cur);
        } catch (IllegalArgumentException e) { // a feature's type, protection or hash key differs
            throw new InputException(current + " cannot be compared with " + reference + ": " + e.getMessage());
        }
        if (report.features().isEmpty()) {
            throw new InputException(current + " has no feature in common with " + reference
                    + "; compare data of the same model");
        }
        String text = format == Format.JSON ? DriftReportJson.toPrettyJson(report) + "\n" : table(report, ref);
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            out.flush();
        } else {
            write(text, output);
        }
        return failOnDrift && report.datasetDrift() ? DRIFT_FOUND : 0;
    }

    /** The current CSV file profiled as the reference was: its column types, options and protected columns. */
    private Profile profileCsv(Profile ref) throws Exception {
        CsvProfiler.Builder profiler = CsvProfiler.builder().typesFrom(ref.schema()).options(ref.options());
        if (ref.hashKeyFingerprint().isPresent()) {
            HashKey key = hashKey.require("the reference's protected columns");
            if (!key.fingerprint().equals(ref.hashKeyFingerprint().get())) {
                throw new InputException("the hash key given (" + key.fingerprint() + ") is not the one "
                        + reference + " was profiled with (" + ref.hashKeyFingerprint().get() + "); hashed values"
                        + " compare only under one key");
            }
            profiler.hashKey(key);
        }
        return profiler.build().profile(current);
    }

    private static boolean isProfile(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    }

    private static String table(DriftReport report, Profile ref) {
        Table table = new Table().text("").text("feature").text("type").text("method").number("score")
                .number("threshold").number("p-value").number("count").number("missing").text("unseen");
        for (FeatureDrift f : report.features().values()) {
            table.row(f.drifted() ? "*" : "", f.name(), f.type().name().toLowerCase(Locale.ROOT), f.method().key(),
                    Table.format(f.score()), Table.format(f.threshold()), Table.format(f.pValue()),
                    Long.toString(f.count()), String.format(Locale.ROOT, "%.2f%%", 100 * f.missingRatio()),
                    f.unseen().isEmpty() ? "" : String.join(",", f.unseen()));
        }
        StringWriter buffer = new StringWriter();
        PrintWriter out = new PrintWriter(buffer);
        out.printf(Locale.ROOT, "policy %s: %d of %d features drifted (share %.2f, dataset drift at >= %.2f)%n",
                report.policy(), report.driftedFeatures().size(), report.features().size(), report.driftShare(),
                report.driftShareThreshold());
        table.print(out);
        if (!report.unmatchedFeatures().isEmpty()) {
            out.println("not compared (in one profile only): " + String.join(", ", report.unmatchedFeatures()));
        }
        List<String> countsOnly = ref.schema().categorical().stream()
                .filter(f -> f.protection() == Protection.COUNTS_ONLY && report.features().containsKey(f.name()))
                .map(Feature::name).toList();
        if (!countsOnly.isEmpty()) {
            out.println("not compared (counts only, no values kept): " + String.join(", ", countsOnly));
        }
        ref.hashKeyFingerprint().ifPresent(f -> out.println("hashed columns show keyed hashes (key " + f
                + "), never raw values"));
        out.println(report.datasetDrift() ? "DATASET DRIFT" : "no dataset drift");
        out.flush();
        return buffer.toString();
    }

    /** Writes through a temporary file in the same directory, so a failed run leaves no half-written report. */
    private static void write(String text, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
