package dev.seismo.monitor;

/**
 * Told each time a monitor closes a window. Runs on the registry's aggregation thread, never on a caller's: keep it
 * short or hand the window to another thread, since the next windows wait for it. A listener that throws is logged
 * and counted; the other listeners still run.
 */
@FunctionalInterface
public interface WindowListener {

    /** The monitor closed {@code window}; its profile is immutable and may be kept. */
    void onWindowClosed(ModelMonitor monitor, Window window);
}
