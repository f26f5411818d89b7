package dev.seismo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void theDemoShowsWindowsAndTheDriftItInjectsHalfway() {
        Cli.Result result = Cli.run("demo", "--seconds", "6", "--threads", "2");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("seismo demo: 2 threads calling model demo-fraud:1 for 6 s")
                .containsPattern("window +0 .* calls +[1-9][0-9]* .*drifted: \\(reference\\)")
                .contains("drift started: amount")
                .containsPattern("[1-9][0-9]* calls recorded");
    }

    @Test
    void tooShortARunIsAUsageError() {
        Cli.Result result = Cli.run("demo", "--seconds", "2");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--seconds must be at least 6");
    }
}
