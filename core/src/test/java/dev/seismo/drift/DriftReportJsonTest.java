package dev.seismo.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seismo.schema.Schema;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftReportJsonTest {

    private static final Schema SCHEMA = Schema.builder().numericInput("age").categoricalInput("country").build();

    @Test
    void reportSerializesWithTheIssuesKeys() throws Exception {
        Random r = new Random(1);
        DriftReport report = DriftDetector.of(DriftConfig.builder().policy(DriftPolicy.EVIDENTLY).build()).compare(
                Samples.profile(SCHEMA, Samples.normal(r, 2_000, 40, 10), DriftDetectorTest.pick(r, 2_000, "DE", "FR")),
                Samples.profile(SCHEMA, Samples.normal(r, 1_000, 45, 10),
                        DriftDetectorTest.pick(r, 1_000, "DE", "FR", "NG")));

        JsonNode json = new ObjectMapper().readTree(DriftReportJson.toJson(report));

        assertThat(fieldNames(json)).containsExactly("policy", "datasetDrift", "driftShare", "driftShareThreshold",
                "reference", "current", "features", "unmatchedFeatures");
        assertThat(json.get("policy").asText()).isEqualTo("evidently");
        assertThat(json.get("datasetDrift").asBoolean()).isTrue();
        assertThat(json.get("driftShare").asDouble()).isEqualTo(1.0);
        assertThat(fieldNames(json.get("reference"))).containsExactly("model", "version", "start", "end", "rows");
        assertThat(json.get("reference").get("start").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(json.get("current").get("rows").asLong()).isEqualTo(1_000);
        JsonNode age = json.get("features").get("age");
        assertThat(fieldNames(age)).containsExactly("type", "method", "score", "threshold", "drifted", "count",
                "reference_count", "missing_ratio", "invalid_ratio", "missing_ratio_change", "invalid_ratio_change",
                "low_cardinality", "statistics", "p_value", "alpha", "effect_size", "policy");
        assertThat(age.get("type").asText()).isEqualTo("numeric");
        assertThat(age.get("method").asText()).isEqualTo("wasserstein_normed");
        assertThat(age.get("score").asDouble()).isEqualTo(report.feature("age").score());
        assertThat(age.get("threshold").asDouble()).isEqualTo(0.1);
        assertThat(age.get("drifted").asBoolean()).isTrue();
        assertThat(age.get("count").asLong()).isEqualTo(1_000);
        assertThat(age.get("missing_ratio").asDouble()).isEqualTo(0.0);
        assertThat(age.get("p_value").isNull()).isTrue();
        assertThat(fieldNames(age.get("statistics"))).containsExactly("psi", "js_distance", "hellinger", "ks",
                "ks_p_value", "wasserstein_normed");
        JsonNode country = json.get("features").get("country");
        assertThat(country.get("type").asText()).isEqualTo("categorical");
        assertThat(fieldNames(country.get("statistics"))).containsExactly("psi", "js_distance", "hellinger", "chi2",
                "chi2_p_value");
        assertThat(country.get("unseen").get(0).asText()).isEqualTo("NG");
        assertThat(country.get("statistics").get("chi2").asDouble())
                .isEqualTo(report.feature("country").statistic("chi2"));
    }

    @Test
    void valuesThatDoNotApplyAreNull() throws Exception {
        DriftReport report = DriftDetector.ofDefaults().compare(
                Samples.profile(SCHEMA, new double[] {1, 2}, new String[] {"a", "b"}),
                Samples.profile(SCHEMA, new double[] {Double.NaN}, new String[] {null}));

        JsonNode age = new ObjectMapper().readTree(DriftReportJson.toPrettyJson(report)).get("features").get("age");

        assertThat(age.get("score").isNull()).isTrue();
        assertThat(age.get("p_value").isNull()).isTrue();
        assertThat(age.get("missing_ratio").asDouble()).isEqualTo(1.0);
        assertThat(age.get("statistics").size()).isZero();
        assertThat(age.get("drifted").asBoolean()).isFalse();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
