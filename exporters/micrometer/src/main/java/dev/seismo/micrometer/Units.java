package dev.seismo.micrometer;

import dev.seismo.export.Metric;

/** Micrometer base units for the metric model's UCUM units. Internal. */
final class Units {

    private Units() {
    }

    /**
     * The Micrometer base unit of {@code metric}: the word Micrometer's Prometheus naming appends, chosen so that
     * the rendered name is {@link Metric#prometheusName()}. Annotation units such as {@code {token}} have no
     * Micrometer form (its Prometheus naming would mangle the braces into the name), so those meters have none.
     */
    static String baseUnit(Metric metric) {
        return switch (metric.unit()) {
            case "s" -> "seconds";
            case "By" -> "bytes";
            case "W" -> "watts";
            case "J" -> "joules";
            case "g" -> "grams";
            case "Cel" -> "celsius";
            // A dimensionless gauge is a ratio where its Prometheus name says so; a score or a flag is not.
            case "1" -> metric.prometheusName().endsWith("_ratio") ? "ratio" : null;
            default -> null;
        };
    }
}
