package dev.seismo.cli;

import dev.seismo.privacy.Protection;
import dev.seismo.profile.CsvProfiler;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileJson;
import dev.seismo.profile.ProfileOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code seismo profile}: one pass over a CSV file, written as a profile file. */
@Command(name = "profile",
        description = {"Profiles a CSV file with a header row into a profile file (JSON).",
                "A column is numeric when all its non-empty values are numbers, else categorical."})
final class ProfileCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "<csv>", description = "CSV file to profile.")
    private Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "<json>", description = "Profile file to write.")
    private Path output;

    @Option(names = "--categorical", split = ",", paramLabel = "<column>",
            description = "Columns to profile as categorical whatever their values.")
    private List<String> categorical = new ArrayList<>();

    @Option(names = "--numeric", split = ",", paramLabel = "<column>",
            description = "Columns to profile as numeric; values that are not numbers count as invalid.")
    private List<String> numeric = new ArrayList<>();

    @Option(names = "--hash", split = ",", paramLabel = "<column>",
            description = {"Columns that may hold personal data, such as e-mail addresses: each value is replaced by"
                    + " a keyed hash (HMAC-SHA-256) before it is sketched, so the profile holds no raw value yet"
                    + " compares with profiles hashed under the same key. The columns become categorical."})
    private List<String> hashed = new ArrayList<>();

    @Option(names = "--counts-only", split = ",", paramLabel = "<column>",
            description = "Columns of which only counts, missing, invalid and a distinct count are kept: no value.")
    private List<String> countsOnly = new ArrayList<>();

    @Mixin
    private HashKeyOption hashKey;

    @Option(names = "--name", paramLabel = "<model>", description = "Name of the model the data belongs to.")
    private String model;

    @Option(names = "--model-version", paramLabel = "<version>", description = "Version of that model.")
    private String modelVersion;

    @Option(names = "--kll-k", paramLabel = "<k>",
            description = "Size of the quantile sketches, 8..65535 (default 1024); larger is more accurate.")
    private Integer kllK;

    @Override
    public Integer call() throws Exception {
        CsvProfiler profiler;
        for (String column : hashed) {
            if (countsOnly.contains(column)) {
                throw new ParameterException(spec.commandLine(), "column '" + column
                        + "' is given to both --hash and --counts-only; choose one");
            }
        }
        try {
            ProfileOptions.Builder options = ProfileOptions.reference().toBuilder();
            if (kllK != null) {
                options.kllK(kllK);
            }
            CsvProfiler.Builder builder = CsvProfiler.builder().categorical(categorical).numeric(numeric)
                    .protect(hashed, Protection.HASHED).protect(countsOnly, Protection.COUNTS_ONLY)
                    .model(model).version(modelVersion).options(options.build());
            if (!hashed.isEmpty() || !countsOnly.isEmpty()) {
                builder.hashKey(hashKey.require("--" + (hashed.isEmpty() ? "counts-only" : "hash")));
            }
            profiler = builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        FileChecks.input(input);
        FileChecks.output(output);
        Profile profile;
        try {
            profile = profiler.profile(input);
        } catch (IllegalArgumentException e) { // a --categorical, --numeric, --hash... column the file does not have
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        ProfileJson.write(profile, output);
        long numericColumns = profile.schema().numeric().size();
        spec.commandLine().getOut().printf("profiled %d rows of %s: %d numeric, %d categorical columns%s -> %s%n",
                profile.rows(), input, numericColumns, profile.schema().size() - numericColumns,
                profile.hashKeyFingerprint().map(f -> " (" + (hashed.size() + countsOnly.size())
                        + " protected, key " + f + ")").orElse(""), output);
        return 0;
    }
}
