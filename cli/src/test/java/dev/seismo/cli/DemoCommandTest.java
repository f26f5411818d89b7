package dev.seismo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        // The summary comes last, after the registry closed the final window, and counts what the windows showed.
        String[] lines = result.out().strip().split("\n");
        Matcher summary = Pattern.compile("^(\\d+) calls recorded").matcher(lines[lines.length - 1]);
        assertThat(summary.find()).as("last line: %s", lines[lines.length - 1]).isTrue();
        long windowCalls = 0;
        for (String line : lines) {
            Matcher window = Pattern.compile("^window +\\d+ +\\S+ +calls +(\\d+) ").matcher(line);
            if (window.find()) {
                windowCalls += Long.parseLong(window.group(1));
            }
        }
        assertThat(windowCalls).isEqualTo(Long.parseLong(summary.group(1)));
    }

    @Test
    void tooShortARunIsAUsageError() {
        Cli.Result result = Cli.run("demo", "--seconds", "2");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--seconds must be at least 6");
    }
}
