package dev.seismo.cli;

import dev.seismo.profile.CsvProfiler;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileJson;
import dev.seismo.profile.ProfileOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
        try {
            ProfileOptions.Builder options = ProfileOptions.reference().toBuilder();
            if (kllK != null) {
                options.kllK(kllK);
            }
            profiler = CsvProfiler.builder().categorical(categorical).numeric(numeric)
                    .model(model).version(modelVersion).options(options.build()).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        FileChecks.input(input);
        FileChecks.output(output);
        Profile profile;
        try {
            profile = profiler.profile(input);
        } catch (IllegalArgumentException e) { // a --categorical or --numeric column the file does not have
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        ProfileJson.write(profile, output);
        long numericColumns = profile.schema().numeric().size();
        spec.commandLine().getOut().printf("profiled %d rows of %s: %d numeric, %d categorical columns -> %s%n",
                profile.rows(), input, numericColumns, profile.schema().size() - numericColumns, output);
        return 0;
    }
}
