package dev.seismo.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks made before reading or writing, for errors the JDK would report without saying which path or why. */
final class FileChecks {

    private FileChecks() {
    }

    /** Fails if the path is a directory; a missing file is left to the read, which names it. */
    static void input(Path path) throws InputException {
        if (Files.isDirectory(path)) {
            throw new InputException(path + ": is a directory, not a file");
        }
    }

    /** Fails unless the path could be written: it is not a directory and its directory exists. */
    static void output(Path path) throws InputException {
        if (Files.isDirectory(path)) {
            throw new InputException("cannot write " + path + ": it is a directory");
        }
        Path directory = path.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            throw new InputException("cannot write " + path + ": directory " + directory + " does not exist");
        }
    }
}
