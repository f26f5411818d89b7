package dev.seismo.quality;

import dev.seismo.monitor.Inference;
import dev.seismo.monitor.ModelMonitor;
import dev.seismo.monitor.MonitorRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConcurrentLabelJoinTest {

    /**
     * Four threads record keyed predictions while two threads label them out of order, as the registry's own thread
     * aggregates and windows close under them: every prediction is joined exactly once, and the realized metrics of
     * all windows together equal an exact computation on the joined rows.
     */
    @Test
    void labelsFromTwoThreadsJoinEveryPredictionExactlyOnceWhilePredictionsAreRecorded() throws Exception {
        int producers = 4;
        int perProducer = 25_000;
        try (MonitorRegistry registry = MonitorRegistry.builder().aggregationInterval(Duration.ofMillis(5)).build()) {
            ModelMonitor monitor = ModelMonitor.builder("fraud").numericFeature("x").noWindowDuration()
                    .windowMaxRecords(7_000).quality(QualityConfig.binary().maxPending(200_000)
                            .labelHorizon(Duration.ofHours(1)).build())
                    .register(registry);
            double[] scores = new double[producers * perProducer];
            int[] labels = new int[scores.length];
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < scores.length; i++) {
                scores[i] = random.nextInt(1 << 20) / (double) (1 << 20);
                labels[i] = random.nextDouble() < scores[i] ? 1 : 0;
            }
            ConcurrentLinkedQueue<Integer> recorded = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < producers; t++) {
                int from = t * perProducer;
                threads.add(new Thread(() -> {
                    await(start);
                    Inference call = monitor.newInference();
                    for (int i = from; i < from + perProducer; i++) {
                        monitor.record(call.numeric(0, i).key("req-" + i).prediction(scores[i]).latency(1000));
                        recorded.add(i);
                    }
                }));
            }
            long[] outcomes = new long[LabelOutcome.values().length];
            List<Thread> labelers = new ArrayList<>();
            int total = scores.length;
            for (int t = 0; t < 2; t++) {
                labelers.add(new Thread(() -> {
                    await(start);
                    List<Integer> batch = new ArrayList<>();
                    SplittableRandom shuffle = new SplittableRandom(Thread.currentThread().getId());
                    int done = 0;
                    while (done < total / 2) {
                        batch.clear();
                        Integer i;
                        while (batch.size() < 512 && (i = recorded.poll()) != null) {
                            batch.add(i);
                        }
                        Collections.shuffle(batch, new java.util.Random(shuffle.nextLong())); // out of order
                        for (int k : batch) {
                            LabelOutcome o = monitor.label("req-" + k, labels[k]);
                            synchronized (outcomes) {
                                outcomes[o.ordinal()]++;
                            }
                        }
                        done += batch.size();
                        if (batch.isEmpty()) {
                            Thread.onSpinWait();
                            synchronized (outcomes) {
                                if (outcomes[LabelOutcome.JOINED.ordinal()] + outcomes[LabelOutcome.UNMATCHED.ordinal()]
                                        >= total) {
                                    return;
                                }
                            }
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            labelers.forEach(Thread::start);
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            for (Thread t : labelers) {
                t.join();
            }

            assertThat(outcomes[LabelOutcome.JOINED.ordinal()]).isEqualTo(total);
            assertThat(outcomes[LabelOutcome.UNMATCHED.ordinal()]).isZero();
            QualitySnapshot q = monitor.quality().orElseThrow();
            assertThat(q.joined()).isEqualTo(total);
            assertThat(q.pending()).isZero();
            assertThat(q.shedPredictions() + q.duplicateKeys() + q.refusedPredictions()).isZero();
            assertThat(q.windows().size()).isGreaterThan(1);
            ClassificationMetrics all = q.windows().stream().map(QualityWindow::classification)
                    .reduce(ClassificationMetrics::merge).orElseThrow();
            assertThat(q.windows().stream().mapToLong(QualityWindow::predictions).sum()).isEqualTo(total);

            ClassificationMetrics.Accumulator exact = new ClassificationMetrics.Accumulator(List.of("0", "1"));
            for (int i = 0; i < total; i++) {
                exact.addBinary(labels[i], scores[i], 0.5);
            }
            ClassificationMetrics e = exact.snapshot();
            for (int a = 0; a < 2; a++) {
                for (int p = 0; p < 2; p++) {
                    assertThat(all.count(a, p)).isEqualTo(e.count(a, p));
                }
            }
            assertThat(all.rocAuc()).isCloseTo(RealizedMetricsTest.exactAuc(scores, labels), within(0.005));
            assertThat(all.logLoss()).isCloseTo(e.logLoss(), within(1e-6));
            assertThat(all.calibrationError()).isCloseTo(e.calibrationError(), within(1e-6));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
