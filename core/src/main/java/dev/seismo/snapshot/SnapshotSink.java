package dev.seismo.snapshot;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a {@link SnapshotPublisher} delivers the profile of each closed window.
 *
 * <p>A publisher calls its sink from its one delivery thread, one snapshot at a time, so a sink used by a single
 * publisher need not be thread-safe. A write may block (only that thread waits) but should give up in bounded time.
 * It reports failure by throwing; the publisher then retries the same snapshot, so writing one again after a failure
 * must be harmless.
 *
 * <pre>{@code
 * SnapshotSink.directory(Path.of("/var/lib/seismo/snapshots"))
 * SnapshotSink.http(URI.create("https://drift.internal/snapshots"))
 * HttpSnapshotSink.builder(uri).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build()
 * }</pre>
 */
@FunctionalInterface
public interface SnapshotSink {

    /**
     * Delivers one window's profile.
     *
     * @throws IOException if it was not delivered; the publisher retries it
     */
    void write(ProfileSnapshot snapshot) throws IOException;

    /**
     * Writes each snapshot as a profile file under {@code directory}, at
     * {@code <model>/<version>/<start>_<replicaId>_<sequence>.json} with the window's start in ISO 8601 basic format
     * and UTC ({@code 20260301T100100.000Z}), so file names sort by time and windows of different replicas never
     * share a name. Files are written atomically (a temporary file, then a move) and never replaced: if a replica
     * restarted within a window and wrote that name before, the new file gets a {@code -2}, {@code -3}... suffix.
     * Model names and versions that are not safe file names are percent-encoded. Directories are created as needed.
     *
     * @throws IllegalArgumentException if {@code directory} exists and is not a directory
     */
    static SnapshotSink directory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("snapshot directory " + directory + " exists and is not a directory");
        }
        return new DirectorySnapshotSink(directory);
    }

    /**
     * POSTs each snapshot's profile JSON to {@code uri}, with the defaults of {@link HttpSnapshotSink#builder(URI)};
     * use the builder for headers, a timeout or a client of your own.
     */
    static SnapshotSink http(URI uri) {
        return HttpSnapshotSink.builder(uri).build();
    }
}
