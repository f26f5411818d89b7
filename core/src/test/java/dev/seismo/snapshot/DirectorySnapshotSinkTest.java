package dev.seismo.snapshot;

import dev.seismo.monitor.Window;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileBuilder;
import dev.seismo.profile.ProfileJson;
import dev.seismo.schema.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectorySnapshotSinkTest {

    @TempDir
    Path dir;

    private static Profile profile(String model, String version, Instant start, int rows) {
        ProfileBuilder builder = ProfileBuilder.forSchema(Schema.builder().numericInput("x").build())
                .model(model).version(version).period(start, start.plus(Duration.ofMinutes(1)));
        for (int i = 0; i < rows; i++) {
            builder.add(Map.of("x", (double) i));
        }
        return builder.build();
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    @Test
    void writesAWindowAsAProfileFileThatReadsBackAsTheWindowsProfile() throws IOException {
        try (Replica replica = new Replica()) {
            Window window = replica.record(0, 50).closeWindow().latestWindow();

            SnapshotSink.directory(dir).write(new ProfileSnapshot("pod-7", window.sequence(), window.profile()));

            assertThat(files()).containsExactly("fraud/3/20260301T100000.000Z_pod-7_0.json");
            Profile read = ProfileJson.read(dir.resolve("fraud/3/20260301T100000.000Z_pod-7_0.json"));
            assertThat(ProfileJson.toJson(read)).isEqualTo(ProfileJson.toJson(window.profile()));
            assertThat(read.callStats().orElseThrow().calls()).isEqualTo(50);
        }
    }

    @Test
    void namesNeverCollideAcrossReplicasAndWindowsAndSortByTime() throws IOException {
        SnapshotSink sink = SnapshotSink.directory(dir);
        for (String replica : List.of("pod-2", "pod-1")) {
            for (int window = 2; window >= 0; window--) {
                Instant start = Replica.T0.plus(Duration.ofMinutes(window));
                sink.write(new ProfileSnapshot(replica, window, profile("fraud", "3", start, 10)));
            }
        }

        assertThat(files()).containsExactly(
                "fraud/3/20260301T100000.000Z_pod-1_0.json",
                "fraud/3/20260301T100000.000Z_pod-2_0.json",
                "fraud/3/20260301T100100.000Z_pod-1_1.json",
                "fraud/3/20260301T100100.000Z_pod-2_1.json",
                "fraud/3/20260301T100200.000Z_pod-1_2.json",
                "fraud/3/20260301T100200.000Z_pod-2_2.json");
    }

    @Test
    void aReplicaRestartedWithinAWindowKeepsTheFileOfItsEarlierRun() throws IOException {
        SnapshotSink sink = SnapshotSink.directory(dir);

        sink.write(new ProfileSnapshot("pod-7", 0, profile("fraud", "3", Replica.T0, 10)));
        sink.write(new ProfileSnapshot("pod-7", 0, profile("fraud", "3", Replica.T0, 20)));

        assertThat(files()).containsExactly(
                "fraud/3/20260301T100000.000Z_pod-7_0-2.json",
                "fraud/3/20260301T100000.000Z_pod-7_0.json");
        assertThat(ProfileJson.read(dir.resolve("fraud/3/20260301T100000.000Z_pod-7_0.json")).rows()).isEqualTo(10);
        assertThat(ProfileJson.read(dir.resolve("fraud/3/20260301T100000.000Z_pod-7_0-2.json")).rows()).isEqualTo(20);
    }

    @Test
    void modelNamesAndVersionsThatAreNotSafeFileNamesArePercentEncodedInsideTheDirectory() throws IOException {
        SnapshotSink sink = SnapshotSink.directory(dir);

        sink.write(new ProfileSnapshot("pod-7", 0, profile("../../etc", "v1/\u03b2", Replica.T0, 1)));
        sink.write(new ProfileSnapshot("pod-7", 0, profile("..%2F..%2Fetc", ".hidden", Replica.T0, 1)));

        assertThat(files()).containsExactly(
                "%2E.%252F..%252Fetc/%2Ehidden/20260301T100000.000Z_pod-7_0.json",
                "%2E.%2F..%2Fetc/v1%2F%CE%B2/20260301T100000.000Z_pod-7_0.json");
    }

    @Test
    void directoryRejectsAPathThatIsAFile() throws IOException {
        Path file = Files.createFile(dir.resolve("snapshots"));

        assertThatThrownBy(() -> SnapshotSink.directory(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a directory");
    }

    @Test
    void aSnapshotNeedsAFileSafeReplicaIdAndAProfileThatNamesItsModel() {
        Profile unnamed = ProfileBuilder.forSchema(Schema.builder().numericInput("x").build()).build();
        Profile named = profile("fraud", "3", Replica.T0, 1);
        List<String> messages = new ArrayList<>();
        for (Runnable invalid : List.<Runnable>of(
                () -> new ProfileSnapshot("pod 7", 0, named),
                () -> new ProfileSnapshot(".pod", 0, named),
                () -> new ProfileSnapshot("pod-7", -1, named),
                () -> new ProfileSnapshot("pod-7", 0, unnamed))) {
            assertThatThrownBy(invalid::run).isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> messages.add(e.getMessage()));
        }

        assertThat(messages).satisfiesExactly(
                m -> assertThat(m).contains("replicaId", "'pod 7'"),
                m -> assertThat(m).contains("replicaId", "'.pod'"),
                m -> assertThat(m).contains("sequence must be >= 0, was -1"),
                m -> assertThat(m).contains("names its model and version"));
    }
}
