package dev.seismo.snapshot;

import dev.seismo.profile.Profile;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One closed window's profile as a {@link SnapshotSink} receives it, with what sets it apart from every other window
 * of the fleet: the model, version and start of the window (in the profile), the replica that recorded it, and the
 * window's sequence number within that replica's monitor. A receiver that may see a window twice (an HTTP POST
 * retried after a timeout although the first request had arrived) can deduplicate on these.
 *
 * <p>Thread-safe: immutable.
 *
 * @param replicaId the process that recorded the window: 1 to 128 of {@code A-Z a-z 0-9 . _ -}, not starting with
 *                  {@code .}, so that it can be part of a file name
 * @param sequence  the window's number within its monitor ({@code Window.sequence()}), from 0
 * @param profile   the window's profile; its model and version are set
 */
public record ProfileSnapshot(String replicaId, long sequence, Profile profile) {

    private static final Pattern REPLICA_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    /**
     * @throws IllegalArgumentException if the replica id is not as described, the sequence is negative, or the
     *                                  profile lacks a model or version
     */
    public ProfileSnapshot {
        checkReplicaId(replicaId);
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
        }
        Objects.requireNonNull(profile, "profile");
        if (profile.model() == null || profile.version() == null) {
            throw new IllegalArgumentException("a snapshot's profile names its model and version; this one has model "
                    + profile.model() + ", version " + profile.version());
        }
    }

    static String checkReplicaId(String replicaId) {
        Objects.requireNonNull(replicaId, "replicaId");
        if (!REPLICA_ID.matcher(replicaId).matches()) {
            throw new IllegalArgumentException("replicaId must be 1 to 128 of A-Z a-z 0-9 . _ - and not start with '.'"
                    + " (it becomes part of file names), was '" + replicaId + "'");
        }
        return replicaId;
    }
}
