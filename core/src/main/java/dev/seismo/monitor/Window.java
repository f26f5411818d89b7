package dev.seismo.monitor;

import dev.seismo.drift.DriftReport;
import dev.seismo.profile.CallStats;
import dev.seismo.profile.Profile;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One tumbling window of a monitor: the calls and feature values recorded between {@link #start()} and
 * {@link #end()}, as a {@link Profile} with its {@link CallStats}, and its {@link #drift() drift} when it closed. An open window is the current one as of a
 * snapshot; a closed one will not change.
 *
 * <p>Thread-safe: immutable.
 */
public final class Window {

    /** Why a window closed. */
    public enum CloseReason {
        /** Its duration elapsed. */
        DURATION,
        /** It reached its maximum number of records. */
        RECORD_COUNT,
        /** The registry was closed. */
        SHUTDOWN
    }

    private final long sequence;
    private final CloseReason closeReason;
    private final Profile profile;
    private final DriftReport drift;

    Window(long sequence, CloseReason closeReason, Profile profile, DriftReport drift) {
        this.sequence = sequence;
        this.closeReason = closeReason;
        this.profile = Objects.requireNonNull(profile);
        this.drift = drift;
    }

    /** The window's number within its monitor, counting from 0. */
    public long sequence() {
        return sequence;
    }

    /** When the window opened. */
    public Instant start() {
        return profile.start();
    }

    /** When it closed, or for an open window when the snapshot was taken. */
    public Instant end() {
        return profile.end();
    }

    /** Whether this is the current window rather than a closed one. */
    public boolean isOpen() {
        return closeReason == null;
    }

    /** Why it closed; empty while open. */
    public Optional<CloseReason> closeReason() {
        return Optional.ofNullable(closeReason);
    }

    /** The feature profile and call statistics of the window. */
    public Profile profile() {
        return profile;
    }

    /** The call statistics: counts, errors, latency, usage, shed records. */
    public CallStats calls() {
        return profile.callStats().orElseGet(CallStats::empty);
    }

    /**
     * The window's drift against the monitor's reference, computed when it closed; empty for the open window, when
     * the monitor has no reference, for the windows a reference is bootstrapped from, and for a window with no
     * profiled call (it held only costs settled late, or every call's features were shed or sampled out).
     */
    public Optional<DriftReport> drift() {
        return Optional.ofNullable(drift);
    }

    @Override
    public String toString() {
        return "Window{" + sequence + ", " + start() + ".." + end() + ", calls=" + calls().calls()
                + (closeReason == null ? ", open" : ", " + closeReason) + '}';
    }
}
