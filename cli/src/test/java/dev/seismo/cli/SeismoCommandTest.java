package dev.seismo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeismoCommandTest {

    @Test
    void printsTheProjectVersion() {
        Cli.Result result = Cli.run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).matches("seismo \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
    }

    @Test
    void listsTheSubcommandsInItsHelp() {
        Cli.Result result = Cli.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Usage: seismo").contains("profile").contains("merge").contains("inspect");
    }

    @Test
    void treatsAMissingSubcommandAsAUsageError() {
        Cli.Result result = Cli.run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("seismo: error: Missing required subcommand: profile, merge, inspect, drift or demo"
                + " (see 'seismo --help')" + System.lineSeparator());
    }

    @Test
    void treatsAnUnknownOptionAsAUsageError() {
        Cli.Result result = Cli.run("inspect", "--colour", "p.json");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("seismo: error: Unknown option: '--colour' (see 'seismo inspect --help')"
                + System.lineSeparator());
    }
}
