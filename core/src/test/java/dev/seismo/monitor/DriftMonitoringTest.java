package dev.seismo.monitor;

import dev.seismo.drift.DriftConfig;
import dev.seismo.drift.DriftReport;
import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileBuilder;
import dev.seismo.schema.Schema;
import dev.seismo.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class DriftMonitoringTest {

    private static final int WINDOW = 2_000;
    /**
     * A false-alarm rate low enough that windows drawn like the reference never flag in these tests, and a dataset
     * that drifts when one of its three signals does.
     */
    private static final DriftConfig QUIET = DriftConfig.builder().falseAlarmRate(1e-4).datasetDriftShare(0.3).build();

    private final SplittableRandom random = new SplittableRandom(11);
    private final MonitorRegistry registry = MonitorRegistry.builder().clock(ManualClock.create()).build();
    private final List<DriftEvent> events = new ArrayList<>();

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    private Profile reference() {
        ProfileBuilder builder = ProfileBuilder.forSchema(Schema.builder().numericInput("amount")
                .categoricalInput("country").numericOutput("score").build());
        for (int i = 0; i < 20_000; i++) {
            builder.add(Map.of("amount", random.nextGaussian(), "country", i % 2 == 0 ? "DE" : "FR",
                    "score", random.nextDouble()));
        }
        return builder.build();
    }

    private ModelMonitor.Builder monitor() {
        return ModelMonitor.builder("fraud").numericFeature("amount").categoricalFeature("country")
                .numericOutput("score").noWindowDuration().windowMaxRecords(WINDOW).drift(QUIET)
                .driftListener(events::add);
    }

    /** Records one window's worth of calls; the amount's mean is shifted by {@code shift} standard deviations. */
    private void window(ModelMonitor monitor, double shift) {
        Inference inference = monitor.newInference();
        for (int i = 0; i < WINDOW; i++) {
            monitor.record(inference.numeric(0, random.nextGaussian() + shift).categorical(0, i % 2 == 0 ? "DE" : "FR")
                    .numeric(1, random.nextDouble()).latency(1_000));
        }
        monitor.flush();
    }

    @Test
    void eachClosedWindowIsComparedWithTheReference() {
        ModelMonitor monitor = monitor().reference(reference()).register(registry);
        window(monitor, 0);
        window(monitor, 1.0);
        window(monitor, 0); // the record that closes the previous window opens this one

        List<Window> closed = monitor.snapshot().closed();
        assertThat(closed).hasSize(2);
        DriftReport quiet = closed.get(0).drift().orElseThrow();
        DriftReport shifted = closed.get(1).drift().orElseThrow();
        assertThat(quiet.driftedFeatures()).isEmpty();
        assertThat(shifted.driftedFeatures()).containsExactly("amount");
        assertThat(shifted.feature("amount").statistic("ks")).isGreaterThan(0.3);
        assertThat(shifted.current().rows()).isEqualTo(WINDOW);
        assertThat(monitor.snapshot().current().drift()).isEmpty();
    }

    @Test
    void listenersHearOfEachChangeOnceNotOfEveryWindow() {
        ModelMonitor monitor = monitor().reference(reference()).register(registry);
        window(monitor, 0);
        window(monitor, 1.0);
        window(monitor, 1.0);
        window(monitor, 1.0);
        window(monitor, 0);
        window(monitor, 0);

        assertThat(events).extracting(DriftEvent::feature, DriftEvent::change).containsExactly(
                tuple("amount", DriftEvent.Change.STARTED),
                tuple(null, DriftEvent.Change.STARTED),
                tuple("amount", DriftEvent.Change.ENDED),
                tuple(null, DriftEvent.Change.ENDED));
        assertThat(events.get(0).window().sequence()).isEqualTo(1);
        assertThat(events.get(0).report().feature("amount").drifted()).isTrue();
        assertThat(events.get(1).isDataset()).isTrue();
    }

    @Test
    void predictionDriftIsWatchedLikeFeatureDrift() {
        ModelMonitor monitor = monitor().reference(reference()).register(registry);
        Inference inference = monitor.newInference();
        for (int i = 0; i <= WINDOW; i++) {
            monitor.record(inference.numeric(0, random.nextGaussian()).categorical(0, i % 2 == 0 ? "DE" : "FR")
                    .numeric(1, 0.5 + random.nextDouble() / 2).latency(1_000));
        }
        monitor.flush();

        DriftReport report = monitor.snapshot().closed().get(0).drift().orElseThrow();
        assertThat(report.driftedFeatures()).containsExactly("score");
    }

    @Test
    void aReferenceIsBootstrappedFromTheFirstWindowsWhenNoneIsGiven() {
        ModelMonitor monitor = monitor().bootstrapReference(2).register(registry);
        window(monitor, 0);
        window(monitor, 0);
        window(monitor, 0);
        window(monitor, 2.0);

        List<Window> closed = monitor.snapshot().closed();
        assertThat(closed.get(0).drift()).isEmpty();
        assertThat(closed.get(1).drift()).isEmpty();
        DriftReport report = closed.get(2).drift().orElseThrow();
        assertThat(report.reference().rows()).isEqualTo(2L * WINDOW);
        assertThat(report.reference().start()).isEqualTo(closed.get(0).start());
        assertThat(report.reference().end()).isEqualTo(closed.get(1).end());
        assertThat(report.driftedFeatures()).isEmpty();
        window(monitor, 0);
        assertThat(monitor.snapshot().closed().get(3).drift().orElseThrow().driftedFeatures())
                .containsExactly("amount");
    }

    @Test
    void aDriftListenerThatThrowsDoesNotStopTheOthers() {
        ModelMonitor monitor = monitor().reference(reference())
                .driftListener(e -> {
                    throw new IllegalStateException("broken");
                })
                .register(registry);
        window(monitor, 0);
        window(monitor, 1.0);
        window(monitor, 0);

        assertThat(events).hasSize(2);
        assertThat(monitor.snapshot().listenerFailures()).isEqualTo(2);
    }

    @Test
    void driftWithoutAReferenceIsAConfigurationError() {
        assertThatThrownBy(() -> ModelMonitor.builder("m").numericFeature("x").driftListener(e -> { })
                .register(registry))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("drift needs a reference");
        assertThatThrownBy(() -> ModelMonitor.builder("m").reference(reference()).bootstrapReference(2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not both");
    }
}
