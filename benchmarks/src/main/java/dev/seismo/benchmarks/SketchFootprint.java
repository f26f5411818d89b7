package dev.seismo.benchmarks;

import dev.seismo.profile.ProfileOptions;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;

import java.util.SplittableRandom;

/**
 * Prints the memory a numeric feature's KLL sketch holds in a window, by k and number of values: the in-heap
 * (updatable) size at most, the size serialized in a profile, and the single-sided normalized rank error at 99%
 * confidence. Run: {@code java -cp benchmarks/target/benchmarks.jar dev.seismo.benchmarks.SketchFootprint}.
 */
public final class SketchFootprint {

    private SketchFootprint() {
    }

    public static void main(String[] args) {
        int defaultK = ProfileOptions.defaults().kllK();
        int referenceK = ProfileOptions.reference().kllK();
        int[] ks = {200, defaultK, 400, referenceK};
        long[] sizes = {1_000, 100_000, 1_000_000, 10_000_000};
        System.out.printf("%6s %12s %14s %14s %12s%n", "k", "values", "heap bytes max", "serialized", "rank error");
        SplittableRandom random = new SplittableRandom(7);
        for (int k : ks) {
            for (long n : sizes) {
                KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(k);
                for (long i = 0; i < n; i++) {
                    sketch.update(random.nextGaussian());
                }
                System.out.printf("%6d %12d %14d %14d %11.4f%%%s%n", k, n,
                        KllSketch.getMaxSerializedSizeBytes(k, n, KllSketch.SketchType.DOUBLES_SKETCH, true),
                        sketch.getSerializedSizeBytes(),
                        100 * sketch.getNormalizedRankError(false),
                        k == defaultK ? "   (defaults)" : k == referenceK ? "   (reference)" : "");
            }
        }
    }
}
