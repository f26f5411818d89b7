package dev.seismo.quality;

import dev.seismo.monitor.Inference;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorRegistry;
import dev.seismo.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LabelJoinTest {

    private final ManualClock clock = ManualClock.startingAt(Instant.parse("2026-03-01T10:00:20Z"));
    /** Aggregated only when a test asks: the registry's thread would race the clock's moves. */
    private final MonitorRegistry registry = MonitorRegistry.builder().clock(clock)
            .aggregationInterval(Duration.ofMinutes(1)).build();

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    private ModelMonitor binary(QualityConfig quality) {
        return ModelMonitor.builder("fraud").numericFeature("amount").windowDuration(Duration.ofMinutes(1))
                .quality(quality).register(registry);
    }

    private static void predict(ModelMonitor monitor, String key, double p) {
        try (Inference call = monitor.start()) {
            call.numeric(0, 10).key(key).prediction(p);
        }
    }

    @Test
    void aLateLabelUpdatesTheWindowOfItsPredictionAfterThatWindowClosed() {
        ModelMonitor monitor = binary(QualityConfig.binary().labelHorizon(Duration.ofMinutes(30)).build());
        predict(monitor, "a", 0.9);
        predict(monitor, "b", 0.2);
        monitor.flush();
        clock.advance(Duration.ofMinutes(1));
        predict(monitor, "c", 0.7);
        monitor.flush(); // window 0 closed

        assertThat(monitor.label("a", 1)).isEqualTo(LabelOutcome.JOINED);
        assertThat(monitor.label("b", 1)).isEqualTo(LabelOutcome.JOINED);
        assertThat(monitor.label("c", 0)).isEqualTo(LabelOutcome.JOINED);
        assertThat(monitor.label("a", 1)).as("already labeled").isEqualTo(LabelOutcome.UNMATCHED);

        QualitySnapshot q = monitor.quality().orElseThrow();
        QualityWindow first = q.windows().get(0);
        assertThat(first.sequence()).isZero();
        assertThat(first.open()).isFalse();
        assertThat(first.acceptingLabels()).isTrue();
        assertThat(first.start()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(first.end()).isEqualTo(Instant.parse("2026-03-01T10:01:00Z"));
        assertThat(first.predictions()).isEqualTo(2);
        assertThat(first.labeled()).isEqualTo(2);
        assertThat(first.classification().count(1, 1)).isEqualTo(1);
        assertThat(first.classification().count(1, 0)).isEqualTo(1);
        assertThat(first.realized(QualityMetric.ACCURACY)).isEqualTo(0.5);
        QualityWindow second = q.windows().get(1);
        assertThat(second.open()).isTrue();
        assertThat(second.classification().count(0, 1)).isEqualTo(1);
        assertThat(q.joined()).isEqualTo(3);
        assertThat(q.unmatchedLabels()).isEqualTo(1);
        assertThat(q.pending()).isZero();
    }

    @Test
    void predictionsUnlabeledPastTheHorizonExpireAndAreCountedAndTheWindowBecomesFinal() {
        List<QualityAlert> alerts = new ArrayList<>();
        ModelMonitor monitor = binary(QualityConfig.binary().labelHorizon(Duration.ofMinutes(5))
                .alertBelow(QualityMetric.ACCURACY, 0.9).listener(alerts::add).build());
        predict(monitor, "a", 0.9);
        predict(monitor, "b", 0.8);
        predict(monitor, "c", 0.1);
        monitor.flush();
        clock.advance(Duration.ofMinutes(1));
        monitor.flush();
        monitor.label("a", 0);
        clock.advance(Duration.ofMinutes(4)); // 10:05:20: window 0 ended 10:01, horizon until 10:06
        predict(monitor, "d", 0.5);
        monitor.flush();
        assertThat(monitor.quality().orElseThrow().windows().get(0).acceptingLabels()).isTrue();
        clock.advance(Duration.ofMinutes(1));
        monitor.flush();

        QualitySnapshot q = monitor.quality().orElseThrow();
        QualityWindow first = q.windows().get(0);
        assertThat(first.acceptingLabels()).isFalse();
        assertThat(first.predictions()).isEqualTo(3);
        assertThat(first.labeled()).isEqualTo(1);
        assertThat(first.expired()).isEqualTo(2);
        assertThat(first.pending()).isZero();
        assertThat(q.expired()).isEqualTo(2);
        assertThat(q.pending()).isEqualTo(1); // "d", in a later window
        assertThat(monitor.label("b", 1)).isEqualTo(LabelOutcome.UNMATCHED);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.estimated()).isFalse();
            assertThat(a.metric()).isEqualTo(QualityMetric.ACCURACY);
            assertThat(a.value()).isZero();
            assertThat(a.window()).isZero();
        });
    }

    @Test
    void duplicateKeysFullTablesAndInvalidValuesAreCountedNeverJoined() {
        ModelMonitor monitor = binary(QualityConfig.binary().maxPending(2).build());
        predict(monitor, "a", 0.9);
        predict(monitor, "a", 0.1); // a second prediction under a pending key
        predict(monitor, "b", 1.5); // not a probability
        predict(monitor, "b", 0.4);
        predict(monitor, "c", 0.4); // two already pending
        assertThat(monitor.label("a", 2)).isEqualTo(LabelOutcome.INVALID);
        assertThat(monitor.label("zzz", 1)).isEqualTo(LabelOutcome.UNMATCHED);
        assertThat(monitor.label("a", 1)).isEqualTo(LabelOutcome.JOINED);

        QualitySnapshot q = monitor.quality().orElseThrow();
        assertThat(q.duplicateKeys()).isEqualTo(1);
        assertThat(q.invalidPredictions()).isEqualTo(1);
        assertThat(q.refusedPredictions()).isEqualTo(1);
        assertThat(q.invalidLabels()).isEqualTo(1);
        assertThat(q.unmatchedLabels()).isEqualTo(1);
        assertThat(q.windows().get(0).classification().count(1, 1)).as("the first prediction wins").isEqualTo(1);
        assertThat(q.pending()).isEqualTo(1);
    }

    @Test
    void multiclassAndRegressionModelsJoinTheirOwnKindOfPrediction() {
        ModelMonitor classes = ModelMonitor.builder("intent").quality(QualityConfig.multiclass(
                List.of("billing", "tech", "other")).build()).register(registry);
        try (Inference call = classes.start()) {
            call.key(7L).prediction(new double[]{0.2, 0.7, 0.1});
        }
        try (Inference call = classes.start()) {
            call.key(8L).predictedClass(2);
        }
        assertThat(classes.label(7L, 1)).isEqualTo(LabelOutcome.JOINED);
        assertThat(classes.label("8", "other")).as("a string key is not the number").isEqualTo(LabelOutcome.UNMATCHED);
        assertThat(classes.label(8L, 0)).isEqualTo(LabelOutcome.JOINED);
        ClassificationMetrics m = classes.quality().orElseThrow().windows().get(0).classification();
        assertThat(m.count(1, 1)).isEqualTo(1);
        assertThat(m.count(0, 2)).isEqualTo(1);
        assertThat(m.probabilityRows()).isEqualTo(1);
        assertThat(m.logLoss()).isCloseTo(-Math.log(0.7), within(1e-6)); // kept as a float while pending

        ModelMonitor eta = ModelMonitor.builder("eta").quality(QualityConfig.regression().build()).register(registry);
        try (Inference call = eta.start()) {
            call.key("r1").prediction(12.5);
        }
        try (Inference call = eta.start()) {
            call.key("r2").prediction(3.0);
        }
        eta.label("r1", 10.0);
        eta.label("r2", 4.0);
        RegressionMetrics r = eta.quality().orElseThrow().windows().get(0).regression();
        assertThat(r.mae()).isEqualTo(1.75);
        assertThat(r.rmse()).isCloseTo(Math.sqrt((6.25 + 1) / 2), within(1e-12));
        assertThat(eta.label("r3", Double.NaN)).isEqualTo(LabelOutcome.INVALID);
    }

    @Test
    void aMonitorWithoutQualityTracksNoLabels() {
        ModelMonitor plain = ModelMonitor.builder("plain").register(registry);
        assertThat(plain.label("x", 1)).isEqualTo(LabelOutcome.NOT_TRACKED);
        assertThat(plain.quality()).isEmpty();
    }

    @Test
    void aBinaryClassifiersPendingPredictionTakesAtMost64Bytes() {
        for (int capacity : new int[]{1, 1000, 1024, 1025, 65_537, 1_000_000}) {
            PendingPredictions table = new PendingPredictions(capacity, 1);
            assertThat(table.bytesPerPrediction()).as("capacity %d", capacity).isLessThanOrEqualTo(64.0);
        }
        ModelMonitor monitor = binary(QualityConfig.binary().maxPending(100_000).build());
        assertThat(monitor.quality().orElseThrow().bytesPerPrediction()).isLessThanOrEqualTo(64.0);
    }

    @Test
    void settingsAreCheckedWhenSet() {
        assertThatThrownBy(() -> QualityConfig.binary().threshold(1.0)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> QualityConfig.binary().maxPending(0)).hasMessageContaining("maxPending");
        assertThatThrownBy(() -> QualityConfig.regression().alertBelow(QualityMetric.ACCURACY, 0.5))
                .hasMessageContaining("does not apply");
        assertThatThrownBy(() -> QualityConfig.binary().alertBelow(QualityMetric.F1, 0.5).build())
                .hasMessageContaining("listener");
        assertThatThrownBy(() -> QualityConfig.multiclass(List.of("a", "a"))).hasMessageContaining("distinct");
    }
}
