package dev.seismo.prometheus;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * The binaries of the Debian package {@code prometheus}, which CI installs: tests fail rather than skip without them.
 */
final class PromTool {

    private PromTool() {
    }

    /** The named binary from the PATH or /usr/bin. */
    static Path binary(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + File.pathSeparator + "/usr/bin").split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("'" + name + "' is neither on the PATH nor in /usr/bin. Install the Prometheus server and"
                + " promtool (Debian: apt-get install -y prometheus), as .ci/run does.");
    }

    /**
     * Runs {@code promtool check metrics} on a text-format exposition.
     *
     * @return promtool's exit status and everything it printed
     */
    static Result checkMetrics(String exposition) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary("promtool").toString(), "check", "metrics")
                .redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return fail("promtool check metrics did not finish in 10 s");
        }
        return new Result(p.exitValue(), output);
    }

    record Result(int exitCode, String output) {
    }
}
