package dev.seismo.quality;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class PendingPredictionsTest {

    @Test
    void behavesAsAMapUnderRandomPutsRemovesAndWindowSweepsWithCollidingSlots() {
        SplittableRandom random = new SplittableRandom(11);
        PendingPredictions table = new PendingPredictions(500, 1);
        Map<Long, long[]> model = new HashMap<>(); // key -> {window, class, score bits}
        double[] payload = new double[1];
        for (int step = 0; step < 200_000; step++) {
            int op = random.nextInt(10);
            long key = random.nextInt(2_000); // small key space: many hits, duplicates, long clusters
            if (op < 5) {
                int window = random.nextInt(6);
                payload[0] = random.nextInt(1000) / 1000.0;
                PendingPredictions.Put put = table.put(key, window, (int) key & 1, payload, 0);
                if (model.containsKey(key)) {
                    assertThat(put).isEqualTo(PendingPredictions.Put.DUPLICATE);
                } else if (model.size() >= 500) {
                    assertThat(put).isEqualTo(PendingPredictions.Put.FULL);
                } else {
                    assertThat(put).isEqualTo(PendingPredictions.Put.ADDED);
                    model.put(key, new long[]{window, key & 1, Float.floatToIntBits((float) payload[0])});
                }
            } else if (op < 9) {
                int slot = table.find(key);
                long[] expected = model.remove(key);
                if (expected == null) {
                    assertThat(slot).isNegative();
                } else {
                    assertThat(slot).isNotNegative();
                    assertThat(table.window(slot)).isEqualTo(expected[0]);
                    assertThat(table.predictedClass(slot)).isEqualTo(expected[1]);
                    assertThat(Float.floatToIntBits(table.floatAt(slot, 0))).isEqualTo((int) expected[2]);
                    table.remove(slot);
                }
            } else if (random.nextInt(20) == 0) {
                int window = random.nextInt(6);
                long expectedRemoved = model.values().stream().filter(v -> v[0] == window).count();
                model.values().removeIf(v -> v[0] == window);
                assertThat(table.removeWindow(window)).isEqualTo(expectedRemoved);
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        for (long key : model.keySet()) {
            assertThat(table.find(key)).isNotNegative();
        }
    }

    @Test
    void stringKeysHashToDistinctValuesAcrossAMillionRequestIds() {
        java.util.HashSet<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 1_000_000; i++) {
            assertThat(seen.add(PendingPredictions.hash("req-" + i))).isTrue();
        }
    }
}
