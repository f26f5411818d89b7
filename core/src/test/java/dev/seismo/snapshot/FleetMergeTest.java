package dev.seismo.snapshot;

import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorObserver;
import dev.seismo.monitor.Window;
import dev.seismo.profile.CallStats;
import dev.seismo.profile.CategoricalProfile;
import dev.seismo.profile.NumericProfile;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Two replicas publish their windows to one directory; merged, they are the profile of all calls. */
class FleetMergeTest {

    @TempDir
    Path dir;

    @Test
    void theWindowsOfTwoReplicasMergeIntoTheProfileOfAllTheirCalls() throws IOException {
        List<Profile> single = new ArrayList<>();
        try (Replica pod1 = new Replica(); Replica pod2 = new Replica(); Replica all = new Replica()) {
            SnapshotPublisher publisher1 = SnapshotPublisher.to(SnapshotSink.directory(dir)).replicaId("pod-1").build();
            SnapshotPublisher publisher2 = SnapshotPublisher.to(SnapshotSink.directory(dir)).replicaId("pod-2").build();
            pod1.registry.addObserver(publisher1);
            pod2.registry.addObserver(publisher2);
            all.registry.addObserver(new MonitorObserver() {
                @Override
                public void onWindowClosed(ModelMonitor monitor, Window window) {
                    single.add(window.profile());
                }
            });
            // Calls 0..119 go round-robin to the two replicas, over two windows; "all" sees every one of them.
            for (int i = 0; i < 120; i++) {
                (i % 2 == 0 ? pod1 : pod2).record(i, i + 1);
                all.record(i, i + 1);
                if (i == 59) {
                    pod1.closeWindow();
                    pod2.closeWindow();
                    all.closeWindow();
                }
            }
            for (Replica replica : List.of(pod1, pod2, all)) {
                replica.clock.advance(Duration.ofSeconds(30));
                replica.close(); // closes the second window with reason SHUTDOWN
            }
            publisher1.close();
            publisher2.close();
            assertThat(publisher1.stats().delivered()).isEqualTo(2);
            assertThat(publisher2.stats().delivered()).isEqualTo(2);
        }

        List<Profile> published = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("fraud/3"))) {
            for (Path file : files.sorted().toList()) {
                published.add(ProfileJson.read(file));
            }
        }
        Profile fleet = Profile.mergeAll(published);
        Profile expected = Profile.mergeAll(single);

        assertThat(published).hasSize(4);
        assertThat(fleet.metadata()).isEqualTo(expected.metadata());
        CallStats calls = fleet.callStats().orElseThrow();
        CallStats expectedCalls = expected.callStats().orElseThrow();
        assertThat(calls.calls()).isEqualTo(120).isEqualTo(expectedCalls.calls());
        assertThat(calls.errorsByType()).isEqualTo(expectedCalls.errorsByType()).containsValue(18L);
        assertThat(calls.successLatency().getTotalCount()).isEqualTo(expectedCalls.successLatency().getTotalCount());
        assertThat(calls.successLatency().getMaxValue()).isEqualTo(expectedCalls.successLatency().getMaxValue());
        NumericProfile amount = fleet.numeric("amount");
        NumericProfile expectedAmount = expected.numeric("amount");
        assertThat(amount.count()).isEqualTo(120);
        assertThat(amount.min()).isEqualTo(expectedAmount.min()).isEqualTo(0.0);
        assertThat(amount.max()).isEqualTo(expectedAmount.max()).isEqualTo(59.5);
        assertThat(amount.mean()).isCloseTo(expectedAmount.mean(), within(1e-12));
        assertThat(amount.variance()).isCloseTo(expectedAmount.variance(), within(1e-9));
        // fewer values than the sketch's k, so both sketches hold every value
        assertThat(amount.quantile(0.5)).isEqualTo(expectedAmount.quantile(0.5));
        CategoricalProfile country = fleet.categorical("country");
        assertThat(country.frequentItems()).isEqualTo(expected.categorical("country").frequentItems());
        assertThat(country.estimate("DE")).isEqualTo(40);
    }
}
