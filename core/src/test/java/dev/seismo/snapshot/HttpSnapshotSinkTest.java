package dev.seismo.snapshot;

import dev.seismo.monitor.Window;
import dev.seismo.profile.ProfileJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpSnapshotSinkTest {

    private final Receiver receiver = new Receiver();
    private final Replica replica = new Replica();

    HttpSnapshotSinkTest() throws IOException {
    }

    @AfterEach
    void stop() {
        replica.close();
        receiver.close();
    }

    private ProfileSnapshot snapshot() {
        Window window = replica.record(0, 20).closeWindow().latestWindow();
        return new ProfileSnapshot("pod-7", window.sequence(), window.profile());
    }

    @Test
    void postsTheProfileJsonWithTheReplicaTheSequenceAndTheConfiguredHeaders() throws IOException {
        ProfileSnapshot snapshot = snapshot();

        HttpSnapshotSink.builder(receiver.uri()).header("Authorization", "Bearer s3cret").build().write(snapshot);

        assertThat(receiver.requests).hasSize(1);
        Receiver.Request request = receiver.requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(request.headers().getFirst("Seismo-Replica")).isEqualTo("pod-7");
        assertThat(request.headers().getFirst("Seismo-Sequence")).isEqualTo("0");
        assertThat(request.headers().getFirst("Authorization")).isEqualTo("Bearer s3cret");
        assertThat(ProfileJson.toJson(ProfileJson.fromJson(request.body(), "request")))
                .isEqualTo(ProfileJson.toJson(snapshot.profile()));
    }

    @Test
    void anAnswerOutside2xxIsAFailureNamingTheStatus() throws IOException {
        ProfileSnapshot snapshot = snapshot();
        receiver.failFirst.set(1);
        SnapshotSink sink = SnapshotSink.http(receiver.uri());

        assertThatThrownBy(() -> sink.write(snapshot))
                .isInstanceOf(IOException.class)
                .hasMessage("POST " + receiver.uri() + " answered HTTP 503");
        sink.write(snapshot);
        assertThat(receiver.requests).hasSize(2);
    }

    @Test
    void aReceiverThatDoesNotAnswerFailsTheWriteAfterTheTimeout() {
        ProfileSnapshot snapshot = snapshot();
        receiver.hold = true;
        SnapshotSink sink = HttpSnapshotSink.builder(receiver.uri()).timeout(Duration.ofMillis(200)).build();

        long start = System.nanoTime();
        assertThatThrownBy(() -> sink.write(snapshot)).isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    @Test
    void builderRejectsWhatCouldOnlyFailLaterOnTheDeliveryThread() {
        HttpSnapshotSink.Builder builder = HttpSnapshotSink.builder(receiver.uri());

        assertThatThrownBy(() -> HttpSnapshotSink.builder(URI.create("ftp://host/snapshots")))
                .hasMessage("snapshot URI must be an absolute http or https URI, was ftp://host/snapshots");
        assertThatThrownBy(() -> SnapshotSink.http(URI.create("snapshots")))
                .hasMessage("snapshot URI must be an absolute http or https URI, was snapshots");
        assertThatThrownBy(() -> builder.header("Host", "elsewhere")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Host");
        assertThatThrownBy(() -> builder.header("Authorization", "line\nbreak"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.timeout(Duration.ZERO)).hasMessage("timeout must be positive, was PT0S");
    }
}
