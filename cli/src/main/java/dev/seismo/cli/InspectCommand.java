package dev.seismo.cli;

import dev.seismo.privacy.Protection;
import dev.seismo.profile.CallStats;
import dev.seismo.profile.CategoricalProfile;
import dev.seismo.profile.FeatureProfile;
import dev.seismo.profile.ItemCount;
import dev.seismo.profile.NumericProfile;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code seismo inspect}: a profile file as readable tables, one row per feature. */
@Command(name = "inspect",
        description = {"Shows what a profile file holds, one row per feature.",
                "Model, version and period; per feature its counts and quantiles or top values;",
                "the call statistics when the profile has them."})
final class InspectCommand implements Callable<Integer> {

    /** How many of a categorical feature's most frequent values are listed. */
    private static final int TOP_VALUES = 5;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<profile>", description = "Profile file to show.")
    private Path input;

    @Override
    public Integer call() throws Exception {
        FileChecks.input(input);
        Profile profile = ProfileJson.read(input);
        PrintWriter out = spec.commandLine().getOut();
        out.println("profile  " + input);
        if (profile.model() != null) {
            out.println("model    " + profile.model());
        }
        if (profile.version() != null) {
            out.println("version  " + profile.version());
        }
        out.println("period   " + (profile.start().equals(profile.end())
                ? profile.start() : profile.start() + " .. " + profile.end()));
        out.println("rows     " + profile.rows());
        profile.hashKeyFingerprint().ifPresent(f -> out.println("hashed   under key " + f + " (the key itself is"
                + " not in the file)"));
        printNumeric(profile, out);
        printCategorical(profile, out);
        profile.callStats().ifPresent(calls -> printCalls(calls, out));
        out.flush();
        return 0;
    }

    private static void printNumeric(Profile profile, PrintWriter out) {
        Table table = new Table().text("name").text("role").number("count").number("missing").number("invalid")
                .number("min").number("p50").number("p99").number("max");
        boolean any = false;
        for (FeatureProfile feature : profile.features().values()) {
            if (feature instanceof NumericProfile n) {
                any = true;
                boolean empty = n.count() == 0;
                table.row(n.name(), role(n), Long.toString(n.count()), missingShare(n), Long.toString(n.invalid()),
                        Table.format(n.min()), empty ? "-" : Table.format(n.quantile(0.5)),
                        empty ? "-" : Table.format(n.quantile(0.99)), Table.format(n.max()));
            }
        }
        if (any) {
            out.println();
            out.println("numeric features");
            table.print(out);
        }
    }

    private static void printCategorical(Profile profile, PrintWriter out) {
        boolean protectedAny = profile.hashKeyFingerprint().isPresent();
        Table table = new Table().text("name").text("role").number("count").number("missing").number("invalid")
                .number("distinct");
        if (protectedAny) {
            table.text("protection");
        }
        table.text("top values");
        boolean any = false;
        for (FeatureProfile feature : profile.features().values()) {
            if (feature instanceof CategoricalProfile c) {
                any = true;
                String distinct = Long.toString(Math.round(c.distinctEstimate()));
                if (protectedAny) {
                    table.row(c.name(), role(c), Long.toString(c.count()), missingShare(c), Long.toString(c.invalid()),
                            distinct, c.feature().protection().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                            topValues(c));
                } else {
                    table.row(c.name(), role(c), Long.toString(c.count()), missingShare(c), Long.toString(c.invalid()),
                            distinct, topValues(c));
                }
            }
        }
        if (any) {
            out.println();
            out.println("categorical features");
            table.print(out);
        }
    }

    private static void printCalls(CallStats calls, PrintWriter out) {
        out.println();
        out.println("calls");
        out.println("calls     " + calls.calls());
        String byType = calls.errorsByType().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        out.println("errors    " + calls.errors() + (byType.isEmpty() ? "" : " (" + byType + ")"));
        Histogram latency = calls.successLatency();
        if (latency.getTotalCount() > 0) {
            out.println("latency   p50 " + millis(latency.getValueAtPercentile(50))
                    + ", p99 " + millis(latency.getValueAtPercentile(99))
                    + ", max " + millis(latency.getMaxValue()) + " (successful calls)");
        }
        out.println("profiled  " + calls.profiledCalls() + " calls");
        if (calls.shedRecords() > 0 || calls.shedValues() > 0) {
            out.println("shed      " + calls.shedRecords() + " records, " + calls.shedValues() + " values");
        }
        if (calls.callsWithUsage() > 0) {
            out.println("usage     " + calls.inputUnits() + " input units, " + calls.outputUnits()
                    + " output units over " + calls.callsWithUsage() + " calls");
        }
    }

    private static String role(FeatureProfile feature) {
        return feature.feature().role().name().toLowerCase(Locale.ROOT);
    }

    private static String missingShare(FeatureProfile feature) {
        return feature.total() == 0 ? "-"
                : String.format(Locale.ROOT, "%.2f%%", 100.0 * feature.missing() / feature.total());
    }

    /** The most frequent values with their counts; a count is marked ~ when the sketch could only estimate it. */
    private static String topValues(CategoricalProfile feature) {
        if (feature.feature().protection() == Protection.COUNTS_ONLY) {
            return "-";
        }
        List<ItemCount> items = feature.frequentItems();
        String counted = items.stream().limit(TOP_VALUES)
                .map(i -> quoted(i.value()) + (feature.countsExact() ? " " : " ~") + i.estimate())
                .collect(Collectors.joining(", "));
        return items.size() > TOP_VALUES ? counted + ", ..." : counted;
    }

    /** A value as it can be told apart in a comma-separated list: quoted if blank or holding a comma or quote. */
    private static String quoted(String value) {
        boolean plain = !value.isBlank() && value.strip().equals(value)
                && value.chars().noneMatch(ch -> ch == ',' || ch == '"' || Character.isISOControl(ch));
        if (plain) {
            return value;
        }
        StringBuilder escaped = new StringBuilder("\"");
        for (char ch : value.toCharArray()) {
            escaped.append(switch (ch) {
                case '"' -> "\\\"";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> String.valueOf(ch);
            });
        }
        return escaped.append('"').toString();
    }

    /** Six significant digits, plain notation for everyday magnitudes; "-" for NaN (a feature with no values). */
    private static String millis(long nanos) {
        return Table.format(nanos / 1e6) + " ms";
    }
}
