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
            long thread = Thread.currentThread().getId();
            long[] allocated = new long[1];
            // Bursts smaller than a stripe, drained in between, so every call takes the normal path however
            // busy the machine is; only the bursts are measured, not the draining (which this thread does here).
            Runnable bursts = () -> {
                for (int burst = 0; burst < 400; burst++) {
                    long before = THREADS.getThreadAllocatedBytes(thread);
                    for (int i = 0; i < 100; i++) {
                        monitor.record(inference.numeric(0, i).numeric(1, -i).categorical(0, "x").numeric(2, 0.5)
                                .latency(1_000 + i));
                        try (Inference scope = monitor.start()) {
                            scope.numeric(0, i).categorical(0, "y").usage(10, 2);
                            if (i % 10 == 0) {
                                scope.error(error);
                            }
                        }
                    }
                    allocated[0] += THREADS.getThreadAllocatedBytes(thread) - before;
                    monitor.flush();
                }
            };
            bursts.run(); // warm up: thread-local scope, error table, JIT
            allocated[0] = 0;
            bursts.run();

            assertThat(allocated[0]).isZero();
            assertThat(monitor.snapshot().lifetimeCalls()).isEqualTo(160_000);
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
