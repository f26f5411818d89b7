package dev.seismo.cli;

import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileJson;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code seismo merge}: combines profiles of the same model, such as one per day or per replica, into one. */
@Command(name = "merge",
        description = {"Merges profile files into one, as if their data had been profiled together.",
                "Features are matched by name and must have the same type in every file."})
final class MergeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "<profile>", description = "Profile files to merge.")
    private List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "<json>", description = "Profile file to write.")
    private Path output;

    @Override
    public Integer call() throws Exception {
        FileChecks.output(output);
        Profile merged = null;
        for (Path input : inputs) {
            FileChecks.input(input);
            Profile next = ProfileJson.read(input);
            try {
                merged = merged == null ? next : merged.merge(next);
            } catch (IllegalArgumentException e) {
                throw new InputException("cannot merge " + input + " with the profiles before it: " + e.getMessage());
            }
        }
        ProfileJson.write(merged, output);
        spec.commandLine().getOut().printf("merged %d profiles (%d rows) -> %s%n", inputs.size(), merged.rows(), output);
        return 0;
    }
}
