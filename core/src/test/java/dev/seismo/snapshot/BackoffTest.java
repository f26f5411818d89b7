package dev.seismo.snapshot;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

class BackoffTest {

    private static final long MS = 1_000_000;

    @Test
    void theCeilingDoublesFromTheInitialDelayUpToTheMax() {
        Backoff backoff = new Backoff(100 * MS, 1_000 * MS, new SplittableRandom(1));

        List<Long> ceilings = new ArrayList<>();
        for (int retry = 1; retry <= 6; retry++) {
            ceilings.add(backoff.ceilingNanos(retry) / MS);
        }

        assertThat(ceilings).containsExactly(100L, 200L, 400L, 800L, 1_000L, 1_000L);
    }

    @Test
    void theCeilingStaysAtTheMaxForever() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1).toNanos(), Duration.ofHours(1).toNanos(),
                new SplittableRandom(1));

        assertThat(backoff.ceilingNanos(40)).isEqualTo(Duration.ofHours(1).toNanos());
        assertThat(backoff.ceilingNanos(64)).isEqualTo(Duration.ofHours(1).toNanos());
        assertThat(backoff.ceilingNanos(1_000)).isEqualTo(Duration.ofHours(1).toNanos());
    }

    @Test
    void delaysAreSpreadOverTheUpperHalfBelowTheCeiling() {
        Backoff backoff = new Backoff(100 * MS, 1_000 * MS, new SplittableRandom(42));

        for (int retry = 1; retry <= 5; retry++) {
            long ceiling = backoff.ceilingNanos(retry);
            LongSummaryStatistics delays = new LongSummaryStatistics();
            for (int i = 0; i < 1_000; i++) {
                delays.accept(backoff.delayNanos(retry));
            }
            assertThat(delays.getMin()).isBetween(ceiling / 2, ceiling / 2 + ceiling / 50);
            assertThat(delays.getMax()).isBetween(ceiling - ceiling / 50, ceiling);
            assertThat(delays.getAverage()).isCloseTo(0.75 * ceiling, withPercentage(3));
        }
    }
}
