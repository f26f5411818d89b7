package dev.seismo.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A consistent view of a monitor at one moment: the open window as it stands, the closed windows still held, and
 * counters over the monitor's life. Every call that returned before the snapshot was taken is in exactly one of
 * its windows (or in {@link #evictedWindows() evicted} ones).
 *
 * <p>Thread-safe: immutable.
 *
 * @param current             the open window so far
 * @param closed              closed windows held, oldest first (at most the monitor's window history)
 * @param lifetimeCalls       calls recorded since the monitor was built
 * @param evictedWindows      closed windows dropped from the history to bound memory
 * @param unknownNames        values set under a name or index that is not in the schema
 * @param unknownNameSamples  a few of those names, to say what to fix
 * @param listenerFailures    window and drift listeners, and registry observers, that threw
 * @param recordingFailures   recordings that failed inside Seismo or in an {@code outputs} callback; the call
 *                            itself was not affected
 * @param invalidUsage        calls whose usage had a negative count or more cached input tokens than input tokens
 *                            ({@link Inference#usage(long, long, long)}); recorded corrected
 * @param unattributedCalls   calls priced for their tokens and per-call price only, without a share of measured
 *                            resources: they took the overflow path (the record buffer was full), which keeps no
 *                            end time, so the calls that overlapped them got their share (docs/RESOURCES.md)
 */
public record MonitorSnapshot(Window current, List<Window> closed, long lifetimeCalls, long evictedWindows,
                              long unknownNames, Set<String> unknownNameSamples, long listenerFailures,
                              long recordingFailures, long invalidUsage, long unattributedCalls) {

    /** Copies the collections. */
    public MonitorSnapshot {
        closed = List.copyOf(closed);
        unknownNameSamples = Set.copyOf(unknownNameSamples);
    }

    /** The closed windows followed by the open one. */
    public List<Window> windows() {
        List<Window> all = new ArrayList<>(closed.size() + 1);
        all.addAll(closed);
        all.add(current);
        return List.copyOf(all);
    }
}
