package dev.seismo.monitor;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class RecordingAllocationTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void indexedRecordingAndScopesAllocateNothingInSteadyState() {
        assumeThat(THREADS.isThreadAllocatedMemorySupported()).isTrue();
        try (MonitorRegistry registry = MonitorRegistry.create()) {
            ModelMonitor monitor = ModelMonitor.builder("alloc").numericFeature("a").numericFeature("b")
                    .categoricalFeature("c").numericOutput("score").featureSampling(3).register(registry);
            Inference inference = monitor.newInference();
            RuntimeException error = new RuntimeException("model failed");
            Runnable calls = () -> {
                for (int i = 0; i < 50_000; i++) {
                    monitor.record(inference.numeric(0, i).numeric(1, -i).categorical(0, "x").numeric(2, 0.5)
                            .latency(1_000 + i));
                    try (Inference scope = monitor.start()) {
                        scope.numeric(0, i).categorical(0, "y").usage(10, 2);
                        if (i % 10 == 0) {
                            scope.error(error);
                        }
                    }
                }
            };
            calls.run(); // warm up: thread-local scope, error table, JIT

            long thread = Thread.currentThread().getId();
            long before = THREADS.getThreadAllocatedBytes(thread);
            calls.run();
            long allocated = THREADS.getThreadAllocatedBytes(thread) - before;

            assertThat(allocated).isZero();
            assertThat(monitor.snapshot().lifetimeCalls()).isEqualTo(200_000);
        }
    }

    @Test
    void recordingNeverThrowsIntoTheCaller() {
        try (MonitorRegistry registry = MonitorRegistry.create()) {
            ModelMonitor monitor = ModelMonitor.builder("robust").numericFeature("a").register(registry);
            Map<String, Object> hostile = new java.util.AbstractMap<>() {
                @Override
                public java.util.Set<Entry<String, Object>> entrySet() {
                    throw new IllegalStateException("hostile map");
                }
            };

            assertThat(monitor.observe(hostile, () -> "fine")).isEqualTo("fine");
            assertThat(monitor.snapshot().recordingFailures()).isEqualTo(1);
            assertThat(monitor.snapshot().lifetimeCalls()).isEqualTo(1);
        }
    }
}
