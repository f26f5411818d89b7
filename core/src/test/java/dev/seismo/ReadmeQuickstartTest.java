package dev.seismo;

import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorRegistry;
import dev.seismo.monitor.Window;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the README's quickstart compiling, running, and identical to the code here. */
class ReadmeQuickstartTest {

    /** Stands in for the user's model. */
    static final class FraudModel {
        double score(double amount, String country) {
            return country.equals("DE") ? amount / 100 : 0.1;
        }
    }

    static void quickstart(FraudModel model) {
        // quickstart:begin
        try (MonitorRegistry registry = MonitorRegistry.create()) {
            ModelMonitor monitor = ModelMonitor.builder("fraud").version("3")
                    .numericFeature("amount")
                    .categoricalFeature("country")
                    .numericOutput("score")
                    .register(registry);

            double score = monitor.observe(Map.of("amount", 42.0, "country", "DE"),
                    () -> model.score(42.0, "DE"),
                    (result, call) -> call.set("score", result));

            Window window = monitor.snapshot().current();
            System.out.println(window.calls().calls() + " call, score " + score
                    + ", mean amount " + window.profile().numeric("amount").mean());
        }
        // quickstart:end
    }

    @Test
    void quickstartRunsAndPrintsWhatItRecorded() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            quickstart(new FraudModel());
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 call, score 0.42, mean amount 42.0");
    }

    @Test
    void readmeShowsExactlyTheQuickstartCompiledHere() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/seismo/ReadmeQuickstartTest.java"));
        String code = source.substring(source.indexOf("// quickstart:begin") + "// quickstart:begin".length(),
                source.indexOf("\n        // quickstart:end"));
        String readme = Files.readString(Path.of("../README.md"));

        assertThat(readme).contains(code.stripIndent().strip());
    }
}
