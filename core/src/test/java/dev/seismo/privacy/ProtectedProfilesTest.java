package dev.seismo.privacy;

import dev.seismo.drift.DriftDetector;
import dev.seismo.drift.DriftReport;
import dev.seismo.drift.DriftReportJson;
import dev.seismo.drift.FeatureDrift;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorRegistry;
import dev.seismo.profile.CategoricalProfile;
import dev.seismo.profile.CsvProfiler;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileAccumulator;
import dev.seismo.profile.ProfileFormatException;
import dev.seismo.profile.ProfileJson;
import dev.seismo.profile.ProfileOptions;
import dev.seismo.schema.Feature;
import dev.seismo.schema.FeatureType;
import dev.seismo.schema.Role;
import dev.seismo.schema.Schema;
import dev.seismo.snapshot.SnapshotPublisher;
import dev.seismo.snapshot.SnapshotSink;
import dev.seismo.time.ManualClock;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ProtectedProfilesTest {

    private static final HashKey KEY = HashKey.of("test-key-0123456789abcdef");
    private static final HashKey OTHER_KEY = HashKey.of("another-key-0123456789abcdef");
    private static final String[] COUNTRIES = {"DE", "FR", "US", "NG"};

    @TempDir
    Path dir;

    /** {@code rows} rows of email,country,amount; the addresses drawn from {@code distinct} of them. */
    private static String csv(int rows, int distinct, long seed, Set<String> addresses) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder("email,country,amount\n");
        for (int i = 0; i < rows; i++) {
            int who = random.nextInt(distinct);
            String email = "person." + who + ".x" + (who * 7919 % 1000) + "@mail-" + (who % 13) + ".example.org";
            addresses.add(email);
            csv.append(email).append(',').append(COUNTRIES[random.nextInt(COUNTRIES.length)]).append(',')
                    .append(random.nextInt(1000) / 10.0).append('\n');
        }
        return csv.toString();
    }

    private static Profile profile(String csv, Protection emailProtection, HashKey key) throws IOException {
        CsvProfiler.Builder b = CsvProfiler.builder().model("signup").version("1");
        if (emailProtection != Protection.NONE) {
            b.protect(List.of("email"), emailProtection).hashKey(key);
        }
        return b.build().profile(new StringReader(csv), "signups.csv");
    }

    @Test
    void aHashedColumnOfAddressesLeavesNoRawAddressInTheProfileTheSnapshotOrTheDriftReport() throws Exception {
        Set<String> addresses = new LinkedHashSet<>();
        String reference = csv(5_000, 4_000, 1, addresses);
        String current = csv(5_000, 4_000, 2, addresses);

        // The control: unprotected, the profile holds the addresses (inside its frequent-items sketch).
        assertThat(Leaks.in(ProfileJson.toJson(profile(reference, Protection.NONE, null)), addresses))
                .hasSizeGreaterThan(1_000);

        Profile ref = profile(reference, Protection.HASHED, KEY);
        String refJson = ProfileJson.toJson(ref);
        assertThat(Leaks.in(refJson, addresses)).isEmpty();
        assertThat(refJson).contains("\"protection\": \"HASHED\"", "\"hashKeyFingerprint\": \"" + KEY.fingerprint())
                .doesNotContain("test-key");

        // Live windows of the same data, published as snapshot files.
        ManualClock clock = ManualClock.startingAt(Instant.parse("2026-03-01T10:00:00Z"));
        Path snapshots = dir.resolve("snapshots");
        Profile window;
        try (MonitorRegistry registry = MonitorRegistry.builder().clock(clock).hashKey(KEY).build()) {
            registry.addObserver(SnapshotPublisher.to(SnapshotSink.directory(snapshots)).replicaId("pod-1").build());
            ModelMonitor monitor = ModelMonitor.builder("signup").version("1")
                    .categoricalFeature("email", Protection.HASHED).categoricalFeature("country")
                    .numericFeature("amount").reference(ref).register(registry);
            current.lines().skip(1).map(line -> line.split(",")).forEach(f -> monitor.record(monitor.newInference()
                    .set("email", f[0]).set("country", f[1]).set("amount", Double.parseDouble(f[2]))));
            monitor.flush();
            clock.advance(Duration.ofMinutes(1));
            monitor.flush();
            window = monitor.latestWindow().orElseThrow().profile();
            DriftReport live = monitor.latestWindow().orElseThrow().drift().orElseThrow();
            assertThat(Leaks.in(DriftReportJson.toPrettyJson(live), addresses)).isEmpty();
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(snapshots)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).hasSize(1);
        String snapshot = Files.readString(files.get(0));
        assertThat(Leaks.in(snapshot, addresses)).isEmpty();
        assertThat(window.categorical("email").count()).isEqualTo(5_000);

        DriftReport report = DriftDetector.ofDefaults().compare(ref, ProfileJson.read(files.get(0)));
        String reportJson = DriftReportJson.toPrettyJson(report);
        assertThat(Leaks.in(reportJson, addresses)).isEmpty();
        FeatureDrift email = report.features().get("email");
        assertThat(email.referenceCount()).isEqualTo(5_000);
        assertThat(email.unseen()).isNotEmpty().allSatisfy(v -> assertThat(v).hasSize(ValueHasher.HASH_LENGTH));
    }

    @Test
    void profilesHashedUnderOneKeyCompareExactlyAsUnhashedOnes() throws IOException {
        Set<String> addresses = new LinkedHashSet<>();
        // Reference and current differ: a third of the current addresses are new.
        String reference = csv(4_000, 600, 3, addresses);
        String current = csv(3_000, 900, 4, addresses);
        DriftReport plain = DriftDetector.ofDefaults().compare(profile(reference, Protection.NONE, null),
                profile(current, Protection.NONE, null));
        DriftReport hashed = DriftDetector.ofDefaults().compare(profile(reference, Protection.HASHED, KEY),
                profile(current, Protection.HASHED, KEY));
        FeatureDrift p = plain.features().get("email");
        FeatureDrift h = hashed.features().get("email");
        assertThat(h.drifted()).isEqualTo(p.drifted()).isTrue();
        assertThat(h.statistics().keySet()).isEqualTo(p.statistics().keySet());
        p.statistics().forEach((key, value) -> assertThat(h.statistic(key)).as(key).isCloseTo(value, within(1e-9)));
        assertThat(h.unseen()).hasSameSizeAs(p.unseen());
        assertThat(hashed.features().get("country")).isEqualTo(plain.features().get("country"));

        CategoricalProfile hp = profile(reference, Protection.HASHED, KEY).categorical("email");
        CategoricalProfile pp = profile(reference, Protection.NONE, null).categorical("email");
        assertThat(hp.distinctEstimate()).isCloseTo(pp.distinctEstimate(), within(0.02 * pp.distinctEstimate()));
        assertThat(hp.frequentItems()).hasSameSizeAs(pp.frequentItems());
    }

    @Test
    void profilesHashedUnderDifferentKeysAreRefusedNotReportedAsDrift() throws IOException {
        String data = csv(500, 50, 5, new LinkedHashSet<>());
        Profile a = profile(data, Protection.HASHED, KEY);
        Profile b = profile(data, Protection.HASHED, OTHER_KEY);
        assertThatThrownBy(() -> DriftDetector.ofDefaults().compare(a, b))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different keys")
                .hasMessageContaining(KEY.fingerprint()).hasMessageContaining(OTHER_KEY.fingerprint());
        assertThatThrownBy(() -> a.merge(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different keys");
        assertThat(DriftDetector.ofDefaults().compare(a, profile(data, Protection.HASHED, KEY)).datasetDrift())
                .isFalse();
    }

    @Test
    void aHashedFeatureIsNeitherComparedNorMergedWithAnUnhashedOne() throws IOException {
        String data = csv(500, 50, 6, new LinkedHashSet<>());
        Profile hashed = profile(data, Protection.HASHED, KEY);
        Profile plain = profile(data, Protection.NONE, null);
        assertThatThrownBy(() -> DriftDetector.ofDefaults().compare(plain, hashed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("feature 'email' is NONE in one profile but HASHED in the other");
        assertThatThrownBy(() -> plain.merge(hashed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'email' is NONE and HASHED");
    }

    @Test
    void countsOnlyKeepsCountsAndADistinctCountButNoValueAndIsNotCompared() throws IOException {
        Set<String> addresses = new LinkedHashSet<>();
        String data = csv(3_000, 1_000, 7, addresses) + ",DE,1.0\n";
        Profile profile = profile(data, Protection.COUNTS_ONLY, KEY);
        CategoricalProfile email = profile.categorical("email");
        assertThat(email.count()).isEqualTo(3_000);
        assertThat(email.missing()).isEqualTo(1);
        assertThat(email.frequentItems()).isEmpty();
        assertThat(email.estimate(addresses.iterator().next())).isZero();
        assertThat(email.distinctEstimate()).isCloseTo(addresses.size(), within(0.05 * addresses.size()));

        String json = ProfileJson.toJson(profile);
        assertThat(Leaks.in(json, addresses)).isEmpty();
        assertThat(json).contains("\"protection\": \"COUNTS_ONLY\"");
        Profile read = ProfileJson.fromJson(json, "counts.json");
        assertThat(ProfileJson.toJson(read)).isEqualTo(json);
        assertThat(read.merge(read).categorical("email").count()).isEqualTo(6_000);

        FeatureDrift drift = DriftDetector.ofDefaults().compare(profile, read).features().get("email");
        assertThat(drift.drifted()).isFalse();
        assertThat(drift.score()).isNaN();
        assertThat(drift.statistics()).isEmpty();
        assertThat(drift.missingRatioChange()).isZero();
    }

    @Test
    void protectedFeaturesNeedAKeyAndOnlyCategoricalOnesCanBeProtected() {
        Schema schema = Schema.builder().categoricalInput("email", Protection.HASHED).build();
        assertThatThrownBy(() -> new ProfileAccumulator(schema, ProfileOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'email' is HASHED, which needs a hash key").hasMessageContaining("SEISMO_HASH_KEY");
        assertThatThrownBy(() -> CsvProfiler.builder().protect(List.of("email"), Protection.HASHED).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a hash key");
        assertThatThrownBy(() -> new Feature("salary", FeatureType.NUMERIC, Role.INPUT, Protection.COUNTS_ONLY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("applies to categorical features only");
        assertThatThrownBy(() -> CsvProfiler.builder().numeric(List.of("id")).protect(List.of("id"),
                Protection.HASHED).hashKey(KEY).build()).hasMessageContaining("a protected column is categorical");
    }

    @Test
    void aHashedColumnOfNumbersIsProfiledAsHashedCategories() throws IOException {
        Profile p = CsvProfiler.builder().protect(List.of("user_id"), Protection.HASHED).hashKey(KEY).build()
                .profile(new StringReader("user_id,x\n1001,1\n1002,2\n1001,3\n"), "ids.csv");
        CategoricalProfile ids = p.categorical("user_id");
        assertThat(ids.count()).isEqualTo(3);
        assertThat(ids.frequentItems()).hasSize(2).allSatisfy(i -> assertThat(i.value()).doesNotContain("100"));
        assertThat(ids.estimate(KEY.newHasher().hash("1001"))).isEqualTo(2);
    }

    @Test
    void aProfileFileMustStateItsProtectionConsistently() throws IOException {
        String json = ProfileJson.toJson(profile(csv(100, 10, 8, new LinkedHashSet<>()), Protection.HASHED, KEY));
        assertThatThrownBy(() -> ProfileJson.fromJson(json.replaceAll("\\s*\"hashKeyFingerprint\": \"[^\"]*\",", ""),
                "a.json")).isInstanceOf(ProfileFormatException.class)
                .hasMessageContaining("protected features but no \"hashKeyFingerprint\"");
        assertThatThrownBy(() -> ProfileJson.fromJson(json.replace(KEY.fingerprint(), "hmac-sha256:xyz"), "a.json"))
                .isInstanceOf(ProfileFormatException.class).hasMessageContaining("not a key fingerprint");
        assertThatThrownBy(() -> ProfileJson.fromJson(json.replace("\"HASHED\"", "\"COUNTS_ONLY\""), "a.json"))
                .isInstanceOf(ProfileFormatException.class).hasMessageContaining("keeps no values");
        assertThatThrownBy(() -> ProfileJson.fromJson(json.replace("\"HASHED\"", "\"SALTED\""), "a.json"))
                .isInstanceOf(ProfileFormatException.class).hasMessageContaining("SALTED");
    }

    @Test
    void aMonitorTakesItsKeyFromItselfOrTheRegistryAndRefusesAReferenceOfAnotherKey() throws IOException {
        Profile ref = profile(csv(200, 20, 9, new LinkedHashSet<>()), Protection.HASHED, KEY);
        try (MonitorRegistry registry = MonitorRegistry.builder().clock(ManualClock.create()).hashKey(KEY).build()) {
            ModelMonitor byName = ModelMonitor.builder("signup").version("1").categoricalFeature("email")
                    .categoricalFeature("country").protection("email", Protection.HASHED).reference(ref)
                    .register(registry);
            assertThat(byName.schema().find("email").orElseThrow().protection()).isEqualTo(Protection.HASHED);

            assertThatThrownBy(() -> ModelMonitor.builder("signup").version("2").categoricalFeature("email",
                    Protection.HASHED).hashKey(OTHER_KEY).reference(ref).register(registry))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("different keys");
            assertThatThrownBy(() -> ModelMonitor.builder("signup").version("3").categoricalFeature("email")
                    .reference(ref).register(registry))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("HASHED in one profile but NONE in the other");
            assertThatThrownBy(() -> ModelMonitor.builder("signup").version("4").numericFeature("email")
                    .protection("email", Protection.HASHED).register(registry))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'email', which is not a categorical signal");
        }
    }

    @Test
    void aMonitorWithoutAnyKeySaysWhereToSetOne() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(HashKey.ENVIRONMENT_VARIABLE) == null);
        try (MonitorRegistry registry = MonitorRegistry.builder().clock(ManualClock.create()).build()) {
            assertThatThrownBy(() -> ModelMonitor.builder("signup").categoricalFeature("email", Protection.HASHED)
                    .register(registry)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("[email]").hasMessageContaining("hashKey(..)")
                    .hasMessageContaining("SEISMO_HASH_KEY");
        }
    }

    @Test
    void recordingAHashedFeatureCostsTheCallerNoHashing() throws Exception {
        // The caller only copies a reference; the hash is computed when the aggregation drains the record.
        List<String> seen = new ArrayList<>();
        try (MonitorRegistry registry = MonitorRegistry.builder().clock(ManualClock.create()).hashKey(KEY).build()) {
            ModelMonitor monitor = ModelMonitor.builder("signup").categoricalFeature("email", Protection.HASHED)
                    .register(registry);
            monitor.record(monitor.newInference().set("email", "carol@example.com"));
            monitor.snapshot().current().profile().categorical("email").frequentItems()
                    .forEach(i -> seen.add(i.value()));
        }
        assertThat(seen).containsExactly(KEY.newHasher().hash("carol@example.com"));
    }
}
