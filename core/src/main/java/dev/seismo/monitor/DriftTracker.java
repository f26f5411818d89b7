package dev.seismo.monitor;

import dev.seismo.drift.DriftDetector;
import dev.seismo.drift.DriftReport;
import dev.seismo.drift.FeatureDrift;
import dev.seismo.profile.Profile;
import dev.seismo.schema.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A monitor's drift state: the reference (given, or bootstrapped from the first windows), the report of each closed
 * window against it, and which features drift now, so listeners hear of changes rather than of every window.
 *
 * <p>Not thread-safe: used under the monitor's aggregation lock.
 */
final class DriftTracker {

    private static final Logger log = LoggerFactory.getLogger(DriftTracker.class);

    private final DriftDetector detector;
    private final int bootstrapWindows;
    private final List<DriftListener> listeners;
    private final List<Profile> bootstrap = new ArrayList<>();
    private final Set<String> drifting = new HashSet<>();
    private Profile reference;
    private boolean datasetDrifting;

    DriftTracker(DriftDetector detector, Profile reference, int bootstrapWindows, List<DriftListener> listeners) {
        this.detector = detector;
        this.reference = reference;
        this.bootstrapWindows = bootstrapWindows;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * The report of a closed window against the reference, or null while the window goes into a bootstrapped
     * reference or if the comparison failed (logged).
     */
    DriftReport compare(ModelMonitor monitor, Profile closed) {
        // Resource signals (cost, CPU time) are settled seconds after their calls, so a window's values belong
        // partly to earlier calls; compared with a reference they would raise drift that is only that lag.
        Profile window = closed.select(f -> f.role() != Role.RESOURCE);
        if (reference == null) {
            bootstrap.add(window);
            if (bootstrap.size() == bootstrapWindows) {
                reference = Profile.mergeAll(bootstrap);
                bootstrap.clear();
                log.info("Model {}:{} drift reference bootstrapped from its first {} windows ({} .. {})",
                        monitor.name(), monitor.version(), bootstrapWindows, reference.start(), reference.end());
            }
            return null;
        }
        try {
            return detector.compare(reference, window);
        } catch (RuntimeException e) {
            log.warn("Drift of model {}:{} could not be computed for the window {} .. {}", monitor.name(),
                    monitor.version(), window.start(), window.end(), e);
            return null;
        }
    }

    /** Tells the listeners what changed with this window; returns how many listeners threw. */
    int notifyChanges(ModelMonitor monitor, Window window) {
        DriftReport report = window.drift().orElse(null);
        if (report == null) {
            return 0;
        }
        List<DriftEvent> events = new ArrayList<>();
        for (FeatureDrift feature : report.features().values()) {
            boolean was = drifting.contains(feature.name());
            if (feature.drifted() != was) {
                if (feature.drifted()) {
                    drifting.add(feature.name());
                } else {
                    drifting.remove(feature.name());
                }
                events.add(new DriftEvent(monitor, window, feature.name(),
                        feature.drifted() ? DriftEvent.Change.STARTED : DriftEvent.Change.ENDED));
            }
        }
        if (report.datasetDrift() != datasetDrifting) {
            datasetDrifting = report.datasetDrift();
            events.add(new DriftEvent(monitor, window, null,
                    datasetDrifting ? DriftEvent.Change.STARTED : DriftEvent.Change.ENDED));
        }
        int failures = 0;
        for (DriftEvent event : events) {
            for (DriftListener listener : listeners) {
                try {
                    listener.onDriftChange(event);
                } catch (RuntimeException e) {
                    failures++;
                    log.warn("Drift listener {} failed for model {}:{}; other listeners still run", listener,
                            monitor.name(), monitor.version(), e);
                }
            }
        }
        return failures;
    }
}
