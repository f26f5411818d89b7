package dev.seismo.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.seismo.time.ManualClock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CpuTimeTest {

    @Test
    void everyCallMeasuresTheCallingThreadsCpuTime() {
        ThreadCpuTime cpu = ThreadCpuTime.everyCall();
        long mark = cpu.start();
        long spin = 0;
        for (int i = 0; i < 2_000_000; i++) {
            spin += i % 7;
        }
        long elapsed = cpu.elapsedSince(mark);

        assertThat(spin).isPositive();
        assertThat(cpu.isSupported()).isEqualTo(ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported());
        if (cpu.isSupported()) {
            assertThat(mark).isNotEqualTo(ThreadCpuTime.NOT_MEASURED);
            assertThat(elapsed).isGreaterThanOrEqualTo(0);
        } else {
            assertThat(elapsed).isEqualTo(ThreadCpuTime.NOT_MEASURED);
        }
    }

    @Test
    void anUnmeasuredCallStaysUnmeasured() {
        assertThat(ThreadCpuTime.sampled(4).elapsedSince(ThreadCpuTime.NOT_MEASURED))
                .isEqualTo(ThreadCpuTime.NOT_MEASURED);
    }

    @Test
    void samplingMeasuresAboutOneCallInN() {
        ThreadCpuTime cpu = ThreadCpuTime.sampled(10);
        int measured = 0;
        for (int i = 0; i < 20_000; i++) {
            if (cpu.start() != ThreadCpuTime.NOT_MEASURED) {
                measured++;
            }
        }

        assertThat(cpu.sampling()).isEqualTo(10);
        // Binomial(20000, 0.1): mean 2000, sd 42; 1500..2500 is beyond 11 sd.
        assertThat(measured).isBetween(cpu.isSupported() ? 1_500 : 0, cpu.isSupported() ? 2_500 : 0);
    }

    @Test
    void samplingBelowOneIsRejectedNamingTheSetting() {
        assertThatIllegalArgumentException().isThrownBy(() -> ThreadCpuTime.sampled(0))
                .withMessage("thread CPU sampling must be >= 1 (1 in n calls measured), was 0");
    }

    @Test
    void processCpuIntervalsAreTheDifferencesBetweenReadings() {
        ManualClock clock = ManualClock.create();
        AtomicLong cpuNanos = new AtomicLong(5_000_000_000L);
        ProcessCpuTime meter = ProcessCpuTime.of(clock, cpuNanos::get, 4);

        assertThat(meter.sample()).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        cpuNanos.addAndGet(3_000_000_000L);
        CpuInterval interval = meter.sample().orElseThrow();

        assertThat(interval.startNanos()).isEqualTo(0);
        assertThat(interval.endNanos()).isEqualTo(2_000_000_000L);
        assertThat(interval.cpuSeconds()).isCloseTo(3.0, within(1e-12));
        assertThat(interval.wallSeconds()).isCloseTo(2.0, within(1e-12));
        assertThat(interval.utilization()).isCloseTo(3.0 / 8, within(1e-12));
    }

    @Test
    void processCpuIsAbsentWhereTheJvmDoesNotReportIt() {
        ManualClock clock = ManualClock.create();
        ProcessCpuTime meter = ProcessCpuTime.of(clock, () -> -1, 2);

        meter.sample();
        clock.advance(Duration.ofSeconds(1));

        assertThat(meter.isAvailable()).isFalse();
        assertThat(meter.cpuNanos()).isEmpty();
        assertThat(meter.sample()).isEmpty();
    }

    @Test
    void theJvmsProcessCpuTimeIsReadOnThisHost() {
        ProcessCpuTime meter = ProcessCpuTime.create(ManualClock.create());

        assertThat(meter.isAvailable()).isTrue();
        assertThat(meter.cpuNanos().orElseThrow()).isPositive();
    }
}
