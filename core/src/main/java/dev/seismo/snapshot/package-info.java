/**
 * Profile snapshots for fleet-wide drift: {@link dev.seismo.snapshot.SnapshotPublisher} hands the profile of every
 * closed window to a {@link dev.seismo.snapshot.SnapshotSink} (a directory, an HTTP endpoint, or your own) on a
 * thread of its own, so the windows of many replicas can be merged ({@code seismo merge}) and compared centrally.
 * See {@code docs/FLEET.md}.
 */
package dev.seismo.snapshot;
