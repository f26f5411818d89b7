package dev.seismo.snapshot;

import dev.seismo.monitor.ModelMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotPublisherTest {

    private final Replica replica = new Replica();
    private final List<SnapshotPublisher> publishers = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        replica.close();
        publishers.forEach(SnapshotPublisher::close);
    }

    private SnapshotPublisher.Builder publisher(SnapshotSink sink) {
        return SnapshotPublisher.to(sink).replicaId("pod-7");
    }

    private SnapshotPublisher observe(SnapshotPublisher publisher) {
        publishers.add(publisher);
        replica.registry.addObserver(publisher);
        return publisher;
    }

    private void closeWindows(int n) {
        for (int i = 0; i < n; i++) {
            replica.record(0, 3).closeWindow();
        }
    }

    /** Waits, bounded, for the publisher's delivery thread to get there. */
    private static SnapshotPublisher.Stats await(SnapshotPublisher publisher, Predicate<SnapshotPublisher.Stats> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        SnapshotPublisher.Stats stats = publisher.stats();
        while (!done.test(stats) && System.nanoTime() < deadline) {
            Thread.sleep(2);
            stats = publisher.stats();
        }
        return stats;
    }

    /** A sink that records what it was given and on which thread, blocking on {@link #release} if told to. */
    private final class RecordingSink implements SnapshotSink {
        final List<ProfileSnapshot> written = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        volatile boolean block;

        @Override
        public void write(ProfileSnapshot snapshot) throws IOException {
            threads.add(Thread.currentThread());
            entered.countDown();
            if (block) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
            }
            written.add(snapshot);
        }

        List<Long> sequences() {
            return written.stream().map(ProfileSnapshot::sequence).toList();
        }
    }

    @Test
    void deliversEveryClosedWindowOfEveryMonitorOnItsOwnThread() throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        SnapshotPublisher publisher = observe(publisher(sink).build());
        ModelMonitor churn = ModelMonitor.builder("churn").numericFeature("tenure").register(replica.registry);

        closeWindows(2);
        churn.record(churn.newInference().numeric(0, 12));
        churn.flush();
        replica.clock.advance(Duration.ofMinutes(1));
        churn.flush();
        SnapshotPublisher.Stats stats = await(publisher, s -> s.delivered() == 3);

        assertThat(stats).isEqualTo(new SnapshotPublisher.Stats(3, 0, 0, 0, 0, 0));
        assertThat(sink.written).extracting(s -> s.profile().model() + "#" + s.sequence() + "@" + s.replicaId())
                .containsExactly("fraud#0@pod-7", "fraud#1@pod-7", "churn#0@pod-7");
        assertThat(sink.threads).extracting(Thread::getName).containsOnly("seismo-snapshots");
        assertThat(sink.threads).noneMatch(t -> t == Thread.currentThread());
    }

    @Test
    void closingTheRegistryPublishesItsLastWindowsThenClosesThePublisher() {
        RecordingSink sink = new RecordingSink();
        SnapshotPublisher publisher = observe(publisher(sink).build());
        closeWindows(1);
        replica.record(3, 5);

        replica.close();

        assertThat(publisher.stats()).isEqualTo(new SnapshotPublisher.Stats(2, 0, 0, 0, 0, 0));
        assertThat(sink.written).extracting(s -> s.profile().callStats().orElseThrow().calls())
                .containsExactly(3L, 2L);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .doesNotContain("seismo-snapshots");
    }

    @Test
    void aFailingSinkIsRetriedWithBackOffUntilItAcceptsTheWindow() throws Exception {
        try (Receiver receiver = new Receiver()) {
            receiver.failFirst.set(3);
            SnapshotPublisher publisher = observe(publisher(SnapshotSink.http(receiver.uri()))
                    .initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(80)).build());

            closeWindows(1);
            SnapshotPublisher.Stats stats = await(publisher, s -> s.delivered() == 1);

            assertThat(stats).isEqualTo(new SnapshotPublisher.Stats(1, 3, 0, 0, 0, 0));
            assertThat(receiver.requests).hasSize(4);
            assertThat(receiver.requests).extracting(r -> r.headers().getFirst("Seismo-Sequence"))
                    .containsOnly("0");
            // the waits were at least half of 20, 40 and 80 ms
            long waited = receiver.requests.get(3).receivedNanos() - receiver.requests.get(0).receivedNanos();
            assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(Duration.ofMillis(70));
        }
    }

    @Test
    void aSinkThatAlwaysFailsIsTriedMaxAttemptsTimesThenTheWindowIsDropped() throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();
        SnapshotPublisher publisher = observe(publisher(s -> {
            attempts.incrementAndGet();
            throw new IOException("receiver down");
        }).maxAttempts(3).initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(2)).build());

        closeWindows(2);
        SnapshotPublisher.Stats stats = await(publisher, s -> s.droppedFailing() == 2);

        assertThat(stats).isEqualTo(new SnapshotPublisher.Stats(0, 4, 0, 2, 0, 0));
        assertThat(stats.dropped()).isEqualTo(2);
        assertThat(attempts).hasValue(6);
    }

    @Test
    void aSinkThatThrowsARuntimeExceptionIsRetriedLikeAnyFailure() throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();
        SnapshotPublisher publisher = observe(publisher(s -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("bug in a sink");
            }
        }).initialBackoff(Duration.ofMillis(1)).build());

        closeWindows(1);
        SnapshotPublisher.Stats stats = await(publisher, s -> s.delivered() == 1);

        assertThat(stats).isEqualTo(new SnapshotPublisher.Stats(1, 1, 0, 0, 0, 0));
        assertThat(attempts).hasValue(2);
    }

    @Test
    void recordingAndFlushStayFastWhileTheSinkHangs() throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        sink.block = true;
        SnapshotPublisher publisher = observe(publisher(sink).bufferSize(4).build());

        long start = System.nanoTime();
        closeWindows(50); // 150 calls, 100 flushes; each closed window reaches the publisher on this thread
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(sink.entered.await(5, TimeUnit.SECONDS)).isTrue();
        SnapshotPublisher.Stats stats = publisher.stats();

        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(replica.monitor.snapshot().closed()).hasSize(50);
        assertThat(stats).isEqualTo(new SnapshotPublisher.Stats(0, 0, 45, 0, 0, 5));
        assertThat(sink.written).isEmpty();
    }

    @Test
    void aFullBufferDropsTheOldestWindowsAndCountsThem() throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        sink.block = true;
        SnapshotPublisher publisher = observe(publisher(sink).bufferSize(2).build());
        closeWindows(1);
        assertThat(sink.entered.await(5, TimeUnit.SECONDS)).isTrue();

        closeWindows(4);
        SnapshotPublisher.Stats full = publisher.stats();
        release.countDown();
        SnapshotPublisher.Stats drained = await(publisher, s -> s.delivered() == 3);

        assertThat(full).isEqualTo(new SnapshotPublisher.Stats(0, 0, 2, 0, 0, 3));
        assertThat(drained).isEqualTo(new SnapshotPublisher.Stats(3, 0, 2, 0, 0, 0));
        assertThat(sink.sequences()).containsExactly(0L, 3L, 4L);
    }

    @Test
    void closeDeliversWhatIsBufferedThenStopsTheThread() throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        sink.block = true;
        SnapshotPublisher publisher = observe(publisher(sink).build());
        closeWindows(1);
        assertThat(sink.entered.await(5, TimeUnit.SECONDS)).isTrue();
        closeWindows(3);

        release.countDown();
        publisher.close();

        assertThat(publisher.stats()).isEqualTo(new SnapshotPublisher.Stats(4, 0, 0, 0, 0, 0));
        assertThat(sink.sequences()).containsExactly(0L, 1L, 2L, 3L);
        assertThat(sink.threads.get(0).isAlive()).isFalse();
    }

    @Test
    void closeGivesUpOnASinkThatHangsPastTheCloseTimeoutAndCountsWhatItDrops() throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        sink.block = true;
        SnapshotPublisher publisher = observe(publisher(sink).closeTimeout(Duration.ofMillis(100)).build());
        closeWindows(1);
        assertThat(sink.entered.await(5, TimeUnit.SECONDS)).isTrue();
        closeWindows(2);

        long start = System.nanoTime();
        publisher.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isBetween(Duration.ofMillis(100), Duration.ofSeconds(2));
        assertThat(publisher.stats()).isEqualTo(new SnapshotPublisher.Stats(0, 0, 0, 0, 3, 0));
        assertThat(sink.threads.get(0).isAlive()).isFalse();
        assertThat(sink.written).isEmpty();
    }

    @Test
    void closeCutsShortTheBackOffOfAFailingSink() throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();
        SnapshotPublisher publisher = observe(publisher(s -> {
            attempts.incrementAndGet();
            throw new IOException("receiver down");
        }).initialBackoff(Duration.ofMinutes(1)).closeTimeout(Duration.ofMillis(50)).build());
        closeWindows(2);
        await(publisher, s -> s.retries() == 1);

        long start = System.nanoTime();
        publisher.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(publisher.stats()).isEqualTo(new SnapshotPublisher.Stats(0, 1, 0, 0, 2, 0));
        assertThat(attempts).hasValue(1);
    }

    @Test
    void windowsClosedAfterThePublisherAreCountedAsDropped() {
        RecordingSink sink = new RecordingSink();
        SnapshotPublisher publisher = observe(publisher(sink).build());

        publisher.close();
        closeWindows(2);

        assertThat(publisher.stats()).isEqualTo(new SnapshotPublisher.Stats(0, 0, 0, 0, 2, 0));
        assertThat(sink.written).isEmpty();
    }

    @Test
    void builderFailsFastNamingTheSettingAndItsAllowedValues() {
        SnapshotPublisher.Builder builder = SnapshotPublisher.to(s -> { });

        assertThatThrownBy(() -> builder.replicaId("pod 7")).hasMessageContaining("replicaId must be 1 to 128 of");
        assertThatThrownBy(() -> builder.bufferSize(0)).hasMessage("bufferSize must be in 1..10000 windows, was 0");
        assertThatThrownBy(() -> builder.maxAttempts(0)).hasMessage("maxAttempts must be in 1..1000, was 0");
        assertThatThrownBy(() -> builder.initialBackoff(Duration.ZERO))
                .hasMessage("initialBackoff must be at least 1 ms, was PT0S");
        assertThatThrownBy(() -> builder.closeTimeout(Duration.ofSeconds(-1)))
                .hasMessage("closeTimeout must not be negative, was PT-1S");
        assertThatThrownBy(() -> builder.initialBackoff(Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(1))
                .build()).hasMessage("maxBackoff (PT1S) must not be less than initialBackoff (PT5S)");
        assertThat(SnapshotPublisher.to(s -> { }).build()).satisfies(p -> {
            publishers.add(p);
            assertThat(p.replicaId()).hasSize(36);
        });
    }
}
