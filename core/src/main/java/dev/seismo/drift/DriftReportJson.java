package dev.seismo.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seismo.schema.FeatureType;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of a {@link DriftReport}, the shape pipelines rely on:
 *
 * <pre>{@code
 * {"policy": "calibrated", "datasetDrift": true, "driftShare": 0.67, "driftShareThreshold": 0.5,
 *  "reference": {"model": .., "version": .., "start": ISO-8601, "end": .., "rows": ..}, "current": {..},
 *  "features": {"age": {"type": "numeric", "method": "wasserstein_normed", "score": 0.25, "threshold": 0.1,
 *      "drifted": true, "count": 5000, "reference_count": 20000, "missing_ratio": 0.0, "invalid_ratio": 0.0,
 *      "missing_ratio_change": 0.0, "invalid_ratio_change": 0.0, "low_cardinality": false,
 *      "statistics": {"psi": .., "js_distance": .., "hellinger": .., "ks": .., "ks_p_value": ..,
 *                     "wasserstein_normed": ..},
 *      "p_value": .., "alpha": .., "effect_size": .., "policy": "calibrated"},
 *    "country": {"type": "categorical", ..., "statistics": {"psi": .., "js_distance": .., "hellinger": ..,
 *      "chi2": .., "chi2_p_value": ..}, "unseen": ["NG"], ...}},
 *  "unmatchedFeatures": []}
 * }</pre>
 *
 * Top-level keys are camelCase, a feature's keys snake_case. A value that does not apply (NaN) is {@code null};
 * {@code unseen} is present for categorical and low-cardinality numeric features. Keys may be added in later
 * versions; none will change meaning.
 *
 * <p>Thread-safe: stateless.
 */
public final class DriftReportJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DriftReportJson() {
    }

    /** The report as compact JSON. */
    public static String toJson(DriftReport report) {
        return write(report, false);
    }

    /** The report as indented JSON, for people. */
    public static String toPrettyJson(DriftReport report) {
        return write(report, true);
    }

    /** The report as a Jackson tree, to embed in a larger document. */
    public static ObjectNode toTree(DriftReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("policy", report.policy().key());
        root.put("datasetDrift", report.datasetDrift());
        number(root, "driftShare", report.driftShare());
        number(root, "driftShareThreshold", report.driftShareThreshold());
        summary(root.putObject("reference"), report.reference());
        summary(root.putObject("current"), report.current());
        ObjectNode features = root.putObject("features");
        for (FeatureDrift f : report.features().values()) {
            feature(features.putObject(f.name()), f);
        }
        ArrayNode unmatched = root.putArray("unmatchedFeatures");
        report.unmatchedFeatures().forEach(unmatched::add);
        return root;
    }

    private static String write(DriftReport report, boolean pretty) {
        try {
            ObjectNode tree = toTree(report);
            return pretty ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree)
                    : MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            // A tree of plain nodes always serializes; reaching here is a bug, not an input problem.
            throw new UncheckedIOException(e);
        }
    }

    private static void summary(ObjectNode node, ProfileSummary s) {
        node.put("model", s.model());
        node.put("version", s.version());
        node.put("start", instant(s.start()));
        node.put("end", instant(s.end()));
        node.put("rows", s.rows());
    }

    private static String instant(Instant t) {
        return t == null ? null : t.toString();
    }

    private static void feature(ObjectNode node, FeatureDrift f) {
        node.put("type", f.type().name().toLowerCase(Locale.ROOT));
        node.put("method", f.method().key());
        number(node, "score", f.score());
        number(node, "threshold", f.threshold());
        node.put("drifted", f.drifted());
        node.put("count", f.count());
        node.put("reference_count", f.referenceCount());
        number(node, "missing_ratio", f.missingRatio());
        number(node, "invalid_ratio", f.invalidRatio());
        number(node, "missing_ratio_change", f.missingRatioChange());
        number(node, "invalid_ratio_change", f.invalidRatioChange());
        node.put("low_cardinality", f.lowCardinality());
        ObjectNode statistics = node.putObject("statistics");
        for (Map.Entry<String, Double> s : f.statistics().entrySet()) {
            number(statistics, s.getKey(), s.getValue());
        }
        if (f.type() == FeatureType.CATEGORICAL || f.lowCardinality()) {
            ArrayNode unseen = node.putArray("unseen");
            f.unseen().forEach(unseen::add);
        }
        number(node, "p_value", f.pValue());
        number(node, "alpha", f.alpha());
        number(node, "effect_size", f.effectSize());
        node.put("policy", f.policy().key());
    }

    private static void number(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }
}
