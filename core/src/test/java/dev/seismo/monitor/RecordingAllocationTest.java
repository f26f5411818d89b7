package dev.seismo.monitor;

import dev.seismo.cost.CostModel;
import dev.seismo.resource.ThreadCpuTime;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

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
    void aPricedMonitorsCallsAllocateNothingOnTheNormalPathOrWhenTheBufferOverflows() throws Exception {
        assumeThat(THREADS.isThreadAllocatedMemorySupported()).isTrue();
        CostModel prices = CostModel.builder().inputPerMillionTokens(3).cachedInputPerMillionTokens(0.3)
                .perCall(0.001).instancePerHour(1).build();
        try (MonitorRegistry registry = MonitorRegistry.builder().costModel(prices).build()) {
            AtomicBoolean stall = new AtomicBoolean();
            CountDownLatch stalled = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ModelMonitor monitor = ModelMonitor.builder("priced").numericFeature("a").noWindowDuration()
                    .windowMaxRecords(1_000).cpuTime(ThreadCpuTime.sampled(3))
                    .listener((m, w) -> {
                        if (stall.get()) { // holds the aggregation: later calls find the buffer full
                            stalled.countDown();
                            awaitQuietly(release);
                        }
                    })
                    .register(registry);
            Inference inference = monitor.newInference();
            long thread = Thread.currentThread().getId();
            Runnable calls = () -> {
                for (int i = 0; i < 100; i++) {
                    monitor.record(inference.numeric(0, i).latency(1_000 + i).usage(100, 20, 60));
                    try (Inference scope = monitor.start()) {
                        scope.numeric(0, i).usage(10, 2, 5);
                    }
                }
            };
            // Measured in rounds after a warm-up: with sampled CPU time the JIT may still recompile a rarely taken
            // branch early on, which can allocate once; a path that allocates per call allocates in every round.
            long normal = -1;
            for (int round = 0; round < 8 && normal != 0; round++) {
                long allocated = 0;
                for (int burst = 0; burst < 200; burst++) { // bursts smaller than a stripe: no call overflows
                    long before = THREADS.getThreadAllocatedBytes(thread);
                    calls.run();
                    allocated += THREADS.getThreadAllocatedBytes(thread) - before;
                    monitor.flush();
                }
                normal = round < 2 ? -1 : allocated;
            }
            stall.set(true);
            for (int burst = 0; burst < 5; burst++) { // a window's worth: the next drain closes it, and stalls
                calls.run();
            }
            Thread closer = new Thread(monitor::flush);
            closer.start();
            stalled.await();
            long overflowing = -1;
            for (int round = 0; round < 8 && overflowing != 0; round++) {
                long before = THREADS.getThreadAllocatedBytes(thread);
                for (int burst = 0; burst < 200; burst++) { // the first round fills the buffer
                    calls.run();
                }
                overflowing = round < 2 ? -1 : THREADS.getThreadAllocatedBytes(thread) - before;
            }
            release.countDown();
            closer.join();
            stall.set(false);
            monitor.flush();

            assertThat(normal).isZero();
            assertThat(overflowing).isZero();
            assertThat(monitor.snapshot().unattributedCalls()).isPositive();
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

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
