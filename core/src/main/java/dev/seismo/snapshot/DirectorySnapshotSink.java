package dev.seismo.snapshot;

import dev.seismo.profile.Profile;
import dev.seismo.profile.ProfileJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** {@link SnapshotSink#directory(Path)}. Not thread-safe: one publisher's thread writes. */
final class DirectorySnapshotSink implements SnapshotSink {

    // Fixed width, milliseconds included (windows by record count start at any millisecond), so names sort by time.
    private static final DateTimeFormatter START = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path root;

    DirectorySnapshotSink(Path root) {
        this.root = root;
    }

    @Override
    public void write(ProfileSnapshot snapshot) throws IOException {
        Profile profile = snapshot.profile();
        Path dir = root.resolve(segment(profile.model())).resolve(segment(profile.version()));
        Files.createDirectories(dir);
        String stem = START.format(profile.start()) + '_' + snapshot.replicaId() + '_' + snapshot.sequence();
        Path file = dir.resolve(stem + ".json");
        // Only one process writes a replica's names at a time, so checking first is enough; a restarted replica
        // repeats the sequence numbers of its previous run and must not replace what that run wrote.
        for (int n = 2; Files.exists(file); n++) {
            file = dir.resolve(stem + '-' + n + ".json");
        }
        ProfileJson.write(profile, file);
    }

    /**
     * A model name or version as one path segment: letters, digits, {@code -}, {@code _} and inner dots are kept,
     * every other byte of its UTF-8 is written as {@code %XX}. Injective, so two models never share a directory,
     * and never {@code .}, {@code ..} or a hidden name.
     */
    static String segment(String name) {
        StringBuilder out = new StringBuilder(name.length());
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            boolean safe = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '-' || b == '_' || (b == '.' && i > 0);
            if (safe) {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "directory " + root;
    }
}
