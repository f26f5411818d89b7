package dev.seismo.monitor;

import dev.seismo.profile.CallStats;
import dev.seismo.profile.CategoricalProfile;
import dev.seismo.profile.NumericProfile;
import dev.seismo.profile.Profile;
import dev.seismo.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelMonitorRecordingTest {

    private final ManualClock clock = ManualClock.create();
    private final MonitorRegistry registry = MonitorRegistry.builder().clock(clock).build();
    private final ModelMonitor monitor = ModelMonitor.builder("fraud").version("3")
            .numericFeature("amount")
            .categoricalFeature("country")
            .numericOutput("score")
            .categoricalOutput("label")
            .register(registry);

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    private Profile current() {
        return monitor.snapshot().current().profile();
    }

    @Test
    void observeTimesTheCallAndRecordsFeaturesAndOutputs() {
        double score = monitor.observe(Map.of("amount", 12.5, "country", "DE"), () -> {
            clock.advance(Duration.ofMillis(7));
            return 0.9;
        }, (result, inference) -> inference.set("score", result).set("label", "fraud"));

        assertThat(score).isEqualTo(0.9);
        Profile profile = current();
        CallStats calls = profile.callStats().orElseThrow();
        assertThat(calls.calls()).isEqualTo(1);
        assertThat(calls.errors()).isZero();
        assertThat(calls.successLatency().getMaxValue()).isCloseTo(7_000_000L, within(70_000L));
        assertThat(profile.numeric("amount").mean()).isEqualTo(12.5);
        assertThat(profile.numeric("score").mean()).isEqualTo(0.9);
        assertThat(profile.categorical("country").estimate("DE")).isEqualTo(1);
        assertThat(profile.categorical("label").estimate("fraud")).isEqualTo(1);
    }

    @Test
    void observeRecordsAnErrorAndRethrowsItUnchanged() {
        IOException failure = new IOException("model server down");

        assertThatThrownBy(() -> monitor.observe(Map.of("amount", 1.0), () -> {
            throw failure;
        })).isSameAs(failure);

        CallStats calls = current().callStats().orElseThrow();
        assertThat(calls.calls()).isEqualTo(1);
        assertThat(calls.errors()).isEqualTo(1);
        assertThat(calls.errorsByType()).containsEntry("java.io.IOException", 1L);
        assertThat(current().numeric("amount").count()).isEqualTo(1);
    }

    @Test
    void scopeRecordsWhenClosedAndIsReusedByTheThread() {
        Inference first;
        try (Inference call = monitor.start()) {
            first = call;
            call.set("amount", 3.0).set("country", "FR");
            clock.advance(Duration.ofMillis(2));
        }
        try (Inference call = monitor.start()) {
            assertThat(call).isSameAs(first);
            call.set("amount", 5.0).usage(100, 20);
        }

        Profile profile = current();
        assertThat(profile.numeric("amount").count()).isEqualTo(2);
        assertThat(profile.numeric("amount").mean()).isEqualTo(4.0);
        assertThat(profile.categorical("country").count()).isEqualTo(1);
        assertThat(profile.categorical("country").missing()).isEqualTo(1);
        CallStats calls = profile.callStats().orElseThrow();
        assertThat(calls.inputUnits()).isEqualTo(100);
        assertThat(calls.outputUnits()).isEqualTo(20);
        assertThat(calls.callsWithUsage()).isEqualTo(1);
    }

    @Test
    void nestedScopesOnOneThreadAreRecordedApart() {
        try (Inference outer = monitor.start()) {
            outer.set("amount", 1.0);
            try (Inference inner = monitor.start()) {
                assertThat(inner).isNotSameAs(outer);
                inner.set("amount", 2.0);
            }
        }

        assertThat(current().numeric("amount").count()).isEqualTo(2);
        assertThat(current().numeric("amount").mean()).isEqualTo(1.5);
    }

    @Test
    void indexedFastPathRecordsValuesInSchemaOrder() {
        Inference inference = monitor.newInference();
        double[] numeric = {10.0, 0.25};
        Object[] categorical = {"US", "ok"};

        monitor.record(inference.numeric(numeric).categorical(categorical).latency(1_000));
        monitor.record(inference.numeric(0, 20.0).numeric(1, 0.75).categorical(0, "US").latency(3_000));

        Profile profile = current();
        assertThat(profile.numeric("amount").mean()).isEqualTo(15.0);
        assertThat(profile.numeric("score").mean()).isEqualTo(0.5);
        assertThat(profile.categorical("country").estimate("US")).isEqualTo(2);
        assertThat(profile.categorical("label").missing()).isEqualTo(1);
        assertThat(profile.callStats().orElseThrow().successLatency().getTotalCount()).isEqualTo(2);
    }

    @Test
    void badValuesAreCountedNotThrown() {
        Map<String, Object> features = new HashMap<>();
        features.put("amount", Double.NaN);
        features.put("country", null);
        features.put("colour", "red");
        monitor.observe(features, () -> 1);
        monitor.observe(Map.of("amount", Double.POSITIVE_INFINITY, "country", new int[] {1}), () -> 1);
        monitor.observe(Map.of("amount", "twelve"), () -> 1);
        monitor.record(monitor.newInference().numeric(7, 1.0).categorical(-1, "x"));

        Profile profile = current();
        NumericProfile amount = profile.numeric("amount");
        assertThat(amount.count()).isZero();
        assertThat(amount.missing()).isEqualTo(2);
        assertThat(amount.invalid()).isEqualTo(2);
        CategoricalProfile country = profile.categorical("country");
        assertThat(country.missing()).isEqualTo(3);
        assertThat(country.invalid()).isEqualTo(1);
        MonitorSnapshot snapshot = monitor.snapshot();
        assertThat(snapshot.unknownNames()).isEqualTo(3);
        assertThat(snapshot.unknownNameSamples()).containsExactly("colour");
        assertThat(snapshot.lifetimeCalls()).isEqualTo(4);
    }

    @Test
    void outputsCallbackThatThrowsIsCountedAndTheResultStillReturned() {
        String result = monitor.observe(Map.of(), () -> "ok", (r, inference) -> {
            throw new IllegalStateException("bug in the caller's extractor");
        });

        assertThat(result).isEqualTo("ok");
        MonitorSnapshot snapshot = monitor.snapshot();
        assertThat(snapshot.recordingFailures()).isEqualTo(1);
        assertThat(snapshot.current().calls().calls()).isEqualTo(1);
        assertThat(snapshot.current().calls().errors()).isZero();
    }

    @Test
    void featureSamplingProfilesOneCallInNButCountsEveryCall() {
        ModelMonitor sampled = ModelMonitor.builder("sampled").numericFeature("x").featureSampling(10)
                .register(registry);
        Inference inference = sampled.newInference();
        for (int i = 0; i < 1_000; i++) {
            sampled.record(inference.numeric(0, i).latency(100));
        }

        Window window = sampled.snapshot().current();
        assertThat(window.calls().calls()).isEqualTo(1_000);
        assertThat(window.calls().profiledCalls()).isEqualTo(100);
        assertThat(window.profile().numeric("x").count()).isEqualTo(100);
    }

    @Test
    void recordingAfterTheRegistryClosedIsIgnored() {
        registry.close();

        assertThat(monitor.observe(Map.of("amount", 1.0), () -> 42)).isEqualTo(42);
        assertThat(monitor.snapshot().lifetimeCalls()).isZero();
    }
}
