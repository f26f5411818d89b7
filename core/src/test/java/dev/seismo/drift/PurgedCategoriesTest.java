package dev.seismo.drift;

import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileOptions;
import dev.seismo.schema.Schema;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** More categories than a frequent-items sketch holds exactly, as with IDs or free-text fields. */
class PurgedCategoriesTest {

    private static final Schema SCHEMA = Schema.builder().categoricalInput("c").build();
    /** Exact up to 48 categories; the data has 1,000. */
    private static final ProfileOptions SMALL = ProfileOptions.builder().frequentItemsMapSize(64).build();

    private static String[] draw(Random random, int n, int categories, String prefix) {
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            // A few heavy categories and a long uniform tail, as real high-cardinality columns look.
            values[i] = random.nextInt(4) == 0 ? "head" + random.nextInt(5) : prefix + random.nextInt(categories);
        }
        return values;
    }

    private static FeatureDrift compare(String[] ref, String[] cur) {
        Profile reference = Samples.profile(SCHEMA, SMALL, (Object) ref);
        Profile current = Samples.profile(SCHEMA, SMALL, (Object) cur);
        assertThat(reference.categorical("c").countsExact()).isFalse();
        return DriftDetector.ofDefaults().compare(reference, current).feature("c");
    }

    @Test
    void categoriesASketchDroppedShareTheRestBinAndRaiseNoAlarmOnIdenticalData() {
        Random random = new Random(3);
        FeatureDrift f = compare(draw(random, 50_000, 1_000, "id"), draw(random, 10_000, 1_000, "id"));

        assertThat(f.unseen()).isEmpty();
        assertThat(f.drifted()).isFalse();
        assertThat(f.statistic("js_distance")).isLessThan(0.05);
    }

    @Test
    void aShiftOfTheHeavyCategoriesIsStillFound() {
        Random random = new Random(4);
        String[] ref = draw(random, 50_000, 1_000, "id");
        String[] cur = draw(random, 10_000, 1_000, "id");
        for (int i = 0; i < cur.length; i += 3) {
            cur[i] = "head0";
        }

        FeatureDrift f = compare(ref, cur);

        assertThat(f.drifted()).isTrue();
        assertThat(f.unseen()).isEmpty();
    }
}
