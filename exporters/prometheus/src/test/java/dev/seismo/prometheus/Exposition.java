package dev.seismo.prometheus;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** One scrape of a registry, as Prometheus 2.x reads it (text format 0.0.4), and its samples. */
record Exposition(String text, List<Sample> samples) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Scrapes {@code registry} in the text format, after checking the scrape with {@code promtool check metrics}. */
    static Exposition scrape(PrometheusRegistry registry) {
        return parse(checked(write(PrometheusTextFormatWriter.create(), registry)));
    }

    /** The OpenMetrics exposition, the one format with {@code # UNIT} lines. */
    static String openMetrics(PrometheusRegistry registry) {
        return write(OpenMetricsTextFormatWriter.create(), registry);
    }

    /** Fails with promtool's findings unless it accepts {@code text}; returns {@code text}. */
    static String checked(String text) {
        try {
            PromTool.Result result = PromTool.checkMetrics(text);
            assertThat(result.exitCode()).as("promtool check metrics:%n%s%non:%n%s", result.output(), text)
                    .isZero();
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted", e);
        }
    }

    static Exposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("sample line %s", line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3).replace("Inf", "Infinity"))));
        }
        return new Exposition(text, samples);
    }

    /** The samples of this name that carry every given label ({@code "key", "value", ...}). */
    List<Sample> find(String name, String... labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name().equals(name) && s.has(labels)) {
                found.add(s);
            }
        }
        return found;
    }

    /** The value of the one sample of this name with these labels. */
    double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        assertThat(found).as("samples %s %s in%n%s", name, List.of(labels), text).hasSize(1);
        return found.get(0).value();
    }

    private static String write(ExpositionFormatWriter writer, PrometheusRegistry registry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    record Sample(String name, Map<String, String> labels, double value) {
        boolean has(String... pairs) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                    return false;
                }
            }
            return true;
        }
    }
}
