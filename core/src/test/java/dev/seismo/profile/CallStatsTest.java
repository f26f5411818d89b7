package dev.seismo.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class CallStatsTest {

    private final CallStats.Accumulator acc = new CallStats.Accumulator();

    @Test
    void recordCountsCallsErrorsUsageAndProfiling() {
        acc.record(1_000_000, null, 10, 20, true, true);
        acc.record(2_000_000, "Timeout", 0, 0, false, false);
        acc.record(3_000_000, null, 5, 7, true, false);

        CallStats s = acc.snapshot();
        assertThat(new long[] {s.calls(), s.errors(), s.profiledCalls(), s.callsWithUsage(), s.inputUnits(),
                s.outputUnits()}).containsExactly(3, 1, 1, 2, 15, 27);
        assertThat(s.errorsByType()).containsExactly(entry("Timeout", 1L));
        assertThat(s.successLatency().getTotalCount()).isEqualTo(2);
        assertThat(s.errorLatency().getValueAtPercentile(100)).isCloseTo(2_000_000, withinPercent(1));
        assertThat(s.inputUnitsHistogram().getMaxValue()).isEqualTo(10);
        assertThat(s.outputUnitsHistogram().getTotalCount()).isEqualTo(2);
    }

    @Test
    void latenciesOutsideTheRangeAreClamped() {
        acc.record(0, null, 0, 0, false, false);
        acc.record(TimeUnit.HOURS.toNanos(5), null, 0, 0, false, false);

        Histogram h = acc.snapshot().successLatency();
        assertThat(h.getMinValue()).isEqualTo(1);
        assertThat(h.getMaxValue()).isCloseTo(TimeUnit.HOURS.toNanos(1), withinPercent(1));
    }

    @Test
    void errorTypesBeyondThirtyTwoAreCountedAsOther() {
        for (int i = 0; i < 40; i++) {
            acc.record(1, "E" + i, 0, 0, false, false);
        }
        acc.record(1, "E0", 0, 0, false, false);

        CallStats s = acc.snapshot();
        assertThat(s.errorsByType()).hasSize(33).containsEntry("other", 8L).containsEntry("E0", 2L);
        assertThat(s.errorsByType().keySet()).first().isEqualTo("other");
        assertThat(s.errorsByType().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(s.errors());
    }

    @Test
    void errorsByTypeAreOrderedByCountThenName() {
        acc.addErrors("b", 1);
        acc.addErrors("a", 1);
        acc.addErrors("c", 5);

        assertThat(acc.snapshot().errorsByType().keySet()).containsExactly("c", "a", "b");
    }

    @Test
    void histogramsRecordedElsewhereAreFoldedIn() {
        Histogram success = new Histogram(3);
        success.recordValueWithCount(500, 4);
        Histogram errors = new Histogram(3);
        errors.recordValue(TimeUnit.HOURS.toNanos(2));
        acc.addSuccessLatencies(success);
        acc.addErrorLatencies(errors);
        acc.addErrors("Timeout", 1);

        CallStats s = acc.snapshot();
        assertThat(new long[] {s.calls(), s.errors(), s.errorsByType().get("Timeout")}).containsExactly(5, 1, 1);
        assertThat(s.errorLatency().getMaxValue()).isCloseTo(TimeUnit.HOURS.toNanos(1), withinPercent(1));
    }

    @Test
    void shedAndSummedUsageAreAdded() {
        acc.addShed(3, 12);
        acc.addUsage(100, 50, 4);

        CallStats s = acc.snapshot();
        assertThat(new long[] {s.shedRecords(), s.shedValues(), s.inputUnits(), s.outputUnits(), s.callsWithUsage(),
                s.inputUnitsHistogram().getTotalCount()}).containsExactly(3, 12, 100, 50, 4, 0);
    }

    @Test
    void mergeAddsEverything() {
        acc.record(1_000, "A", 1, 2, true, true);
        CallStats a = acc.snapshot();
        acc.reset();
        acc.record(2_000, null, 3, 4, true, false);
        acc.record(3_000, "A", 0, 0, false, true);
        acc.addShed(1, 2);
        CallStats b = acc.snapshot();

        CallStats m = a.merge(b);
        assertThat(new long[] {m.calls(), m.errors(), m.profiledCalls(), m.inputUnits(), m.outputUnits(),
                m.callsWithUsage(), m.shedRecords(), m.shedValues()}).containsExactly(3, 2, 2, 4, 6, 2, 1, 2);
        assertThat(m.errorsByType()).containsExactly(entry("A", 2L));
        assertThat(m.successLatency().getTotalCount()).isEqualTo(1);
        assertThat(m.inputUnitsHistogram().getTotalCount()).isEqualTo(2);
    }

    @Test
    void mergeOfMoreThanThirtyTwoTypesFoldsTheLeastFrequentIntoOther() {
        CallStats.Accumulator other = new CallStats.Accumulator();
        for (int i = 0; i < 30; i++) {
            acc.addErrors("A" + i, 10);
            other.addErrors("B" + i, 1 + i % 2);
        }

        CallStats m = acc.snapshot().merge(other.snapshot());
        // 30 A types of 10 and the two B types of 2 first by name (B1, B11) stay named; 13 more of 2 and 15 of 1 fold.
        assertThat(m.errorsByType()).hasSize(33).containsEntry("other", 41L).containsEntry("B11", 2L);
        assertThat(m.errorsByType().keySet()).first().isEqualTo("other");
        assertThat(m.errorsByType().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(300 + 45);
    }

    @Test
    void changingAHistogramGivenOutLeavesTheStatsUnchanged() {
        acc.record(1_000, null, 0, 0, false, false);
        CallStats s = acc.snapshot();

        s.successLatency().recordValue(5);

        assertThat(s.successLatency().getTotalCount()).isEqualTo(1);
    }

    @Test
    void snapshotIsIndependentOfLaterRecords() {
        acc.record(1_000, null, 0, 0, false, false);
        CallStats s = acc.snapshot();
        acc.record(1_000, null, 0, 0, false, false);

        assertThat(s.calls()).isEqualTo(1);
        assertThat(acc.calls()).isEqualTo(2);
    }

    @Test
    void emptyHasNoCalls() {
        CallStats e = CallStats.empty();

        assertThat(new long[] {e.calls(), e.errors(), e.callsWithUsage()}).containsExactly(0, 0, 0);
        assertThat(e.errorsByType()).isEmpty();
    }

    private static org.assertj.core.data.Percentage withinPercent(double p) {
        return org.assertj.core.data.Percentage.withPercentage(p);
    }
}
