package dev.seismo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code seismo} command: builds profiles from CSV files, merges them, and shows what they hold.
 *
 * <p>Exit status: 0 on success, 2 for a usage error (an unknown option, a bad setting), 1 when an input cannot be read
 * or used. Expected errors print one line, {@code seismo: error: ...}, on standard error and leave no output file.
 */
@Command(name = "seismo",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = SeismoCommand.Version.class,
        description = "Builds, merges, inspects and compares Seismo profiles.",
        subcommands = {ProfileCommand.class, MergeCommand.class, InspectCommand.class, DriftCommand.class,
                DemoCommand.class})
public final class SeismoCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Seismo's error reporting, ready to {@code execute}; kept apart from main for tests. */
    static CommandLine commandLine() {
        return new CommandLine(new SeismoCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(SeismoCommand::usageError)
                .setExecutionExceptionHandler(SeismoCommand::inputError);
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "Missing required subcommand: profile, merge, inspect, drift or demo");
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        command.getErr().println("seismo: error: " + e.getMessage()
                + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int inputError(Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof ParameterException usage) { // thrown by a command for a setting it found bad
            return usageError(usage, parsed.originalArgs().toArray(new String[0]));
        }
        if (!(e instanceof IOException || e instanceof InputException)) {
            throw e; // a bug, not bad input: picocli prints the stack trace
        }
        command.getErr().println("seismo: error: " + describe(e));
        return command.getCommandSpec().exitCodeOnExecutionException();
    }

    /** The message of an expected error; the JDK's file errors carry only the path, so say what went wrong. */
    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** Reads the version Maven wrote into {@code version.properties}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IllegalStateException("version.properties is missing from the seismo jar");
                }
                properties.load(in);
            }
            return new String[] {"seismo " + properties.getProperty("version")};
        }
    }
}
